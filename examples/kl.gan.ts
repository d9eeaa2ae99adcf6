// f-GAN with the Kullback–Leibler divergence KL(P‖Q), fitting a Gaussian x = μ + σ·z to two modes.
//
// Watch in the panel:
// - The critic chart plots T(x) = V(x) against T*(x) = 1 + log(p/q).
// - With the saturating generator loss the model minimises KL(P‖Q): it spreads to cover both
//   modes (mass-covering), σ grows to about 2.
// - Change the generator to 'nonSaturating' and save: the effective objective becomes
//   −E_Q[f′(p/q)] = KL(Q‖P) (theory.md §2) and the Gaussian collapses onto one mode instead.
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
  loss: losses.fgan('kl', { generator: 'saturating' }),
});
