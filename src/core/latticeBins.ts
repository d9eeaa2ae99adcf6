/**
 * The bins a lattice functional sums over (firstVariation.ts): the lattice's cells in lattice
 * order, then the regions outside the cells, counted as the divergence code counts them — one
 * outside bin in 2-D (pushForward2d.ts's outside mass, divergences2d.ts's outside term), two in
 * 1-D (below and above, analytic.ts's outside share). Masses, not densities: q·f(p/q) is
 * homogeneous of degree one, so a divergence is Σ over bins of Q_k f(P_k/Q_k).
 */
import type { Grid, GridDensity } from './grid';
import { lattice, latticeAxis, type Lattice, type LatticeMasses } from './lattice';

/** Outside bins after the cells: 2 in 1-D (below, then above), 1 in 2-D. */
export function outsideBins(l: Lattice): number {
  if (l.axes.length === 1) return 2;
  if (l.axes.length === 2) return 1;
  throw new RangeError(`lattice bins need 1 or 2 axes, got ${l.axes.length}`);
}

export function binCount(l: Lattice): number {
  return l.size + outsideBins(l);
}

/** The bin of cell index k along a 1-D lattice, or of the region below (k < 0) or above (k ≥ count). */
export function bin1D(l: Lattice, k: number): number {
  return k < 0 ? l.size : k >= l.size ? l.size + 1 : k;
}

/** The bin of cell (i, j) of a 2-D lattice, or the outside bin. */
export function bin2D(l: Lattice, i: number, j: number): number {
  const [ax, ay] = l.axes;
  return i < 0 || j < 0 || i >= ax!.count || j >= ay!.count ? l.size : i + ax!.count * j;
}

/** The 1-D grid's cells as a one-axis lattice: cell k is [x_k − dx/2, x_k + dx/2], its centre x_k. */
export function gridLattice(grid: Grid): Lattice {
  return lattice([latticeAxis(grid.lo - grid.dx / 2, grid.hi + grid.dx / 2, grid.x.length)]);
}

/** log mass per bin of a density on the grid (the target's exact cell masses, below and above). */
export function gridBins(p: GridDensity): Float64Array {
  const n = p.logMass.length;
  const out = new Float64Array(n + 2);
  out.set(p.logMass);
  out[n] = p.logMassBelow;
  out[n + 1] = p.logMassAbove;
  return out;
}

/** log mass per bin of lattice masses (cells, then outside). */
export function latticeBins(p: LatticeMasses): Float64Array {
  const out = new Float64Array(p.logMass.length + 1);
  out.set(p.logMass);
  out[p.logMass.length] = p.logOutsideMass;
  return out;
}
