// f-GAN with the reverse KL divergence KL(Q‖P): mode-seeking.
//
// Watch in the panel:
// - The Gaussian model settles on one of the two modes: reverse KL punishes q wherever p is
//   small, so covering the gap between the modes costs more than missing one.
// - The critic output T(x) = −exp(−V) is negative everywhere; T* = −q/p.
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.mixture([
    { weight: 0.5, mean: -2, std: 0.5 },
    { weight: 0.5, mean: 2, std: 0.5 },
  ]),
  generator: { kind: 'affine', mean: 0.5, std: 1 },
  critic: { hidden: [64, 64], activation: 'tanh' },
  optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
  criticSteps: 5,
  batchSize: 256,
  seed: 1,
  loss: losses.fgan('reverse_kl'),
});
