/**
 * A fixed latent quadrature set and a lattice over the target and the generator's image of it,
 * with P's exact log mass per bin: what the alignment (./alignment) and the optimal critic
 * (./optimalCritic) bin the generator's points on by cloud-in-cell (theory.md §8). The set is
 * fixed, so its numbers are steady (no minibatch noise), and the lattice is refitted only when
 * the points leave it (or, in 1-D, contract to under half of it), so consecutive uses share bins.
 *
 * Coarser than the view's q (1-D: 4,096 quantiles instead of 20,000; 2-D: a 64² latent lattice
 * on 64² cells instead of 256² on 128²): each use costs generator passes over the whole set,
 * and the identities of theory.md §8 are exact for any set's own binned q. In 2-D a 128² set
 * cost four times as much and lay no nearer the 256² set's cosines (docs/theory.md, alignment).
 */
import type { DataTarget } from '../core/dataTarget';
import { createGrid, targetOnGrid, type Grid } from '../core/grid';
import { createLattice2D, latticeContains, type Lattice } from '../core/lattice';
import { gridBins, gridLattice, latticeBins } from '../core/latticeBins';
import { fixedLatentSet } from '../core/pushForward2d';
import type { Density1D } from '../core/targets';
import { targetOnLattice2D } from '../core/targetCells2d';

/** Latent points and cells per axis of the set, by data dimension. */
export const BINNED_SET_SIZE = {
  1: { points: 4096, cells: 512 },
  2: { points: 64 * 64, cells: 64 },
} as const;

/** A lattice and P's log mass per bin (latticeBins.ts order). */
export interface LatticeWithP {
  readonly lattice: Lattice;
  readonly logP: Float64Array;
}

/**
 * The grid a 1-D view or set needs for points xs, or undefined when `current` still serves: it
 * covers the target and the points with a quarter of their span to spare, and is refitted when
 * a point leaves it or the points and target span less than half of it (so the plot does not stay
 * zoomed out after an early wide phase).
 */
export function refitGrid(current: Grid | undefined, target: Density1D, xs: Float32Array, size: number): Grid | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return undefined;
  const range = target.range();
  const needed = Math.max(range.hi, hi) - Math.min(range.lo, lo);
  if (current && lo >= current.lo && hi <= current.hi && needed > 0.5 * (current.hi - current.lo)) return undefined;
  const margin = 0.25 * (hi - lo);
  return createGrid(target, { size, include: { lo: lo - margin, hi: hi + margin } });
}

export class BinnedLatentSet {
  readonly latent: Float32Array;
  private grid: Grid | undefined;
  private bins: LatticeWithP | undefined;

  constructor(private readonly target: DataTarget, latentDim: number, seed: number) {
    // A quantile lattice only where the data is 2-D too (a 2-D latent for 1-D data is sampled).
    this.latent = fixedLatentSet(BINNED_SET_SIZE[target.dataDim].points, latentDim, seed ^ 0xa119, target.dataDim === 2);
  }

  /** Points in the set, whatever the latent dimension. */
  get size(): number {
    return BINNED_SET_SIZE[this.target.dataDim].points;
  }

  /** The lattice for the generator's points xs (row-major [n, dataDim]) with P's bins. */
  fit(xs: Float32Array): LatticeWithP {
    const t = this.target;
    const cells = BINNED_SET_SIZE[t.dataDim].cells;
    if (t.dataDim === 1) {
      const grid = refitGrid(this.grid, t.density, xs, cells);
      if (grid) {
        this.grid = grid;
        this.bins = { lattice: gridLattice(grid), logP: gridBins(targetOnGrid(t.density, grid)) };
      }
      if (!this.bins) throw new RangeError('the generator produced a non-finite value');
      return this.bins;
    }
    if (this.bins && latticeContains(this.bins.lattice, xs)) return this.bins;
    const lattice = createLattice2D(t.target, { side: cells, include: xs });
    this.bins = { lattice, logP: latticeBins(targetOnLattice2D(t.target, lattice)) };
    return this.bins;
  }
}
