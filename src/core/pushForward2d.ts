/**
 * q on a 2-D lattice from the generator's output points (theory.md §7). The core never sees
 * the network: it takes G's outputs as row-major [n, 2] positions.
 *  - 2-D latent: the latent quantile lattice z_ij = (Φ⁻¹((i + ½)/m), Φ⁻¹((j + ½)/m)), each
 *    point carrying 1/m² of the prior, pushed through G and spread by cloud-in-cell
 *    (bilinear weights onto the four nearest cell centres), so q is a differentiable
 *    function of every point (theory.md §8). No sampling noise.
 *  - latentDim > 2: Monte Carlo latent samples, spread the same way; the estimator says so.
 *  - latentDim 1: the points lie on a curve and Q has no density (singular). The lattice
 *    masses are still returned (for plots and W₁) but are flagged: they are not q.
 */
import { latentQuantiles } from './generatorDensity';
import { latticeMasses, type Lattice, type LatticeMasses } from './lattice';
import { createRng, type Rng } from './rng';

export const DEFAULT_LATENT_SIDE = 256;

export interface GeneratorLattice extends LatticeMasses {
  /** Names the estimator shown next to every number computed from q. */
  readonly estimator: string;
  /** True when Q is concentrated on a curve (latentDim < 2): no density, divergences are decided exactly elsewhere. */
  readonly singular: boolean;
}

/** The m × m latent quantile lattice, row-major [m², 2]: equal prior mass 1/m² per point. */
export function latentQuantileLattice(m = DEFAULT_LATENT_SIDE): Float64Array {
  const z = latentQuantiles(m);
  const out = new Float64Array(2 * m * m);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < m; i++) {
      out[2 * (i + m * j)] = z[i];
      out[2 * (i + m * j) + 1] = z[j];
    }
  }
  return out;
}

/** n latent samples of dimension dim, row-major [n, dim], for the Monte Carlo estimator. */
export function latentSamples(rng: Rng, n: number, dim: number): Float64Array {
  const out = new Float64Array(n * dim);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  return out;
}

/**
 * A fixed latent set of `points` points, so that what it feeds does not flicker between frames:
 * quantiles along a 1-D latent, the quantile lattice for a 2-D one when `lattice` (`points` a
 * square), else a sample drawn from `seed`.
 */
export function fixedLatentSet(points: number, latentDim: number, seed: number, lattice = true): Float32Array {
  if (latentDim === 1) return Float32Array.from(latentQuantiles(points));
  if (latentDim === 2 && lattice) return Float32Array.from(latentQuantileLattice(Math.round(Math.sqrt(points))));
  return Float32Array.from(latentSamples(createRng(seed), points, latentDim));
}

/**
 * Cloud-in-cell masses of equally weighted points (row-major [n, 2]). A point's weight that
 * falls beyond the outermost cell centres is counted outside the lattice, so Σ mass +
 * outsideMass = 1 exactly.
 */
export function cloudInCell(l: Lattice, points: Float64Array | Float32Array): { mass: Float64Array; outsideMass: number } {
  if (l.axes.length !== 2) throw new RangeError(`cloud-in-cell needs a 2-D lattice, got ${l.axes.length} axes`);
  if (points.length < 2 || points.length % 2 !== 0) throw new RangeError(`points must be row-major [n, 2], got length ${points.length}`);
  const [ax, ay] = l.axes;
  const nx = ax.count;
  const ny = ay.count;
  const n = points.length / 2;
  const w = 1 / n;
  const mass = new Float64Array(l.size);
  let outside = 0;
  for (let p = 0; p < n; p++) {
    const x = points[2 * p];
    const y = points[2 * p + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError(`point ${p} is (${x}, ${y}): the generator produced a non-finite value`);
    const fx = (x - ax.lo) / ax.width - 0.5;
    const fy = (y - ay.lo) / ay.width - 0.5;
    const i0 = Math.floor(fx);
    const j0 = Math.floor(fy);
    const tx = fx - i0;
    const ty = fy - j0;
    for (let dj = 0; dj < 2; dj++) {
      const j = j0 + dj;
      const wy = w * (dj === 0 ? 1 - ty : ty);
      for (let di = 0; di < 2; di++) {
        const i = i0 + di;
        const share = wy * (di === 0 ? 1 - tx : tx);
        if (i < 0 || j < 0 || i >= nx || j >= ny) outside += share;
        else mass[i + nx * j] += share;
      }
    }
  }
  return { mass, outsideMass: outside };
}

/**
 * q on the lattice from G's outputs. latentDim 2: `points` must be G at latentQuantileLattice(m)
 * (m² points); latentDim > 2: G at Monte Carlo latent samples; latentDim 1: G on a curve.
 */
export function pushForward2D(l: Lattice, points: Float64Array | Float32Array, latentDim: number): GeneratorLattice {
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new RangeError(`latentDim must be an integer ≥ 1, got ${latentDim}`);
  const { mass, outsideMass } = cloudInCell(l, points);
  const n = (points.length / 2).toLocaleString('en-US');
  const estimator = latentDim === 2
    ? `push-forward of ${n} latent quantiles (cloud-in-cell)`
    : latentDim > 2
      ? `Monte Carlo: ${n} latent samples (latentDim ${latentDim}), cloud-in-cell`
      : `${n} points on a curve (latentDim 1): Q is singular, these masses are not a density`;
  return { ...latticeMasses(mass, outsideMass), estimator, singular: latentDim < 2 };
}
