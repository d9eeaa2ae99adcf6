/** Canvas overlays drawn through uPlot hooks: shaded gaps, reload markers and guide lines. */
import type uPlot from 'uplot';
import type { ReloadMarker } from '../../src/protocol';
import { canvasFont, withAlpha, type Palette } from '../theme';

function clipToPlot(u: uPlot, draw: (ctx: CanvasRenderingContext2D) => void): void {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  draw(ctx);
  ctx.restore();
}

/**
 * Fills the area between series `a` and `b` wherever both are defined, whichever is on top
 * (an estimate above the exact value is a real finding, not something to hide).
 */
export function drawGap(u: uPlot, a: number, b: number, fill: string): void {
  const sa = u.series[a];
  const sb = u.series[b];
  if (!sa?.show || !sb?.show) return;
  clipToPlot(u, (ctx) => {
    ctx.fillStyle = fill;
    for (const run of gapRuns(u, a, b, true)) {
      ctx.beginPath();
      for (const [x, y] of run) ctx.lineTo(x, y);
      ctx.closePath();
      ctx.fill();
    }
  });
}

/**
 * Polygons between series a and b: along a, then back along b. null (a real gap) ends a
 * polygon; undefined (no point at this x, another run's step) is skipped.
 */
function gapRuns(u: uPlot, a: number, b: number, canvas: boolean): [number, number][][] {
  const xs = u.data[0];
  const ya = u.data[a] as ArrayLike<number | null | undefined>;
  const yb = u.data[b] as ArrayLike<number | null | undefined>;
  const scaleA = u.series[a]?.scale ?? 'y';
  const scaleB = u.series[b]?.scale ?? 'y';
  const runs: [number, number][][] = [];
  let top: [number, number][] = [];
  let bottom: [number, number][] = [];
  const flush = (): void => {
    if (top.length >= 2) runs.push([...top, ...bottom.reverse()]);
    top = [];
    bottom = [];
  };
  for (let i = 0; i < xs.length; i++) {
    const va = ya[i];
    const vb = yb[i];
    if (va === null || vb === null) { flush(); continue; }
    if (va === undefined || vb === undefined) continue;
    const x = u.valToPos(xs[i]!, 'x', canvas);
    top.push([x, u.valToPos(va, scaleA, canvas)]);
    bottom.push([x, u.valToPos(vb, scaleB, canvas)]);
  }
  flush();
  return runs;
}

/**
 * Vertical lines at definition reloads, labelled with the file version; restarts (the
 * structure changed, training began again) are solid and coloured, plain reloads dashed.
 */
export function drawMarkers(u: uPlot, markers: readonly ReloadMarker[], p: Palette, labels: boolean): void {
  if (markers.length === 0) return;
  const r = devicePixelRatio || 1;
  const { bbox } = u;
  clipToPlot(u, (ctx) => {
    ctx.font = canvasFont(p, -3, 600, r);
    ctx.textBaseline = 'top';
    let lastLabelEnd = -Infinity;
    for (const m of markers) {
      const x = Math.round(u.valToPos(m.step, 'x', true)) + 0.5;
      if (x < bbox.left || x > bbox.left + bbox.width) continue;
      const color = m.restarted ? p.red : withAlpha(p.foreground, 0.55);
      ctx.strokeStyle = color;
      ctx.lineWidth = (m.restarted ? 1.5 : 1) * r;
      ctx.setLineDash(m.restarted ? [] : [4 * r, 3 * r]);
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
      if (!labels) continue;
      const text = m.restarted ? `v${m.version} ↻` : `v${m.version}`;
      const w = ctx.measureText(text).width + 6 * r;
      const left = Math.min(x + 2 * r, bbox.left + bbox.width - w);
      if (left < lastLabelEnd) continue;
      lastLabelEnd = left + w + 2 * r;
      ctx.fillStyle = withAlpha(p.background, 0.85);
      ctx.fillRect(left, bbox.top + 2 * r, w, (p.fontSize + 1) * r);
      ctx.fillStyle = color;
      ctx.fillText(text, left + 3 * r, bbox.top + 3 * r);
    }
    ctx.setLineDash([]);
  });
}

/** SVG counterparts (plot-area CSS pixels) for the vector export. */
export function svgGap(u: uPlot, a: number, b: number, fill: string): string {
  if (!u.series[a]?.show || !u.series[b]?.show) return '';
  return gapRuns(u, a, b, false)
    .map((run) => `<polygon points="${run.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}" fill="${fill}"/>`)
    .join('\n');
}

export function svgMarkers(u: uPlot, markers: readonly ReloadMarker[], p: Palette): string {
  const h = u.bbox.height / (devicePixelRatio || 1);
  return markers.map((m) => {
    const x = u.valToPos(m.step, 'x').toFixed(1);
    const color = m.restarted ? p.red : withAlpha(p.foreground, 0.55);
    const dash = m.restarted ? '' : ' stroke-dasharray="4 3"';
    const label = m.restarted ? `v${m.version} ↻` : `v${m.version}`;
    return `<line x1="${x}" y1="0" x2="${x}" y2="${h}" stroke="${color}"${dash}/><text x="${x}" dx="3" y="4" dominant-baseline="hanging" font-size="${p.fontSize - 3}" fill="${color}">${label}</text>`;
  }).join('\n');
}

/**
 * Marks the steps where an exact value is +∞ (plotted as a gap) with a strip along the top
 * of the plot and an "∞" label, so a diverging integral is not mistaken for missing data.
 */
export function drawInfinite(u: uPlot, raw: ArrayLike<number> | null, color: string, p: Palette): void {
  if (!raw) return;
  const xs = u.data[0];
  const r = devicePixelRatio || 1;
  const { bbox } = u;
  clipToPlot(u, (ctx) => {
    ctx.font = canvasFont(p, -2, 600, r);
    ctx.textBaseline = 'top';
    let i = 0;
    while (i < raw.length) {
      while (i < raw.length && raw[i] !== Infinity) i++;
      if (i >= raw.length) break;
      const start = i;
      while (i < raw.length && (raw[i] === Infinity || Number.isNaN(raw[i]!))) i++;
      const x0 = u.valToPos(xs[start]!, 'x', true);
      const x1 = u.valToPos(xs[i - 1]!, 'x', true);
      ctx.fillStyle = withAlpha(color, 0.25);
      ctx.fillRect(x0, bbox.top, Math.max(x1 - x0, 2 * r), 4 * r);
      ctx.fillStyle = color;
      // Below the row of reload-marker labels.
      ctx.fillText('exact = ∞', Math.max(bbox.left, Math.min(x0 + 4 * r, bbox.left + bbox.width - 60 * r)), bbox.top + (p.fontSize + 6) * r);
    }
  });
}
