/**
 * Mean and range over seeds of curves sampled at different points: each seed's curve over
 * training steps (its snapshots fall where its clock put them) or its final q(x) on its own grid.
 * Every curve is interpolated linearly onto one common axis. Pure (no DOM): unit-tested in Node.
 */

/** One seed's curve: xs ascending, ys of the same length. */
export interface SeedCurve {
  readonly xs: ArrayLike<number>;
  readonly ys: ArrayLike<number>;
}

export interface SeedStats {
  readonly mean: number[];
  /** The smallest and largest seed's value: the band. */
  readonly lo: number[];
  readonly hi: number[];
  /** Seeds that have a value at each point. */
  readonly n: number[];
}

/**
 * `count` evenly spaced points from the smallest first x to the largest last x of the curves
 * (every curve's range is inside), or none when no curve has a point.
 */
export function commonAxis(curves: readonly SeedCurve[], count: number): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of curves) {
    if (c.xs.length === 0) continue;
    lo = Math.min(lo, c.xs[0]!);
    hi = Math.max(hi, c.xs[c.xs.length - 1]!);
  }
  if (!(hi >= lo)) return [];
  if (hi === lo || count < 2) return [lo];
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? hi : lo + ((hi - lo) * i) / (count - 1)));
}

/**
 * The curve at each of `at` (ascending): linear between its neighbours, the neighbour's value
 * when that is not finite (an infinite KL stays infinite), and `outside` beyond its ends (NaN:
 * no value, as a run that has not got there yet; 0: a density that vanishes off its grid).
 */
export function resample(curve: SeedCurve, at: readonly number[], outside: number): number[] {
  const { xs, ys } = curve;
  const out = new Array<number>(at.length);
  let k = 0;
  for (let i = 0; i < at.length; i++) {
    const x = at[i]!;
    if (xs.length === 0 || x < xs[0]! || x > xs[xs.length - 1]!) {
      out[i] = outside;
      continue;
    }
    while (k + 1 < xs.length && xs[k + 1]! < x) k++;
    const x0 = xs[k]!;
    const x1 = k + 1 < xs.length ? xs[k + 1]! : x0;
    const y0 = ys[k]!;
    const y1 = k + 1 < ys.length ? ys[k + 1]! : y0;
    if (x1 === x0 || x === x0) out[i] = x === x1 ? y1 : y0;
    else if (!Number.isFinite(y0) || !Number.isFinite(y1)) out[i] = x - x0 <= x1 - x ? y0 : y1;
    else out[i] = y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return out;
}

/** Mean, smallest and largest over the seeds with a value (not NaN) at each point; ∞ in any seed makes the mean ∞. */
export function seedStats(curves: readonly SeedCurve[], at: readonly number[], outside = NaN): SeedStats {
  const values = curves.map((c) => resample(c, at, outside));
  const mean: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const n: number[] = [];
  for (let i = 0; i < at.length; i++) {
    let sum = 0;
    let count = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      const y = v[i]!;
      if (Number.isNaN(y)) continue;
      sum += y;
      count++;
      min = Math.min(min, y);
      max = Math.max(max, y);
    }
    mean.push(count > 0 ? sum / count : NaN);
    lo.push(count > 0 ? min : NaN);
    hi.push(count > 0 ? max : NaN);
    n.push(count);
  }
  return { mean, lo, hi, n };
}
