// Goodfellow's original minimax game: the generator descends E_Q[log(1 − D)].
//
// Watch in the panel:
// - The saturation that motivated the non-saturating loss does not show here: from this start
//   the discriminator is never confident (D stays near ½ on the generator's samples), so
//   log(1 − D) is not flat there and the generator's gradient norm (losses chart) never
//   collapses; the JSD falls as fast as in examples/non-saturating.gan.ts. Saturation needs a
//   discriminator that wins: examples/disjoint-supports.gan.ts.
// - At the optimal discriminator this loss descends 2·JSD − log 4, so the dashed effective
//   objective is the analytic JSD, doubled and shifted.
// - As with the non-saturating loss, the discriminator ends at chance (loss log 4) while the
//   JSD stays near 0.2: the panel says so under the numbers.
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: jsd > 0.65 at step 0
//   claim: jsd in [0.05, 0.4] over steps 1000–3000
//   claim: generatorGradNorm > 0.01 over steps 25–3000
//   claim: critic at chance at step 3000
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
