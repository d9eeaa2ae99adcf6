// Disjoint supports: the data lives on [1.5, 2], the generator starts on [−2, −1.5].
//
// Watch in the panel:
// - With losses.minimax() the JSD is stuck at log 2 while the supports do not overlap, the
//   discriminator saturates (its estimate is log 2 too: it is right, and useless), and the
//   generator's gradient norm collapses towards 0: the generator does not move
//   (Arjovsky & Bottou 2017).
// - Switch to losses.wgan({ gradientPenalty: 10, oneSided: true }) and save: W₁ = the distance
//   between the supports keeps a useful gradient and the generator moves across, about one unit
//   per thousand steps at this learning rate.
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: jsd > 0.68 over steps 0–3000
//   claim: generatorGradNorm < 1e-5 over steps 1500–3000
//   claim: generatorMean in [−1.85, −1.65] at step 3000
//   claim with "losses.minimax()" → "losses.wgan({ gradientPenalty: 10, oneSided: true })": generatorMean > −1.6 at step 300
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.uniform(1.5, 2),
  generator: { kind: 'affine', mean: -1.75, std: 0.1 },
  critic: { hidden: [32, 32], activation: 'leakyRelu' },
  optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
  criticSteps: 5,
  batchSize: 256,
  seed: 1,
  loss: losses.minimax(),
});
