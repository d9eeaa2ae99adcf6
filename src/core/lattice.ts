/**
 * A lattice of cells with per-axis uniform edges, and masses on it as flat arrays (the
 * first axis varies fastest: cell (i, j) of a 2-D lattice is i + nx·j). One axis is the
 * 1-D grid's cells; two axes are theory.md §7's lattice. Masses, not densities: the
 * divergence sums need only P_i and Q_i, since q·f(p/q) is homogeneous of degree one.
 */
import type { Vec2 } from './targets2d';
import { targetExtent, type Target2D } from './targets2d';

export interface LatticeAxis {
  /** Outer edges (units of x); cell k spans [lo + k·width, lo + (k + 1)·width]. */
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
  readonly width: number;
}

export interface Lattice {
  readonly axes: readonly LatticeAxis[];
  /** Number of cells, the product of the axes' counts. */
  readonly size: number;
}

/** Probability per cell and the probability outside every cell. */
export interface LatticeMasses {
  readonly mass: Float64Array;
  /** log mass per cell, exact where mass underflows; −∞ for an empty cell. */
  readonly logMass: Float64Array;
  readonly outsideMass: number;
  readonly logOutsideMass: number;
}

export const DEFAULT_LATTICE_SIDE = 128;
/** Share of the covered width added on each side, as the 1-D grid does. */
const PADDING = 0.05;
/** Generator samples may widen the box to at most this many times the target's width per axis, so one stray sample cannot empty every cell. */
const MAX_WIDENING = 3;
/** Each axis spans at least this share of the longer one. */
const MIN_ASPECT = 0.25;

export function latticeAxis(lo: number, hi: number, count: number): LatticeAxis {
  if (!Number.isInteger(count) || count < 2) throw new RangeError(`a lattice axis needs an integer count ≥ 2, got ${count}`);
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`a lattice axis needs finite lo < hi, got [${lo}, ${hi}]`);
  return { lo, hi, count, width: (hi - lo) / count };
}

export function lattice(axes: readonly LatticeAxis[]): Lattice {
  return { axes, size: axes.reduce((n, a) => n * a.count, 1) };
}

/** Centre of cell k on an axis. */
export const cellCentre = (axis: LatticeAxis, k: number): number => axis.lo + (k + 0.5) * axis.width;

/** Edge k (0 … count) of an axis. */
export const cellEdge = (axis: LatticeAxis, k: number): number => (k === axis.count ? axis.hi : axis.lo + k * axis.width);

export interface Lattice2DOptions {
  /** Cells per axis (default 128). */
  readonly side?: number;
  /** Generator output, row-major [n, 2], whose bounding box is covered too (up to 3× the target's width per axis, its other one across a segment). */
  readonly include?: Float64Array | Float32Array;
}

/** A side × side lattice over the target's extent (Gaussians to 8 std) and the generator's points, padded 5% per side. */
export function createLattice2D(target: Target2D, options: Lattice2DOptions = {}): Lattice {
  const side = options.side ?? DEFAULT_LATTICE_SIDE;
  const { lo, hi } = targetExtent(target);
  const box: [number, number][] = [[lo[0], hi[0]], [lo[1], hi[1]]];
  // Along an axis where the target has no width (a segment across it), the generator's points
  // may widen the box as far as along the other: a curve beside a segment is what is shown there.
  const longer = Math.max(hi[0] - lo[0], hi[1] - lo[1], 1e-6);
  for (const k of [0, 1]) {
    const own = box[k][1] - box[k][0];
    const width = own <= 1e-6 * longer ? longer : own;
    const limits: Vec2 = [box[k][0] - (MAX_WIDENING - 1) * width / 2, box[k][1] + (MAX_WIDENING - 1) * width / 2];
    const points = options.include;
    if (points) {
      for (let i = k; i < points.length; i += 2) {
        const v = points[i];
        if (!Number.isFinite(v)) throw new RangeError(`include[${i}] is ${v}: the generator produced a non-finite value`);
        box[k][0] = Math.max(limits[0], Math.min(box[k][0], v));
        box[k][1] = Math.min(limits[1], Math.max(box[k][1], v));
      }
    }
    // A degenerate extent (a segment along one axis) still needs cells of positive width.
    if (box[k][1] - box[k][0] < 1e-6) {
      const other = box[1 - k][1] - box[1 - k][0];
      const half = Math.max(other, 1) / 2;
      box[k] = [box[k][0] - half, box[k][1] + half];
    }
  }
  // Cells no more than 4× longer one way than the other: a box thin along one axis (a segment,
  // a generator that starts near a line) would otherwise have cells far narrower than anything
  // it shows, and W₁'s coarsened lattice would lose the mass between them.
  const span = Math.max(box[0][1] - box[0][0], box[1][1] - box[1][0]);
  for (const k of [0, 1]) {
    const short = MIN_ASPECT * span - (box[k][1] - box[k][0]);
    if (short > 0) box[k] = [box[k][0] - short / 2, box[k][1] + short / 2];
    const pad = PADDING * (box[k][1] - box[k][0]);
    box[k] = [box[k][0] - pad, box[k][1] + pad];
  }
  return lattice([latticeAxis(box[0][0], box[0][1], side), latticeAxis(box[1][0], box[1][1], side)]);
}

/** Masses from a plain mass array (outside = 1 − Σ mass, floored at 0). */
export function latticeMasses(mass: Float64Array, outsideMass?: number): LatticeMasses {
  let inside = 0;
  for (let i = 0; i < mass.length; i++) inside += mass[i];
  const outside = outsideMass ?? Math.max(0, 1 - inside);
  return { mass, logMass: mass.map(Math.log), outsideMass: outside, logOutsideMass: Math.log(outside) };
}

/** Masses from log masses (exact in the tails). */
export function latticeMassesFromLog(logMass: Float64Array, logOutsideMass: number): LatticeMasses {
  return { mass: logMass.map(Math.exp), logMass, outsideMass: Math.exp(logOutsideMass), logOutsideMass };
}

/** The lattice with `factor` × `factor` blocks merged, and masses summed into them (the sides must divide by factor). */
export function coarsen2D(l: Lattice, mass: Float64Array, factor: number): { lattice: Lattice; mass: Float64Array } {
  const [ax, ay] = l.axes;
  if (!Number.isInteger(factor) || factor < 1 || ax.count % factor !== 0 || ay.count % factor !== 0) {
    throw new RangeError(`coarsening factor ${factor} must divide both sides (${ax.count} × ${ay.count})`);
  }
  const nx = ax.count / factor;
  const ny = ay.count / factor;
  const out = new Float64Array(nx * ny);
  for (let j = 0; j < ay.count; j++) {
    const row = Math.floor(j / factor) * nx;
    for (let i = 0; i < ax.count; i++) out[row + Math.floor(i / factor)] += mass[i + ax.count * j];
  }
  return { lattice: lattice([latticeAxis(ax.lo, ax.hi, nx), latticeAxis(ay.lo, ay.hi, ny)]), mass: out };
}

/** Whether every point (row-major [n, 2]) lies on a 2-D lattice's cells; a non-finite point does not. */
export function latticeContains(l: Lattice, xs: Float32Array | Float64Array): boolean {
  const [ax, ay] = l.axes;
  for (let i = 0; i < xs.length; i += 2) {
    if (!(xs[i]! >= ax!.lo && xs[i]! <= ax!.hi && xs[i + 1]! >= ay!.lo && xs[i + 1]! <= ay!.hi)) return false;
  }
  return true;
}
