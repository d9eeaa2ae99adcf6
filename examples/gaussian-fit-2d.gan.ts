// f-GAN fitting a full-covariance Gaussian x = μ + A·z to two modes in the plane: which
// divergence you minimise decides what "fit" means.
//
// Watch in the panel (and in `gan-lens train examples/gaussian-fit-2d.gan.ts --json`):
// - KL(P‖Q) (this file, saturating generator loss) is mass-covering: the model's mean goes to
//   P's mean (0, 0) and its covariance to P's, diag(4.25, 0.625): one wide Gaussian over both
//   modes (the moment match, the exact minimiser of KL(P‖Q) over Gaussians). The critic is
//   trained on minibatches, so the fit then wanders about it: the y variance read 0.66, 0.62
//   and 0.48 at steps 800, 3,000 and 6,000 (seed 1).
// - Reverse KL(Q‖P) is mode-seeking: from the same start the model settles on the right-hand
//   mode, N((2, 0), diag(0.25, 1)), and misses the other (the claim "with" below trains that variant).
// - GAN Lens's tests check both against the optimum of the exact divergence
//   (test/unit/training/convergence2d.test.ts).
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: |generatorMeanX| < 0.35 at step 800
//   claim: |generatorMeanY| < 0.35 at step 800
//   claim with "losses.fgan('kl', { generator: 'saturating' })" → "losses.fgan('reverse_kl')": generatorMeanX in [1.75, 2.25] at step 800
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.mixture([
    { weight: 0.5, mean: [-2, 0], std: 0.5 },
    { weight: 0.5, mean: [2, 0], std: [0.5, 1] },
  ]),
  generator: { kind: 'affine', mean: [0.5, 0.5], std: 1 },
  critic: { hidden: [64, 64], activation: 'tanh' },
  // The critic steps 5 times per generator step; the six-parameter generator can take larger steps.
  criticOptimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
  generatorOptimizer: { kind: 'adam', lr: 1e-2, beta1: 0.5 },
  criticSteps: 5,
  batchSize: 256,
  seed: 1,
  loss: losses.fgan('kl', { generator: 'saturating' }),
});
