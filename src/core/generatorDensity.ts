/**
 * q(x), the generator's density on the grid, from the generator's values.
 *
 * Push-forward (1-D latent): z_i = Φ⁻¹((i + ½)/n), so consecutive latent points enclose
 * exactly 1/n of the prior. G is taken as linear on each [z_i, z_{i+1}], and extended
 * linearly beyond z_0 and z_{n−1} with the end slopes. The push-forward of that G is computed
 * exactly: a segment lying inside one half-cell drops its 1/n there; a segment crossing cell
 * edges is split at the latent points of the edges and each piece gets its Φ-mass; the two
 * tails (1/(2n) each) are Gaussian in x and are binned in log space, so q has honest Gaussian
 * tails instead of the zeros of a histogram (which would make KL(P‖Q) infinite for every
 * generator). This is exact for an affine G and for the piecewise-linear G of a ReLU network
 * between its kinks, handles non-monotone G, and costs O(n + cells).
 *
 * Inside the cells q is continued from the cell masses by cellModel.ts.
 */
import { cellModel } from './cellModel';
import type { Grid, GridDensity } from './grid';
import { HalfCellBins } from './halfCellBins';
import { logAddExp, log1mExp, normalLogCdf, normalLogMassBetween, normalMassBetween, normalPdf, normalQuantile } from './special';
import { dominantTail, gaussianTail, type GaussianTail } from './tails';

export interface GeneratorDensity extends GridDensity {
  /** Names the estimator, e.g. "push-forward of 20,000 latent quantiles …" or "KDE (Silverman h = 0.083) of 20,000 samples". */
  readonly estimator: string;
  /** Probability in each grid cell; sums to 1 − outsideMass. */
  readonly mass: Float64Array;
  /** mass / dx: cell-average density (per unit x), what the panel plots. */
  readonly density: Float64Array;
  /** Mean and standard deviation of the generator's values themselves. */
  readonly mean: number;
  readonly std: number;
}

const quantileCache = new Map<number, Float64Array>();

function cachedQuantiles(n: number): Float64Array {
  let z = quantileCache.get(n);
  if (!z) {
    z = Float64Array.from({ length: n }, (_, i) => normalQuantile((i + 0.5) / n));
    if (quantileCache.size >= 4) quantileCache.clear();
    quantileCache.set(n, z);
  }
  return z;
}

/** z_i = Φ⁻¹((i + ½)/n), i = 0…n−1: equal prior mass 1/n between neighbours. */
export function latentQuantiles(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`latent quantile count must be an integer ≥ 2, got ${n}`);
  return cachedQuantiles(n).slice();
}

/**
 * The Gaussian tail X = c + s·Z on {Z < zc} (zc < 0): bins its mass, in log space on the grid,
 * and returns its tail in x, which lies on the side −sign(s).
 */
function addTail(bins: HalfCellBins, x0: number, zc: number, s: number): { side: -1 | 1; tail: GaussianTail } | null {
  if (s === 0 || !Number.isFinite(s)) {
    bins.add(bins.slot(x0), normalMassBetween(-Infinity, zc), x0);
    return null;
  }
  const c = x0 - s * zc;
  const latent = (x: number): number => Math.min(zc, (x - c) / s);
  // E[(e0 − X); α < Z < β] = (e0 − c)·M − s·(φ(α) − φ(β)) with M = Φ(β) − Φ(α), and the mirror image above.
  const addBelow = (alpha: number, beta: number): void => {
    const mass = normalMassBetween(alpha, beta);
    bins.addOutside(-1, normalLogMassBetween(alpha, beta), (bins.e0 - c) * mass - s * (normalPdf(alpha) - normalPdf(beta)));
  };
  const addAbove = (alpha: number, beta: number): void => {
    const mass = normalMassBetween(alpha, beta);
    bins.addOutside(1, normalLogMassBetween(alpha, beta), (c - bins.end) * mass + s * (normalPdf(alpha) - normalPdf(beta)));
  };
  if (s > 0) {
    addBelow(-Infinity, latent(bins.e0));
    if (x0 > bins.end) addAbove(latent(bins.end), zc);
  } else {
    addAbove(-Infinity, latent(bins.end));
    if (x0 < bins.e0) addBelow(latent(bins.e0), zc);
  }
  // Cells between x0 and the grid's edge, walking away from x0; log Φ at shared edges is computed once.
  const step = s > 0 ? -1 : 1;
  let k = bins.slot(x0);
  if (k === bins.count) k = bins.count - 1;
  if (k === -1) k = 0;
  let nearLog = normalLogCdf(latent(bins.edge(s > 0 ? k + 1 : k)));
  for (; k >= 0 && k < bins.count; k += step) {
    const farLog = normalLogCdf(latent(bins.edge(s > 0 ? k : k + 1)));
    if (nearLog > farLog) bins.log[k] = logAddExp(bins.log[k], nearLog + log1mExp(farLog - nearLog));
    nearLog = farLog;
  }
  return { side: s > 0 ? -1 : 1, tail: gaussianTail(c, Math.abs(s)) };
}

function moments(xs: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  const mean = sum / xs.length;
  let sq = 0;
  for (let i = 0; i < xs.length; i++) sq += (xs[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / xs.length) };
}

function checkFinite(xs: ArrayLike<number>, what: string): void {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) throw new RangeError(`${what}[${i}] is ${xs[i]}: the generator produced a non-finite value`);
}

/** q on the grid from xs[i] = G(z_i) at the points of latentQuantiles(xs.length). */
export function pushForwardDensity(grid: Grid, xs: ArrayLike<number>): GeneratorDensity {
  const n = xs.length;
  if (n < 2) throw new RangeError(`push-forward needs at least 2 generator values, got ${n}`);
  checkFinite(xs, 'xs');
  const z = cachedQuantiles(n);
  const bins = new HalfCellBins(grid);
  const m = 1 / n;
  for (let i = 0; i + 1 < n; i++) {
    const a = xs[i];
    const b = xs[i + 1];
    const first = bins.slot(a);
    const last = bins.slot(b);
    if (first === last) {
      bins.add(first, m, 0.5 * (a + b));
      continue;
    }
    // Split at every edge crossed; the piece between two edges carries the prior mass of its latent preimage.
    const zPerX = (z[i + 1] - z[i]) / (b - a);
    const up = b > a;
    let zPrev = z[i];
    let xPrev = a;
    let slot = first;
    for (let e = up ? first + 1 : first; up ? e <= last : e > last; e += up ? 1 : -1) {
      const xe = bins.edge(e);
      const ze = z[i] + (xe - a) * zPerX;
      bins.add(slot, normalMassBetween(zPrev, ze), 0.5 * (xPrev + xe));
      zPrev = ze;
      xPrev = xe;
      slot = up ? e : e - 1;
    }
    bins.add(last, normalMassBetween(zPrev, z[i + 1]), 0.5 * (xPrev + b));
  }
  const lower = addTail(bins, xs[0], z[0], (xs[1] - xs[0]) / (z[1] - z[0]));
  // The upper latent tail Z > z_{n−1} is the lower tail of W = −Z with slope −s.
  const upper = addTail(bins, xs[n - 1], -z[n - 1], -(xs[n - 1] - xs[n - 2]) / (z[n - 1] - z[n - 2]));
  const tailsOn = (side: -1 | 1): GaussianTail | null =>
    dominantTail([lower, upper].map((t) => (t && t.side === side ? t.tail : null)), side);
  const masses = bins.finish();
  return {
    estimator: `push-forward of ${n.toLocaleString('en-US')} latent quantiles (G linear between them and beyond the ends)`,
    ...masses,
    ...cellModel(grid, masses.logMass),
    ...moments(xs),
    tails: { lower: tailsOn(-1), upper: tailsOn(1) },
  };
}

export { kdeDensity } from './kde';
