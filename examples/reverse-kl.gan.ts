// f-GAN with the reverse KL divergence KL(Q‖P): mode-seeking.
//
// Watch in the panel:
// - The Gaussian model settles on one of the two modes within a few hundred steps (here the
//   right one, N(2, 0.5²) itself): reverse KL punishes q wherever p is small, so covering the
//   gap between the modes costs more than missing one. KL(Q‖P) ends at log 2 ≈ 0.693, the
//   price of missing half of p, and the critic's estimate reads it closely.
// - The critic output T(x) = −exp(−V) is negative everywhere; T* = −q/p.
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: generatorMean in [1.8, 2.2] over steps 300–600
//   claim: generatorStd in [0.4, 0.6] over steps 300–600
//   claim: analytic in [0.69, 0.72] over steps 300–600
//   claim: |estimate − analytic| < 0.03 over steps 300–600
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
  loss: losses.fgan('reverse_kl'),
});
