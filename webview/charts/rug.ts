/** Marks at sample positions along x: ticks (a rug) and horizontal force arrows, in canvas pixels. */
import type uPlot from 'uplot';
import { clipToPlot } from './overlays';

/** A short tick at each x along the bottom of the plot. */
export function drawRug(u: uPlot, xs: ArrayLike<number>, color: string): void {
  const r = devicePixelRatio || 1;
  const bottom = u.bbox.top + u.bbox.height;
  clipToPlot(u, (ctx) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = r;
    ctx.beginPath();
    for (let i = 0; i < xs.length; i++) {
      const x = Math.round(u.valToPos(xs[i]!, 'x', true)) + 0.5;
      ctx.moveTo(x, bottom);
      ctx.lineTo(x, bottom - 7 * r);
    }
    ctx.stroke();
  });
}

/**
 * Horizontal arrows at samples at least `spacing` CSS pixels apart (so they never overlap), each
 * as long as its scaled force (−1…1) times that spacing, in lane `lane` (0 is just above the rug).
 */
export function drawArrows(u: uPlot, xs: ArrayLike<number>, scaled: readonly (number | null)[], spacing: number, color: string, lane: number): void {
  const r = devicePixelRatio || 1;
  const full = (spacing - 6) * r;
  const head = 3.5 * r;
  const y = u.bbox.top + u.bbox.height - (15 + 11 * lane) * r;
  clipToPlot(u, (ctx) => {
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 1.5 * r;
    let last = -Infinity;
    for (let i = 0; i < xs.length; i++) {
      const x0 = u.valToPos(xs[i]!, 'x', true);
      const f = scaled[i];
      if (x0 - last < spacing * r || f == null) continue;
      last = x0;
      if (Math.abs(f) < 0.03) continue;
      const x1 = x0 + f * full;
      const dir = Math.sign(f);
      ctx.beginPath();
      ctx.moveTo(x0, y);
      ctx.lineTo(x1 - dir * head, y);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x1, y);
      ctx.lineTo(x1 - dir * head * 1.6, y - head);
      ctx.lineTo(x1 - dir * head * 1.6, y + head);
      ctx.closePath();
      ctx.fill();
    }
  });
}
