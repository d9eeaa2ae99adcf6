// The "25 Gaussians" benchmark: a 5 × 5 grid, spacing 2, std 0.1, with the same non-saturating
// GAN that covers the ring of 8 (ring-of-8.gan.ts). Twenty-five narrow modes are a different
// problem.
//
// Watch in the panel (and in `gan-lens train examples/grid-25.gan.ts --json`):
// - W₁ falls fast (from about 3.5 to below 1): q spreads over the grid's square. JSD falls
//   only a little (0.63 → about 0.5): q puts its mass between the modes, where p is ~e⁻²⁰⁰.
// - "Modes covered" stays at a few of 25 after 3,000 steps: a mode counts only when q holds
//   half of its weight within Mahalanobis distance 3 (theory.md §7), and a blurred q holds
//   a little of every mode's weight but half of almost none. A sample scatter looks "spread
//   over the grid"; the exact numbers say it is not learning the modes.
// - Try losses.wgan({ gradientPenalty: 10 }) with criticSteps: 5 (the usual remedy), or
//   std: 0.2 (wider modes), and watch the same numbers.
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: wasserstein1 > 3 at step 0
//   claim: wasserstein1 < 1.2 at step 3000
//   claim: jsd in [0.4, 0.6] at step 3000
//   claim: modesCovered < 10 at step 3000
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.grid({ side: 5, spacing: 2, std: 0.1 }),
  generator: { kind: 'mlp', latentDim: 2, hidden: [64, 64], activation: 'leakyRelu' },
  critic: { hidden: [64, 64], activation: 'leakyRelu' },
  optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
  batchSize: 256,
  seed: 1,
  loss: losses.nonSaturating(),
});
