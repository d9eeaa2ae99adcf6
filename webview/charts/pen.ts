/**
 * Marks drawn over a chart's plot area, written once for both outputs: the canvas on screen and
 * the SVG export (which the PNG export rasterises). Coordinates are CSS pixels inside the plot
 * area, as u.valToPos gives them.
 */
import type uPlot from 'uplot';

export interface Pen {
  line(x1: number, y1: number, x2: number, y2: number, color: string, width: number, dash?: readonly number[]): void;
  polygon(points: readonly (readonly [number, number])[], fill: string): void;
  /** An open polyline; a NaN point breaks it. */
  path(points: readonly (readonly [number, number])[], color: string, width: number, dash?: readonly number[]): void;
  /** Text centred on x, its top at y. */
  text(x: number, y: number, text: string, color: string, size: number, weight: number): void;
  /** The text's width in CSS pixels (estimated where nothing can measure it). */
  measure(text: string, size: number): number;
}

/** Draws on uPlot's canvas, clipped to the plot area. */
export function canvasPen(u: uPlot, fontFamily: string): { pen: Pen; done: () => void } {
  const { ctx, bbox } = u;
  const r = devicePixelRatio || 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  const X = (x: number): number => bbox.left + x * r;
  const Y = (y: number): number => bbox.top + y * r;
  const pen: Pen = {
    line(x1, y1, x2, y2, color, width, dash) {
      ctx.strokeStyle = color;
      ctx.lineWidth = width * r;
      ctx.setLineDash(dash ? dash.map((d) => d * r) : []);
      ctx.beginPath();
      ctx.moveTo(X(x1), Y(y1));
      ctx.lineTo(X(x2), Y(y2));
      ctx.stroke();
      ctx.setLineDash([]);
    },
    polygon(points, fill) {
      ctx.fillStyle = fill;
      ctx.beginPath();
      for (const [x, y] of points) ctx.lineTo(X(x), Y(y));
      ctx.closePath();
      ctx.fill();
    },
    path(points, color, width, dash) {
      ctx.strokeStyle = color;
      ctx.lineWidth = width * r;
      ctx.setLineDash(dash ? dash.map((d) => d * r) : []);
      ctx.beginPath();
      let open = false;
      for (const [x, y] of points) {
        if (!Number.isFinite(x) || !Number.isFinite(y)) { open = false; continue; }
        if (open) ctx.lineTo(X(x), Y(y));
        else ctx.moveTo(X(x), Y(y));
        open = true;
      }
      ctx.stroke();
      ctx.setLineDash([]);
    },
    text(x, y, text, color, size, weight) {
      ctx.font = `${weight} ${size * r}px ${fontFamily}`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      ctx.fillStyle = color;
      ctx.fillText(text, X(x), Y(y));
    },
    measure(text, size) {
      ctx.font = `${size * r}px ${fontFamily}`;
      return ctx.measureText(text).width / r;
    },
  };
  return { pen, done: () => ctx.restore() };
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f = (n: number): string => (Math.round(n * 100) / 100).toString();

/** Collects the same marks as SVG elements (plot-area coordinates). */
export function svgPen(): { pen: Pen; svg: () => string } {
  const parts: string[] = [];
  const pen: Pen = {
    line(x1, y1, x2, y2, color, width, dash) {
      const d = dash ? ` stroke-dasharray="${dash.join(' ')}"` : '';
      parts.push(`<line x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}" stroke="${esc(color)}" stroke-width="${f(width)}"${d}/>`);
    },
    polygon(points, fill) {
      parts.push(`<polygon points="${points.map(([x, y]) => `${f(x)},${f(y)}`).join(' ')}" fill="${esc(fill)}"/>`);
    },
    path(points, color, width, dash) {
      const d = dash ? ` stroke-dasharray="${dash.join(' ')}"` : '';
      let run: string[] = [];
      const flush = (): void => {
        if (run.length > 1) parts.push(`<polyline points="${run.join(' ')}" fill="none" stroke="${esc(color)}" stroke-width="${f(width)}"${d}/>`);
        run = [];
      };
      for (const [x, y] of points) {
        if (Number.isFinite(x) && Number.isFinite(y)) run.push(`${f(x)},${f(y)}`);
        else flush();
      }
      flush();
    },
    text(x, y, text, color, size, weight) {
      parts.push(`<text x="${f(x)}" y="${f(y)}" text-anchor="middle" dominant-baseline="hanging" font-size="${f(size)}" font-weight="${weight}" fill="${esc(color)}">${esc(text)}</text>`);
    },
    measure: (text, size) => text.length * size * 0.55,
  };
  return { pen, svg: () => parts.join('\n') };
}
