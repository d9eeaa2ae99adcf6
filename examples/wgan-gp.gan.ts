// Wasserstein GAN with gradient penalty (Gulrajani et al. 2017).
//
// Watch in the panel:
// - The divergence chart compares the critic gap E_P[f] − E_Q[f] with the exact W₁ computed
//   from the CDFs: with the penalty keeping the critic 1-Lipschitz, the two agree closely.
// - The critic chart shows f_w(x) itself (its offset is arbitrary): a slope of about ±1
//   between the modes.
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.mixture([
    { weight: 0.5, mean: -2, std: 0.5 },
    { weight: 0.5, mean: 2, std: 0.5 },
  ]),
  generator: { kind: 'mlp', latentDim: 1, hidden: [32, 32], activation: 'leakyRelu' },
  critic: { hidden: [32, 32], activation: 'leakyRelu' },
  // Adam with β₁ = 0.5, β₂ = 0.9 and 5 critic steps, as in the paper.
  optimizer: { kind: 'adam', lr: 1e-4, beta1: 0.5, beta2: 0.9 },
  criticSteps: 5,
  batchSize: 256,
  seed: 1,
  loss: losses.wgan({ gradientPenalty: 10 }),
});
