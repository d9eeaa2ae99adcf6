/**
 * The density chart's default view. q's spikes (a collapsing generator peaks at 4–17 where p
 * peaks at 0.4) would flatten p to a line, and a grid that follows outliers out to ±50 leaves
 * the mass in a sliver, so the y top is clipped at a multiple of p's peak and x follows the
 * central mass of p and q rather than the grid's ends.
 */

/** How far above p's peak q is drawn before it is clipped. */
export const Q_CLIP_FACTOR = 3;
/** Mass left out on each side of the x view, per density. */
const TAIL_MASS = 0.005;

/** Largest finite value, or 0. */
export function finiteMax(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!) && values[i]! > max) max = values[i]!;
  return max;
}

/** The y top and whether q goes above it; `full` shows all of q. */
export function densityTop(p: ArrayLike<number>, q: ArrayLike<number>, full: boolean): { top: number; qPeak: number; clipped: boolean } {
  const pPeak = finiteMax(p);
  const qPeak = finiteMax(q);
  const all = Math.max(pPeak, qPeak);
  const top = full || pPeak === 0 ? all : Math.min(all, Q_CLIP_FACTOR * pPeak);
  return { top: top > 0 ? top : 1, qPeak, clipped: qPeak > top };
}

/** The x values at cumulative mass `lo` and `hi` of a density on the grid (trapezoids). */
function massQuantiles(x: ArrayLike<number>, d: ArrayLike<number>, lo: number, hi: number): [number, number] | null {
  const n = x.length;
  const cum = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const a = Number.isFinite(d[i - 1]!) ? d[i - 1]! : 0;
    const b = Number.isFinite(d[i]!) ? d[i]! : 0;
    cum[i] = cum[i - 1]! + ((a + b) / 2) * (x[i]! - x[i - 1]!);
  }
  const total = cum[n - 1] ?? 0;
  if (!(total > 0)) return null;
  const at = (m: number): number => {
    const target = m * total;
    let i = 1;
    while (i < n - 1 && cum[i]! < target) i++;
    const span = cum[i]! - cum[i - 1]!;
    const f = span > 0 ? (target - cum[i - 1]!) / span : 0;
    return x[i - 1]! + f * (x[i]! - x[i - 1]!);
  };
  return [at(lo), at(hi)];
}

/** The x view: the union of p's and q's central masses, padded, within the grid. */
export function massRange(x: ArrayLike<number>, p: ArrayLike<number>, q: ArrayLike<number>): [number, number] {
  const first = x[0] ?? 0;
  const last = x[x.length - 1] ?? 1;
  const ranges = [p, q].map((d) => massQuantiles(x, d, TAIL_MASS, 1 - TAIL_MASS)).filter((r) => r !== null);
  if (ranges.length === 0) return [first, last];
  const lo = Math.min(...ranges.map((r) => r[0]));
  const hi = Math.max(...ranges.map((r) => r[1]));
  const pad = 0.1 * (hi - lo || 1);
  return [Math.max(first, lo - pad), Math.min(last, hi + pad)];
}

type GridFields = { readonly x: ArrayLike<number>; readonly p: ArrayLike<number>; readonly q: ArrayLike<number> };
/** Per snapshot: four charts ask for the same view at every range computation. */
const views = new WeakMap<GridFields, [number, number]>();

/** The x view every chart over the grid shares when not zoomed (densities, forces, critic, and G's values). */
export function gridView(s: GridFields): [number, number] {
  let view = views.get(s);
  if (!view) views.set(s, (view = massRange(s.x, s.p, s.q)));
  return [view[0], view[1]];
}

/**
 * Where q runs above the clipped top: one mark per run of grid points above it, at the run's
 * highest point, with that peak. Empty when nothing is clipped.
 */
export function clippedPeaks(x: ArrayLike<number>, q: ArrayLike<number>, top: number): { x: number; peak: number }[] {
  const out: { x: number; peak: number }[] = [];
  let best = -1;
  for (let i = 0; i <= q.length; i++) {
    const above = i < q.length && q[i]! > top;
    if (above && (best < 0 || q[i]! > q[best]!)) best = i;
    if (!above && best >= 0) {
      out.push({ x: x[best]!, peak: q[best]! });
      best = -1;
    }
  }
  return out;
}
