// Wasserstein GAN with a one-sided gradient penalty (Gulrajani et al. 2017; Petzka et al. 2018).
//
// Watch in the panel:
// - The divergence chart compares the critic gap E_P[f] − E_Q[f] with the exact W₁ computed
//   from the CDFs. W₁ falls from about 1.9 to about 0.2 within 700 steps, and while it falls
//   the gap reads it to within a few hundredths: the penalty keeps the critic 1-Lipschitz, so
//   the gap is W₁'s variational estimate, in x units, with no scale to guess.
// - The critic chart shows f_w(x) itself (its offset is arbitrary): slopes of about ±1, turning
//   where the CDFs of P and Q cross (W₁'s optimal critic has f′ = sign(F_Q − F_P)).
// - Why one-sided: the penalty charges only slopes above 1. The usual two-sided penalty
//   (‖∇f‖ − 1)² also charges the zero slope a one-dimensional critic must pass through to turn,
//   and in 1-D that traps it: examples/wgan-gp-1d-trap.gan.ts, theory.md §6.
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: analytic > 1.8 at step 0
//   claim: analytic < 0.35 at step 600
//   claim: |estimate − analytic| < 0.05 over steps 400–600
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.mixture([
    { weight: 0.5, mean: -2, std: 0.5 },
    { weight: 0.5, mean: 2, std: 0.5 },
  ]),
  generator: { kind: 'mlp', latentDim: 1, hidden: [32, 32], activation: 'leakyRelu' },
  critic: { hidden: [32, 32], activation: 'leakyRelu' },
  // Adam with β₁ = 0.5, β₂ = 0.9 and 5 critic steps as in the paper; the critic learns faster
  // than the generator so that its gap stays close to W₁ as the generator moves.
  criticOptimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5, beta2: 0.9 },
  generatorOptimizer: { kind: 'adam', lr: 3e-4, beta1: 0.5, beta2: 0.9 },
  criticSteps: 5,
  batchSize: 256,
  seed: 1,
  loss: losses.wgan({ gradientPenalty: 10, oneSided: true }),
});
