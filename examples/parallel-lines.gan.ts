// The parallel lines of the WGAN paper (Arjovsky, Chintala, Bottou 2017; theory.md §7): P is
// uniform on a vertical segment at x = 1, and the generator has a 1-D latent, so Q lies on a
// curve too. Two curves that do not coincide are mutually singular.
//
// Watch in the panel (and in `gan-lens train examples/parallel-lines.gan.ts --json`):
// - JSD is log 2 = 0.693147… at every step, exactly (reported as the singular case, not binned):
//   whatever the generator does, JSD neither moves nor gives it a gradient. KL is ∞ both ways.
// - W₁ (exact transport on the lattice) falls: first the curve moves over to x = 1 (the
//   generator's mean x goes from 0 to 1 within about 200 steps), then it stretches to the
//   segment's length, W₁ ≈ 0.5 → 0.1. That is why WGAN trains where the JSD-based GAN cannot.
// - The critic's estimate is K·W₁ for an unknown K (weight clipping): tiny, but it points the right
//   way. With K unknown there is no gap to read (the panel draws it on its own axis).
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: jsd in [0.693147, 0.693148] over steps 0–1500
//   claim: generatorMeanX > 0.9 at step 200
//   claim: wasserstein1 < 0.2 at step 1500
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.segment({ from: [1, -1], to: [1, 1] }),
  // latentDim 1: G maps a line into the plane, a curve.
  generator: { kind: 'mlp', latentDim: 1, hidden: [32, 32], activation: 'leakyRelu' },
  critic: { hidden: [64, 64], activation: 'leakyRelu' },
  // The original WGAN: weight clipping with RMSprop, 5 critic steps per generator step.
  criticOptimizer: { kind: 'rmsprop', lr: 5e-4 },
  generatorOptimizer: { kind: 'rmsprop', lr: 5e-4 },
  criticSteps: 5,
  batchSize: 256,
  seed: 1,
  loss: losses.wgan({ clip: 0.01 }),
});
