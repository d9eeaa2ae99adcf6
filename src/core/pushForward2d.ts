/**
 * q on a 2-D lattice from the generator's output points (theory.md §7). The core never sees
 * the network: it takes G's outputs as row-major [n, 2] positions.
 *  - 2-D latent: the latent quantile lattice z_ij = (Φ⁻¹((i + ½)/m), Φ⁻¹((j + ½)/m)), each
 *    point carrying 1/m² of the prior, pushed through G and spread by cloud-in-cell
 *    (bilinear weights onto the four nearest cell centres), so q is a differentiable
 *    function of every point (theory.md §8). No sampling noise. G is evaluated at every
 *    second lattice index per axis (LatentNodes) and taken as bilinear in z between them,
 *    as the 1-D push-forward takes it as linear between its quantiles: exact for an affine G
 *    and for a ReLU network between its kinks, a quarter of the generator passes, and as near
 *    a 1024² lattice's q as evaluating all m² points (theory.md §7 gives the figures).
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

/**
 * Whether lattice index i of m is a node, where G is evaluated: every second index counted from
 * the nearer end, so both ends are nodes (no point is extrapolated) and the nodes are symmetric
 * about the centre, where two neighbours may both lie between nodes (the spacing in z is least there).
 */
const isNode = (i: number, m: number): boolean => Math.min(i, m - 1 - i) % 2 === 0;

/**
 * The m × m latent quantile lattice seen through its nodes: G is evaluated at `latent` (k × k
 * nodes, k ≈ m/2, row-major like latentQuantileLattice) and expand() gives the m² lattice
 * points, each bilinear in z between the four nodes around it.
 */
export class LatentNodes {
  readonly latent: Float32Array;
  /** Nodes per axis. */
  readonly count: number;
  /** Per lattice index: the node at or below it, and its weight towards the next node (0 at a node). */
  private readonly below: Int32Array;
  private readonly towardsNext: Float64Array;

  constructor(readonly side = DEFAULT_LATENT_SIDE) {
    if (!Number.isInteger(side) || side < 2) throw new RangeError(`latent lattice side must be an integer ≥ 2, got ${side}`);
    const z = latentQuantiles(side);
    const nodes: number[] = [];
    for (let i = 0; i < side; i++) if (isNode(i, side)) nodes.push(i);
    const k = nodes.length;
    this.count = k;
    this.below = new Int32Array(side);
    this.towardsNext = new Float64Array(side);
    for (let a = 0, i = 0; i < side; i++) {
      while (a + 1 < k && nodes[a + 1]! <= i) a++;
      this.below[i] = a;
      this.towardsNext[i] = nodes[a] === i ? 0 : (z[i]! - z[nodes[a]!]!) / (z[nodes[a + 1]!]! - z[nodes[a]!]!);
    }
    this.latent = new Float32Array(2 * k * k);
    for (let b = 0; b < k; b++) {
      for (let a = 0; a < k; a++) {
        this.latent[2 * (a + k * b)] = z[nodes[a]!]!;
        this.latent[2 * (a + k * b) + 1] = z[nodes[b]!]!;
      }
    }
  }

  /** G at the m² lattice points (row-major [m², 2], latentQuantileLattice's order) from G at the nodes. */
  expand(atNodes: Float32Array): Float32Array {
    const { side: m, count: k, below, towardsNext } = this;
    if (atNodes.length !== 2 * k * k) throw new RangeError(`expected G at ${k * k} latent nodes ([n, 2]), got length ${atNodes.length}`);
    const out = new Float32Array(2 * m * m);
    for (let j = 0; j < m; j++) {
      const b = below[j]!;
      const ty = towardsNext[j]!;
      const row0 = 2 * k * b;
      const row1 = ty === 0 ? row0 : row0 + 2 * k;
      for (let i = 0; i < m; i++) {
        const a = 2 * below[i]!;
        const tx = towardsNext[i]!;
        const a1 = tx === 0 ? a : a + 2;
        const o = 2 * (i + m * j);
        for (let d = 0; d < 2; d++) {
          const lower = atNodes[row0 + a + d]! + tx * (atNodes[row0 + a1 + d]! - atNodes[row0 + a + d]!);
          const upper = atNodes[row1 + a + d]! + tx * (atNodes[row1 + a1 + d]! - atNodes[row1 + a + d]!);
          out[o + d] = lower + ty * (upper - lower);
        }
      }
    }
    return out;
  }
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
    if (i0 >= 0 && j0 >= 0 && i0 + 1 < nx && j0 + 1 < ny) {
      // All four cells inside (nearly every point): the loop below unrolled, the same products in the same order.
      const k = i0 + nx * j0;
      const w0 = w * (1 - ty);
      const w1 = w * ty;
      mass[k] += w0 * (1 - tx);
      mass[k + 1] += w0 * tx;
      mass[k + nx] += w1 * (1 - tx);
      mass[k + nx + 1] += w1 * tx;
      continue;
    }
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
 * (m² points), `nodes` the LatentNodes they were expanded from, if they were; latentDim > 2:
 * G at Monte Carlo latent samples; latentDim 1: G on a curve.
 */
export function pushForward2D(l: Lattice, points: Float64Array | Float32Array, latentDim: number, nodes?: LatentNodes): GeneratorLattice {
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new RangeError(`latentDim must be an integer ≥ 1, got ${latentDim}`);
  const { mass, outsideMass } = cloudInCell(l, points);
  const n = (points.length / 2).toLocaleString('en-US');
  const between = nodes ? `, G evaluated at ${nodes.count}² of them and bilinear between` : '';
  const estimator = latentDim === 2
    ? `push-forward of ${n} latent quantiles (${Math.round(Math.sqrt(points.length / 2))}² lattice${between}), cloud-in-cell`
    : latentDim > 2
      ? `Monte Carlo: ${n} latent samples (latentDim ${latentDim}), cloud-in-cell`
      : `${n} points on a curve (latentDim 1): Q is singular, these masses are not a density`;
  return { ...latticeMasses(mass, outsideMass), estimator, singular: latentDim < 2 };
}
