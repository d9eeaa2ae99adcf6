// The vanishing gradient, shown rather than told: the data lives on [1.5, 2], the generator
// starts on [−2, −1.5], and it trains against the exact optimal discriminator D* = p/(p + q).
// Where the supports do not meet, D* is 1 on the data and 0 on the samples, flat around each:
// the minimax loss log(1 − D*) gives every sample exactly zero force, so the generator's
// gradient is exactly 0 and it never moves (Arjovsky & Bottou 2017). No critic network is
// trained, so this is not a critic that has not learnt yet: it is the loss.
//
// Watch in the panel:
// - The generator's gradient norm is 0 at every step and the JSD stays at log 2; the
//   alignment chart has no points: a cosine with a zero gradient is undefined.
// - Switch to losses.wgan() and save: the optimal critic is then the Kantorovich potential
//   (slope 1 between the supports), W₁ = the distance between them keeps a gradient, and the
//   generator walks across.
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: generatorGradNorm < 1e-30 over steps 25–500
//   claim: jsd > 0.693 over steps 0–500
//   claim: generatorMean in [−1.7501, −1.7499] at step 500
//   claim with "losses.minimax()" → "losses.wgan()": generatorMean > 1 at step 500
//   claim with "losses.minimax()" → "losses.wgan()": wasserstein1 < 0.5 at step 500
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.uniform(1.5, 2),
  generator: { kind: 'affine', mean: -1.75, std: 0.1 },
  critic: { kind: 'optimal' },
  optimizer: { kind: 'adam', lr: 1e-2, beta1: 0.5 },
  seed: 1,
  loss: losses.minimax(),
});
