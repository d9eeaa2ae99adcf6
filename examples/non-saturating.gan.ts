// Non-saturating GAN on two Gaussian modes: the setup most people train first.
//
// Watch in the panel:
// - Divergence chart: the analytic JSD falls from about log 2 ≈ 0.69 but keeps fluctuating
//   (0.07–0.25) even when both modes look covered: q is spiky wherever the generator's slope
//   is near zero. The discriminator's estimate (V + log 4)/2 stays below the analytic curve.
// - The dashed "effective objective" is KL(Q‖P) − 2·JSD: what this generator loss really
//   descends at the optimal discriminator (theory.md §2), not the JSD.
// - Critic chart: D(x) chases D*(x) = p/(p+q); where it lags, the estimate gap opens.
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.mixture([
    { weight: 0.5, mean: -2, std: 0.5 },
    { weight: 0.5, mean: 2, std: 0.5 },
  ]),
  generator: { kind: 'mlp', latentDim: 1, hidden: [32, 32], activation: 'leakyRelu' },
  critic: { hidden: [32, 32], activation: 'leakyRelu' },
  optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
  criticSteps: 1,
  batchSize: 256,
  seed: 1,
  // Try losses.minimax() or losses.logRatio() and save: the loss is swapped into the running
  // training without losing the weights.
  loss: losses.nonSaturating(),
});
