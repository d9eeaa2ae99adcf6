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
import { fFirstVariation, logRatio, WASSERSTEIN1 } from './firstVariation';
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
 * per bin; undefined for custom losses (their loss of a critic value is only known to tfjs) and
 * for WGAN in 2-D (its potential needs the transport dual). WGAN in 1-D: −f* for the
 * Kantorovich potential f* = −φ_W₁, i.e. φ_W₁ itself.
 */
export function oracleBinLosses(kind: EffectiveObjectiveKind, l: Lattice, logP: Float64Array, logQ: Float64Array, divergence?: FDivergence): Float64Array | undefined {
  const n = binCount(l);
  if (logP.length !== n || logQ.length !== n) throw new RangeError(`expected ${n} bins for P and Q, got ${logP.length} and ${logQ.length}`);
  if (kind === 'wgan') return l.axes.length === 1 ? WASSERSTEIN1.firstVariation(l, logP, logQ) : undefined;
  const loss = pointwiseLoss(kind, divergence);
  return loss && Float64Array.from(logP, (lp, k) => loss(logRatio(lp, logQ[k])));
}
