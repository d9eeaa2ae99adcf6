/**
 * The 2-D alignment's own quadrature (theory.md §8): a 128² latent quantile lattice binned on
 * 64² cells, coarser than the view's 256² on 128². The view's set would cost three generator
 * backward passes over 65,536 points per snapshot; on this set the identity is still exact for
 * its own binned divergence (the oracle test measures 1 − cos ≤ 1e-13 on it), and the number
 * it gives is the same kind of number on a coarser q.
 */
import { latentQuantiles } from '../core/generatorDensity';
import { createLattice2D, latticeContains, type Lattice } from '../core/lattice';
import { latticeBins } from '../core/latticeBins';
import { latentQuantileLattice, latentSamples } from '../core/pushForward2d';
import { createRng } from '../core/rng';
import { targetOnLattice2D } from '../core/targetCells2d';
import type { Target2D } from '../core/targets2d';
import { exactForcesAt, measureAlignment, type AlignmentResult } from './alignment';
import type { TrainingEngine } from './engine';

export const ALIGNMENT_LATENT_SIDE = 128;
export const ALIGNMENT_LATTICE_SIDE = 64;

export class PlaneAlignment {
  private readonly latent: Float32Array;
  private bins: { lattice: Lattice; logP: Float64Array } | undefined;

  constructor(private readonly trainer: TrainingEngine, private readonly target: Target2D) {
    const m = ALIGNMENT_LATENT_SIDE;
    const d = trainer.latentDim;
    this.latent = d === 2 ? Float32Array.from(latentQuantileLattice(m))
      : d === 1 ? Float32Array.from(latentQuantiles(m * m))
        : Float32Array.from(latentSamples(createRng(trainer.definition.seed ^ 0xa119), m * m, d));
  }

  /** The alignments now, and the exact forces at `forcePoints` (empty when undefined). */
  measure(forcePoints: Float32Array): { result: AlignmentResult; exactForces: Float32Array } {
    const xs = this.trainer.generate(this.latent);
    const bins = this.fit(xs);
    const result = measureAlignment(this.trainer, { latent: this.latent, xs, ...bins }, this.trainer.lastGeneratorUpdate());
    const phi = result.divergencePhi;
    return { result, exactForces: phi ? exactForcesAt(bins.lattice, phi, forcePoints) : new Float32Array(0) };
  }

  /** A lattice over the target and the points, refitted only when a point leaves it. */
  private fit(xs: Float32Array): { lattice: Lattice; logP: Float64Array } {
    if (this.bins && latticeContains(this.bins.lattice, xs)) return this.bins;
    const lattice = createLattice2D(this.target, { side: ALIGNMENT_LATTICE_SIDE, include: xs });
    this.bins = { lattice, logP: latticeBins(targetOnLattice2D(this.target, lattice)) };
    return this.bins;
  }
}

