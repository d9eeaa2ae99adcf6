// Disjoint supports: the data lives on [1.5, 2], the generator starts on [−2, −1.5].
//
// Watch in the panel:
// - With losses.minimax() the JSD is stuck at log 2 while the supports do not overlap, and the
//   generator's gradient norm collapses towards 0 as the discriminator saturates
//   (Arjovsky & Bottou 2017).
// - Switch to losses.wgan({ gradientPenalty: 10 }) and save: W₁ = the distance between the
//   supports keeps a useful gradient and the generator moves across.
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
