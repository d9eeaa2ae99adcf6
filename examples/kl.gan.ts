// f-GAN with the Kullback–Leibler divergence KL(P‖Q), fitting a Gaussian x = μ + σ·z to two modes.
//
// Watch in the panel:
// - The critic chart plots T(x) = V(x) against T*(x) = 1 + log(p/q).
// - With the saturating generator loss the model minimises KL(P‖Q): it spreads to cover both
//   modes (mass-covering) within a few hundred steps, σ ≈ 2, and KL(P‖Q) settles at its
//   minimum over Gaussians, 0.724; the critic's estimate reads it to within about 10 %.
// - With generator: 'nonSaturating' the generator descends −E_Q[f′(p/q)], which is KL(Q‖P) − 1
//   pathwise at the optimal critic (theory.md §2), not KL(P‖Q): the dashed effective objective
//   shows it. For mode seeking from this start see examples/reverse-kl.gan.ts.
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: analytic > 1.5 at step 0
//   claim: generatorStd in [1.9, 2.25] over steps 300–600
//   claim: analytic < 0.73 at step 600
//   claim: |estimate − analytic| < 0.08 over steps 300–600
//   claim: critic not at chance at step 600
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.mixture([
    { weight: 0.5, mean: -2, std: 0.5 },
    { weight: 0.5, mean: 2, std: 0.5 },
  ]),
  generator: { kind: 'affine', mean: 0.5, std: 1 },
  critic: { hidden: [64, 64], activation: 'tanh' },
  // The critic steps 5 times per generator step; the two-parameter generator can take larger steps.
  criticOptimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
  generatorOptimizer: { kind: 'adam', lr: 1e-2, beta1: 0.5 },
  criticSteps: 5,
  batchSize: 256,
  seed: 1,
  loss: losses.fgan('kl', { generator: 'saturating' }),
});
