/** Marks over a chart's plot area, drawn with a Pen (./pen): on the canvas and in the SVG export alike. */
import type uPlot from 'uplot';
import type { Pen } from './pen';

/** The plot area's size in CSS pixels. */
function plotSize(u: uPlot): { width: number; height: number } {
  const r = devicePixelRatio || 1;
  return { width: u.bbox.width / r, height: u.bbox.height / r };
}

/** A short tick at each x along the bottom of the plot. */
export function rug(u: uPlot, pen: Pen, xs: ArrayLike<number>, color: string): void {
  const { height } = plotSize(u);
  for (let i = 0; i < xs.length; i++) {
    const x = u.valToPos(xs[i]!, 'x');
    pen.line(x, height, x, height - 7, color, 1);
  }
}

/**
 * Horizontal arrows at samples at least `spacing` CSS pixels apart (so they never overlap), each
 * as long as its scaled force (−1…1) times that spacing, in lane `lane` (0 is just above the rug).
 */
export function arrows(u: uPlot, pen: Pen, xs: ArrayLike<number>, scaled: readonly (number | null)[], spacing: number, color: string, lane: number): void {
  const { height } = plotSize(u);
  const full = spacing - 6;
  const head = 3.5;
  const y = height - 15 - 11 * lane;
  let last = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x0 = u.valToPos(xs[i]!, 'x');
    const f = scaled[i];
    if (x0 - last < spacing || f == null) continue;
    last = x0;
    if (Math.abs(f) < 0.03) continue;
    const x1 = x0 + f * full;
    const dir = Math.sign(f);
    pen.line(x0, y, x1 - dir * head, y, color, 1.5);
    pen.polygon([[x1, y], [x1 - dir * head * 1.6, y - head], [x1 - dir * head * 1.6, y + head]], color);
  }
}

/** A dotted horizontal guide, e.g. D = ½ where the discriminator cannot tell data from samples. */
export function guide(u: uPlot, pen: Pen, value: number, scale: string, color: string): void {
  const y = u.valToPos(value, scale);
  pen.line(0, y, plotSize(u).width, y, color, 1, [2, 3]);
}

/** The step whose fields are shown while going back in time: a solid vertical line. */
export function stepLine(u: uPlot, pen: Pen, step: number | null, color: string): void {
  if (step === null) return;
  const x = u.valToPos(step, 'x');
  pen.line(x, 0, x, plotSize(u).height, color, 2);
}

/** A triangle at the top edge at each clipped peak, labelled with its height (labels that would overlap are left out). */
export function clipMarks(u: uPlot, pen: Pen, peaks: readonly { x: number; label: string }[], y: number, color: string, fontSize: number): void {
  let lastEnd = -Infinity;
  for (const c of peaks) {
    const x = u.valToPos(c.x, 'x');
    pen.polygon([[x, y], [x - 5, y + 7], [x + 5, y + 7]], color);
    const w = pen.measure(c.label, fontSize);
    if (x - w / 2 < lastEnd) continue;
    lastEnd = x + w / 2 + 4;
    pen.text(x, y + 9, c.label, color, fontSize, 600);
  }
}

/** A faint curve of values before the last half step ("what changed"), on the chart's own scales. */
export function before(u: uPlot, pen: Pen, xs: ArrayLike<number>, ys: ArrayLike<number | null>, scale: string, color: string): void {
  const points: [number, number][] = [];
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    points.push(y == null || !Number.isFinite(y) ? [NaN, NaN] : [u.valToPos(xs[i]!, 'x'), u.valToPos(y, scale)]);
  }
  pen.path(points, color, 1.5, [3, 3]);
}
