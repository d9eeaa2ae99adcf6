// Goodfellow's original minimax game: the generator descends E_Q[log(1 − D)].
//
// Watch in the panel:
// - Early on D(x) ≈ 0 on the generator's samples, so log(1 − D) is flat there: the generator's
//   gradient norm (losses chart) is small and progress is slow — the saturation that motivated
//   the non-saturating loss.
// - At the optimal discriminator this loss descends 2·JSD − log 4, so the effective objective
//   curve tracks the analytic JSD (shifted).
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.mixture([
    { weight: 0.5, mean: -2, std: 0.5 },
    { weight: 0.5, mean: 2, std: 0.5 },
  ]),
  generator: { kind: 'mlp', latentDim: 1, hidden: [32, 32], activation: 'leakyRelu' },
  critic: { hidden: [32, 32], activation: 'leakyRelu' },
  optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
  batchSize: 256,
  seed: 1,
  loss: losses.minimax(),
});
