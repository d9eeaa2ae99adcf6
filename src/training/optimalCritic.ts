/**
 * `critic: { kind: 'optimal' }`: the generator trains against the exact optimal critic of its
 * loss on a lattice (theory.md §8, core/oracleCritic.ts), recomputed from q at every step; no
 * critic network is trained or read. The control experiment: what a loss does when the critic
 * is perfect.
 *
 * q is the cloud-in-cell binning of the generator on a fixed latent quadrature set
 * (./binnedLatentSet), and the generator's batch is that whole set: each sample's loss is the
 * per-bin loss interpolated with the binning's own kernel, so the update is exactly the gradient
 * of the loss's effective objective on these bins (minimax: 2·JSD, non-saturating:
 * KL(Q‖P) − 2·JSD, …) — a minibatch would reach bins the set leaves empty, where the optimal
 * critic is infinite. What the panel reads (the critic's values, its estimate, the forces on
 * samples) comes from the same bins for the current generator.
 */
import { divergenceFunctional, wasserstein1Functional } from '../core/firstVariation';
import { optimalCriticAt, optimalCriticBins, optimalCriticLoss, type OptimalCriticLoss } from '../core/oracleCritic';
import { interpolationForces } from '../core/sampleGradients';
import type { DataTarget } from '../core/dataTarget';
import type { TrainingLoss } from './losses';
import type { GradientEngine, GradientResult } from './gradientEngine';
import { BinnedLatentSet, type LatticeWithP } from './binnedLatentSet';

/** How the panel and the CLI name this critic. */
export const OPTIMAL_CRITIC_DESCRIPTION = 'optimal (exact, from p and q on the lattice: no network)';

interface State extends OptimalCriticLoss, LatticeWithP {
  readonly xs: Float32Array;
}

export class OptimalCritic {
  private readonly set: BinnedLatentSet;
  /** W₁'s transport (WGAN in 2-D), warm-started from one step to the next. */
  private readonly w1 = wasserstein1Functional();
  /** The bins of the generator as it is now; dropped whenever the generator changes. */
  private state: State | undefined;

  constructor(target: DataTarget, latentDim: number, seed: number) {
    this.set = new BinnedLatentSet(target, latentDim, seed);
  }

  /** The generator changed (an update, a restore): the bins are recomputed on the next use. */
  invalidate(): void {
    this.state = undefined;
  }

  private current(engine: GradientEngine, loss: TrainingLoss): State {
    if (this.state) return this.state;
    const xs = engine.generate(this.set.latent);
    const bins = this.set.fit(xs);
    const divergence = loss.analytic.kind === 'f' ? loss.analytic.divergence : undefined;
    const oracle = optimalCriticLoss(loss.effective, bins.lattice, bins.logP, xs, divergence, this.w1);
    // Validation admits only losses with a known optimal critic; a swap cannot bring another in.
    if (!oracle) throw new Error(`no optimal critic is known for the ${loss.name} loss here`);
    this.state = { ...oracle, ...bins, xs };
    return this.state;
  }

  /** The generator's loss and its gradient at the optimal critic on the set, kept as the generator's gradient for apply(). */
  generatorGradient(engine: GradientEngine, loss: TrainingLoss): GradientResult {
    const s = this.current(engine, loss);
    const [grad] = engine.generatorBackward(this.set.latent, [Float32Array.from(s.gradients)]) as [Float32Array];
    engine.writeGradient('generator', grad);
    let sum = 0;
    for (let i = 0; i < grad.length; i++) sum += grad[i]! * grad[i]!;
    return { loss: s.loss, norm: Math.sqrt(sum) };
  }

  /** The divergence the loss estimates, on the bins: what the optimal critic's bound attains. */
  estimate(engine: GradientEngine, loss: TrainingLoss): number {
    const s = this.current(engine, loss);
    return divergenceFunctional(loss.analytic, this.w1).value(s.lattice, s.logP, s.logQ);
  }

  /** The optimal critic as the panel draws it (D*, T* or the potential) at points x; NaN where it is not defined. */
  valuesAt(engine: GradientEngine, loss: TrainingLoss, x: Float32Array): Float32Array {
    const s = this.current(engine, loss);
    const divergence = loss.analytic.kind === 'f' ? loss.analytic.divergence : undefined;
    const bins = optimalCriticBins(loss.effective, s.lattice, s.logP, s.logQ, divergence, this.w1);
    return bins ? optimalCriticAt(s.lattice, bins, x) : new Float32Array(x.length).fill(NaN);
  }

  /**
   * −∂ₓ of each sample's loss at the optimal critic, at points x (row-major [n, dataDim]): the
   * slope of the interpolated per-bin loss. Non-finite (the critic is infinite there) where x
   * reaches a bin the set's q leaves empty.
   */
  forcesAt(engine: GradientEngine, loss: TrainingLoss, x: Float32Array): Float32Array {
    const s = this.current(engine, loss);
    return interpolationForces(s.lattice, x, s.binLoss);
  }
}
