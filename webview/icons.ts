/** Small inline SVG icons (16×16, currentColor), built with the DOM so no markup is parsed. */

const NS = 'http://www.w3.org/2000/svg';

type Shape = { d: string; stroke?: boolean };

const ICONS = {
  play: [{ d: 'M4.5 2.8v10.4L13 8z' }],
  pause: [{ d: 'M4 3h3v10H4zM9 3h3v10H9z' }],
  step: [{ d: 'M3 3v10l6.5-5z' }, { d: 'M10.5 3h2v10h-2z' }],
  reset: [{ d: 'M12.9 9.2A5 5 0 1 1 11.5 4.4', stroke: true }, { d: 'M12.2 1.8v3.4H8.8', stroke: true }],
  stop: [{ d: 'M4 4h8v8H4z' }],
  close: [{ d: 'M4 4l8 8M12 4l-8 8', stroke: true }],
} satisfies Record<string, Shape[]>;

export type IconName = keyof typeof ICONS;

export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  for (const shape of ICONS[name] as Shape[]) {
    const path = document.createElementNS(NS, 'path');
    path.setAttribute('d', shape.d);
    if (shape.stroke) {
      path.setAttribute('fill', 'none');
      path.setAttribute('stroke', 'currentColor');
      path.setAttribute('stroke-width', '1.5');
      path.setAttribute('stroke-linecap', 'round');
      path.setAttribute('stroke-linejoin', 'round');
    } else {
      path.setAttribute('fill', 'currentColor');
    }
    svg.appendChild(path);
  }
  return svg;
}
