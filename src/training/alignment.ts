/**
 * What the generator really descends (theory.md §8), measured at a snapshot on a latent
 * quadrature set binned by cloud-in-cell on a lattice: the generator loss's parameter gradient
 * through the current critic against the exact gradients of the divergence the critic
 * estimates (∇θ D) and of the loss's effective objective (∇θ E), the last update against ∇θ D,
 * and each sample's force from the critic against the exact force −∂ₓφ.
 *
 * Every value is a cosine in [−1, 1], +1 when the generator moves to decrease the divergence.
 * NaN means undefined: a gradient that is exactly zero (the generator gets no signal, e.g. JSD
 * on disjoint supports at the optimal critic), infinite (φ is infinite next to a sample: the
 * divergence is infinite or not differentiable there), or a functional that is not known (a
 * least-squares or custom loss's objective).
 */
import { divergenceFunctional, effectiveFunctional, wasserstein1Functional, type LatticeFunctional } from '../core/firstVariation';
import type { Lattice } from '../core/lattice';
import { optimalCriticLoss } from '../core/oracleCritic';
import { cloudInCellLogBins, interpolationGradients } from '../core/sampleGradients';
import { scaledFloat32 } from '../core/arrayLoops';
import type { AlignmentMetrics } from '../protocol';
import { BinnedLatentSet, type LatticeWithP } from './binnedLatentSet';
import type { TrainingEngine } from './engine';

/** The latent set, its points and the lattice with P's log mass per bin (latticeBins.ts order). */
export interface AlignmentSet {
  readonly latent: Float32Array;
  readonly xs: Float32Array;
  readonly lattice: Lattice;
  readonly logP: Float64Array;
}

export interface AlignmentResult {
  readonly metrics: AlignmentMetrics;
  /** φ of the estimated divergence per bin, for exact forces at other points (core/sampleGradients.ts interpolationForces); undefined when not known. */
  readonly divergencePhi: Float64Array | undefined;
  /** −∂ₓℓ_G at set.xs: what the critic tells each sample. */
  readonly criticForces: Float32Array;
  /** −∂ₓφ at set.xs: what the exact divergence would tell it; undefined with divergencePhi. */
  readonly exactForces: Float32Array | undefined;
  /** The critic network's raw outputs at set.xs, which the forces' pass computes anyway; undefined with the optimal critic. */
  readonly criticValues: Float32Array | undefined;
}

/** cos(a, b), or NaN when either is zero or not finite (undefined, not 0). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>, sign = 1): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  if (!(aa > 0 && bb > 0 && Number.isFinite(aa) && Number.isFinite(bb))) return NaN;
  return Math.max(-1, Math.min(1, (sign * ab) / Math.sqrt(aa * bb)));
}

const allFinite = (v: ArrayLike<number>): boolean => {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
  return true;
};

/** A functional's φ per bin and its per-sample gradients, finite or not; undefined where the functional does not exist. */
function functionalSlopes(set: AlignmentSet, logQ: Float64Array, f: LatticeFunctional | undefined) {
  if (!f || (f.dimensions && !f.dimensions.includes(set.lattice.axes.length))) return undefined;
  const phi = f.firstVariation(set.lattice, set.logP, logQ);
  const perSample = interpolationGradients(set.lattice, set.xs, phi);
  return { phi, perSample, finite: allFinite(perSample) };
}

/**
 * The four alignments at this snapshot. `lastUpdate` is θ after − θ before the generator's last
 * optimiser step (undefined before the first). With the optimal critic, the loss's side is the
 * optimal critic of this set's own bins (core/oracleCritic.ts), so that it and the objective's
 * side are the same binned functional.
 */
export function measureAlignment(trainer: TrainingEngine, set: AlignmentSet, lastUpdate: Float32Array | undefined, w1: LatticeFunctional = wasserstein1Functional()): AlignmentResult {
  const loss = trainer.loss;
  const n = set.xs.length / trainer.target.dataDim;
  const divergence = loss.analytic.kind === 'f' ? loss.analytic.divergence : undefined;
  const oracle = trainer.criticKind === 'optimal' ? optimalCriticLoss(loss.effective, set.lattice, set.logP, set.xs, divergence, w1) : undefined;
  // The same array as the oracle's: W₁'s functional reuses a transport solve only for the same bins object.
  const logQ = oracle?.logQ ?? cloudInCellLogBins(set.lattice, set.xs);
  const criticValues = oracle ? undefined : new Float32Array(n);
  const forces = oracle ? scaledFloat32(oracle.gradients, -n) : trainer.sampleForces(set.xs, criticValues);
  const d = functionalSlopes(set, logQ, divergenceFunctional(loss.analytic, w1));
  const e = functionalSlopes(set, logQ, effectiveFunctional(loss.effective, divergence, w1));
  // ∂L/∂x_i = −force_i / n: the loss is a mean over the set. One backward call for every finite set of slopes.
  const cotangents = [scaledFloat32(forces, -1 / n), ...[d, e].filter((x) => x?.finite).map((x) => scaledFloat32(x!.perSample, 1))];
  const [lossTheta, ...rest] = trainer.generatorParameterGradients(set.latent, cotangents) as [Float32Array, ...Float32Array[]];
  const dTheta = d?.finite ? rest.shift() : undefined;
  const eTheta = e?.finite ? rest.shift() : undefined;
  const metrics: AlignmentMetrics = {
    alignmentDivergence: dTheta ? cosine(lossTheta, dTheta) : NaN,
    alignmentEffective: eTheta ? cosine(lossTheta, eTheta) : NaN,
    alignmentUpdate: dTheta && lastUpdate ? cosine(lastUpdate, dTheta, -1) : NaN,
    // The exact force is −n·∂D/∂x_i; the scale does not enter a cosine.
    alignmentForce: dTheta ? cosine(forces, d!.perSample, -1) : NaN,
  };
  return {
    metrics,
    divergencePhi: dTheta ? d!.phi : undefined,
    criticForces: forces,
    exactForces: dTheta ? scaledFloat32(d!.perSample, -n) : undefined,
    criticValues,
  };
}

/**
 * The alignment of the generator as it is now, on its own binned latent set (./binnedLatentSet),
 * for either view: measure() once per snapshot, then the exact forces at any points.
 */
export class AlignmentProbe {
  private readonly set: BinnedLatentSet;
  /** W₁'s transport, warm-started from one snapshot to the next. */
  private readonly w1 = wasserstein1Functional();

  constructor(private readonly trainer: TrainingEngine) {
    this.set = new BinnedLatentSet(trainer.target, trainer.latentDim, trainer.definition.seed);
  }

  measure(): AlignmentResult & { readonly xs: Float32Array; readonly bins: LatticeWithP } {
    const xs = this.trainer.generate(this.set.latent);
    const bins = this.set.fit(xs);
    return { ...measureAlignment(this.trainer, { latent: this.set.latent, xs, ...bins }, this.trainer.lastGeneratorUpdate(), this.w1), xs, bins };
  }
}
