/**
 * The generator's per-bin loss against the optimal ("oracle") critic of its loss on the lattice
 * (theory.md §8): D* = P_k/(P_k + Q_k) bin by bin for the GAN losses (logit v* = l = log P_k −
 * log Q_k), T* = f′(P_k/Q_k) for the f-GANs, the Kantorovich potential for WGAN. A sample's loss
 * is these values interpolated with the cloud-in-cell kernel (sampleGradients.ts's
 * interpolationGradients gives its gradient); interpolating the logit and applying the loss
 * afterwards is not the same thing and does not follow the objective (measured: cos 0.856
 * instead of 1 for minimax). With these, each loss's gradient is exactly that of its objective's
 * functional (firstVariation.ts's effectiveFunctional) up to a constant in φ.
 */
import { fFirstVariation, perBin, wasserstein1Functional, type LatticeFunctional } from './firstVariation';
import { cloudInCellLogBins, interpolationGradients, interpolateBins } from './sampleGradients';
import type { FDivergence } from './divergences';
import type { Lattice } from './lattice';
import { binCount } from './latticeBins';
import type { EffectiveObjectiveKind } from './objectives';
import { sigmoid, softplus } from './special';

/** The loss of one sample at the optimal critic, from l = log P − log Q at its bin. */
function pointwiseLoss(kind: EffectiveObjectiveKind, divergence: FDivergence | undefined): ((l: number) => number) | undefined {
  const need = (): FDivergence => {
    if (!divergence) throw new TypeError(`the ${kind} loss needs the f-divergence`);
    return divergence;
  };
  switch (kind) {
    // log(1 − D*) = −softplus(v*)
    case 'minimax': return (l) => -softplus(l);
    // −log D* = softplus(−v*)
    case 'nonSaturating': return (l) => softplus(-l);
    // log((1 − D*)/D*) = −v*
    case 'logRatio': return (l) => -l;
    case 'fganSaturating': {
      // −f*(T*) is f(r) − r f′(r) by the Fenchel equality (theory.md §1), which φ's closed forms
      // give without the cancellation of f* near the edge of its domain (2·JSD, GAN at large l).
      return fFirstVariation(need());
    }
    case 'fganNonSaturating': {
      const d = need();
      // −T* = −f′(P/Q); at P = 0 the limit f′(0⁺) of the optimal critic itself.
      return (l) => -d.optimalCritic(l);
    }
    // ½(D* − 1)² with labels 0/1, D* = σ(l)
    case 'leastSquares': return (l) => 0.5 * sigmoid(-l) ** 2;
    // −D* with the hinge critic's optimum sign(P − Q)
    case 'hinge': return (l) => -Math.sign(l);
    case 'wgan':
    case 'custom':
      return undefined;
  }
}

/**
 * Each bin's generator loss at the optimal critic of a loss of `kind`, on P and Q's log masses
 * per bin; undefined for custom losses (their loss of a critic value is only known to tfjs).
 * WGAN: −f* for the Kantorovich potential f* = −φ_W₁, i.e. φ_W₁ itself (`w1`, a
 * wasserstein1Functional: pass one that lives across calls for warm-started transport in 2-D).
 */
export function oracleBinLosses(kind: EffectiveObjectiveKind, l: Lattice, logP: Float64Array, logQ: Float64Array, divergence?: FDivergence, w1: LatticeFunctional = wasserstein1Functional()): Float64Array | undefined {
  const n = binCount(l);
  if (logP.length !== n || logQ.length !== n) throw new RangeError(`expected ${n} bins for P and Q, got ${logP.length} and ${logQ.length}`);
  if (kind === 'wgan') return w1.firstVariation(l, logP, logQ);
  const loss = pointwiseLoss(kind, divergence);
  return loss && perBin(logP, logQ, loss);
}

/**
 * The optimal critic's plotted value per bin (what the panel draws for D or T): D* = σ(l) for
 * the discriminator losses (GAN, least squares), T* = f′(P/Q) for the f-GANs, the hinge critic's
 * optimum sign(P − Q), and for WGAN the Kantorovich potential −φ_W₁; undefined for custom losses.
 */
export function optimalCriticBins(kind: EffectiveObjectiveKind, l: Lattice, logP: Float64Array, logQ: Float64Array, divergence?: FDivergence, w1: LatticeFunctional = wasserstein1Functional()): Float64Array | undefined {
  switch (kind) {
    case 'minimax':
    case 'nonSaturating':
    case 'logRatio':
    case 'leastSquares':
      return perBin(logP, logQ, sigmoid);
    case 'fganSaturating':
    case 'fganNonSaturating': {
      if (!divergence) throw new TypeError(`the ${kind} critic needs the f-divergence`);
      return perBin(logP, logQ, (r) => divergence.optimalCritic(r));
    }
    case 'hinge': return perBin(logP, logQ, Math.sign);
    case 'wgan': return w1.firstVariation(l, logP, logQ).map((v) => -v);
    case 'custom': return undefined;
  }
}

/** The generator's loss at the optimal critic on the cloud-in-cell q of a set of points. */
export interface OptimalCriticLoss {
  /** log Q per bin: the points' cloud-in-cell q. */
  readonly logQ: Float64Array;
  /** Each bin's loss (oracleBinLosses). */
  readonly binLoss: Float64Array;
  /** The mean loss over the points, Σ_k Q_k ℓ_k (bins without Q contribute nothing). */
  readonly loss: number;
  /** ∂loss/∂x_i, row-major [n, dim]: the interpolation slopes of ℓ over n. */
  readonly gradients: Float64Array;
}

/**
 * The set-level loss against the optimal critic computed from the points' own q, or undefined
 * where oracleBinLosses has none. Its gradient is exactly that of the loss's effective objective
 * on these bins (theory.md §8), so a generator trained on it follows that objective.
 */
export function optimalCriticLoss(kind: EffectiveObjectiveKind, l: Lattice, logP: Float64Array, points: Float32Array | Float64Array, divergence?: FDivergence, w1?: LatticeFunctional): OptimalCriticLoss | undefined {
  const logQ = cloudInCellLogBins(l, points);
  const binLoss = oracleBinLosses(kind, l, logP, logQ, divergence, w1);
  if (!binLoss) return undefined;
  let loss = 0;
  for (let k = 0; k < binLoss.length; k++) if (logQ[k] !== -Infinity) loss += Math.exp(logQ[k]) * binLoss[k];
  return { logQ, binLoss, loss, gradients: interpolationGradients(l, points, binLoss) };
}

/** The optimal critic's plotted value at points, interpolated from its bin values with the cloud-in-cell kernel. */
export function optimalCriticAt(l: Lattice, binValues: Float64Array, points: Float32Array | Float64Array): Float32Array {
  return Float32Array.from(interpolateBins(l, points, binValues));
}
