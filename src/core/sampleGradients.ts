/**
 * Per-sample gradients of a binned functional (theory.md §8). q is binned by cloud-in-cell from
 * n equally weighted points: Q_k = (1/n) Σ_i w_k(x_i), w the linear (1-D) or bilinear (2-D)
 * weights onto the nearest cell centres. A functional D of the bins then depends smoothly on
 * every point, and ∂D/∂x_i = (1/n) Σ_k φ_k ∂w_k/∂x_i: the slope of φ interpolated with the same
 * kernel, divided by n. One backward pass through the generator with these gives ∇_θ D of the
 * binned functional exactly.
 *
 * Which q: in 2-D this is the 2-D inspector's q itself (pushForward2d.ts's cloudInCell, reused).
 * In 1-D the inspector's q is the piecewise-linear push-forward of generatorDensity.ts, with
 * Gaussian tails, on the nodes of its cells; the numbers here use instead the cloud-in-cell q
 * of the same points on the same grid's cells (gridLattice), so a 1-D divergence from this
 * module differs from the inspector's by the binning (theory.md §8 allows it; say which q).
 * Weight beyond the outermost cell centres goes to the outside bins in both, as in
 * pushForward2d.ts (1-D: below or above).
 */
import type { LatticeFunctional } from './firstVariation';
import type { Lattice } from './lattice';
import { bin1D, bin2D, binCount } from './latticeBins';
import { cloudInCell } from './pushForward2d';

type Points = Float64Array | Float32Array;

function checkPoints(l: Lattice, points: Points): number {
  const dim = l.axes.length;
  if (points.length < dim || points.length % dim !== 0) throw new RangeError(`points must be row-major [n, ${dim}], got length ${points.length}`);
  for (let i = 0; i < points.length; i++) {
    if (!Number.isFinite(points[i])) throw new RangeError(`point ${Math.floor(i / dim)} has ${points[i]}: the generator produced a non-finite value`);
  }
  return points.length / dim;
}

/** Fractional cell coordinate of x on an axis, as pushForward2d.ts computes it: centres at integers. */
function cellCoordinate(axis: { lo: number; width: number }, x: number): { k: number; t: number } {
  const f = (x - axis.lo) / axis.width - 0.5;
  const k = Math.floor(f);
  return { k, t: f - k };
}

/** Cloud-in-cell masses per bin (cells, then outside) of equally weighted points; they sum to 1. */
export function cloudInCellBins(l: Lattice, points: Points): Float64Array {
  const n = checkPoints(l, points);
  const out = new Float64Array(binCount(l));
  if (l.axes.length === 2) {
    const { mass, outsideMass } = cloudInCell(l, points);
    out.set(mass);
    out[l.size] = outsideMass;
    return out;
  }
  const axis = l.axes[0]!;
  const w = 1 / n;
  for (let i = 0; i < n; i++) {
    const { k, t } = cellCoordinate(axis, points[i]);
    out[bin1D(l, k)] += w * (1 - t);
    out[bin1D(l, k + 1)] += w * t;
  }
  return out;
}

/** log of cloudInCellBins: the Q that the functionals take. */
export function cloudInCellLogBins(l: Lattice, points: Points): Float64Array {
  return cloudInCellBins(l, points).map(Math.log);
}

/** w·(b − a), and 0 when w is 0 even if b − a is not finite (a weight of zero reads nothing). */
const weighted = (w: number, a: number, b: number): number => (w === 0 ? 0 : w * (b - a));

/**
 * ∂/∂x_i of (1/n) Σ_i Σ_k w_k(x_i) v_k, row-major [n, dim]: the per-sample gradient of a
 * functional whose φ is v, or of a per-sample loss interpolated from bin values v. At a cell
 * centre (t = 0) the slope is the one towards the next centre up, as the kernel's floor has it.
 */
export function interpolationGradients(l: Lattice, points: Points, binValues: Float64Array): Float64Array {
  const n = checkPoints(l, points);
  if (binValues.length !== binCount(l)) throw new RangeError(`expected ${binCount(l)} bin values, got ${binValues.length}`);
  const v = binValues;
  if (l.axes.length === 1) {
    const axis = l.axes[0]!;
    const scale = 1 / (n * axis.width);
    return Float64Array.from(points, (x) => {
      const { k } = cellCoordinate(axis, x);
      return scale * (v[bin1D(l, k + 1)] - v[bin1D(l, k)]);
    });
  }
  const [ax, ay] = l.axes;
  const sx = 1 / (n * ax!.width);
  const sy = 1 / (n * ay!.width);
  const out = new Float64Array(2 * n);
  for (let p = 0; p < n; p++) {
    const { k: i, t: tx } = cellCoordinate(ax!, points[2 * p]);
    const { k: j, t: ty } = cellCoordinate(ay!, points[2 * p + 1]);
    const v00 = v[bin2D(l, i, j)];
    const v10 = v[bin2D(l, i + 1, j)];
    const v01 = v[bin2D(l, i, j + 1)];
    const v11 = v[bin2D(l, i + 1, j + 1)];
    out[2 * p] = sx * (weighted(1 - ty, v00, v10) + weighted(ty, v01, v11));
    out[2 * p + 1] = sy * (weighted(1 - tx, v00, v01) + weighted(tx, v10, v11));
  }
  return out;
}

/**
 * Σ_k w_k(x_i) v_k at each point, the bin values interpolated with the cloud-in-cell kernel (what
 * a per-sample loss built from bin values is at that sample). A weight of zero reads nothing.
 */
export function interpolateBins(l: Lattice, points: Points, binValues: Float64Array): Float64Array {
  const n = checkPoints(l, points);
  if (binValues.length !== binCount(l)) throw new RangeError(`expected ${binCount(l)} bin values, got ${binValues.length}`);
  const v = binValues;
  const mix = (w: number, a: number): number => (w === 0 ? 0 : w * a);
  if (l.axes.length === 1) {
    const axis = l.axes[0]!;
    return Float64Array.from(points, (x) => {
      const { k, t } = cellCoordinate(axis, x);
      return mix(1 - t, v[bin1D(l, k)]) + mix(t, v[bin1D(l, k + 1)]);
    });
  }
  const [ax, ay] = l.axes;
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const { k: i, t: tx } = cellCoordinate(ax!, points[2 * p]);
    const { k: j, t: ty } = cellCoordinate(ay!, points[2 * p + 1]);
    out[p] = mix((1 - tx) * (1 - ty), v[bin2D(l, i, j)]) + mix(tx * (1 - ty), v[bin2D(l, i + 1, j)])
      + mix((1 - tx) * ty, v[bin2D(l, i, j + 1)]) + mix(tx * ty, v[bin2D(l, i + 1, j + 1)]);
  }
  return out;
}

/**
 * −∂ₓ of each sample's own value of the interpolated bin values v, at points (row-major [n, dim]):
 * the force a per-sample loss (or a first variation φ) built from bin values puts on a sample
 * there, n times interpolationGradients since that is the gradient of a mean.
 */
export function interpolationForces(l: Lattice, points: Points, binValues: Float64Array): Float32Array {
  const n = points.length / l.axes.length;
  return Float32Array.from(interpolationGradients(l, points, binValues), (g) => -n * g);
}

export interface BinnedFunctional {
  /** log Q per bin: the cloud-in-cell q of the points. */
  readonly logQ: Float64Array;
  /** The functional on (P, that q). */
  readonly value: number;
  /** φ per bin. */
  readonly firstVariation: Float64Array;
  /** ∂value/∂x_i, row-major [n, dim]. */
  readonly gradients: Float64Array;
}

/** A functional of P (log mass per bin) and the cloud-in-cell q of the points, with its per-sample gradients. */
export function binnedFunctional(f: LatticeFunctional, l: Lattice, logP: Float64Array, points: Points): BinnedFunctional {
  const logQ = cloudInCellLogBins(l, points);
  const firstVariation = f.firstVariation(l, logP, logQ);
  return { logQ, value: f.value(l, logP, logQ), firstVariation, gradients: interpolationGradients(l, points, firstVariation) };
}
