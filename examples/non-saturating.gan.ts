// Non-saturating GAN on two Gaussian modes: the setup most people train first.
//
// Watch in the panel:
// - Divergence chart: the analytic JSD falls from about log 2 ≈ 0.69 within a few hundred steps,
//   then keeps fluctuating (about 0.1–0.35) even when both modes look covered: q is spiky
//   wherever the generator's slope is near zero.
// - From about step 1,000 the discriminator sits at chance: its loss is log 4 ≈ 1.386 and its
//   estimate (V + log 4)/2 ≈ 0 while the exact JSD is 0.1–0.35. The panel says so under the
//   numbers: the gap is the critic's blindness, not convergence.
// - The dashed "effective objective" is KL(Q‖P) − 2·JSD: what this generator loss really
//   descends at the optimal discriminator (theory.md §2), not the JSD.
// - Critic chart: D(x) chases D*(x) = p/(p+q); where it lags, the estimate gap opens.
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: jsd > 0.65 at step 0
//   claim: jsd in [0.05, 0.4] over steps 1000–3000
//   claim: estimate < analytic over steps 0–3000
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
  criticSteps: 1,
  batchSize: 256,
  seed: 1,
  // Try losses.minimax() or losses.logRatio() and save: the loss is swapped into the running
  // training without losing the weights.
  loss: losses.nonSaturating(),
});
