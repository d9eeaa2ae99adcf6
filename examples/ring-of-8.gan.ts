// The non-saturating GAN on a ring of 8 Gaussians in the plane: the 2-D benchmark GAN Lab shows,
// with the exact divergence instead of a histogram of a few samples.
//
// Watch in the panel (and in `gan-lens train examples/ring-of-8.gan.ts --json`):
// - JSD starts near log 2 (q a blob in the middle, p on the ring) and falls as q splits towards
//   the modes; "modes covered" (a mode counts when q holds half its weight within Mahalanobis
//   distance 3 of its centre, theory.md §7) climbs to 8 of 8. PyTorch, same configuration:
//   8/8 modes, JSD 0.26–0.40 after 5,000 steps.
// - The critic's own JSD estimate ((V + log 4)/2) stays far below the exact JSD: the
//   discriminator ends near chance while q still leaks mass between the modes. The gap is the
//   critic's blindness, not convergence.
// - KL(Q‖P) is large: the mass between the modes sits where p is ~e⁻⁵⁰.
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: jsd > 0.6 at step 0
//   claim: modesCovered > 6 at step 3000
//   claim: jsd < 0.45 at step 3000
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.ring({ modes: 8, radius: 2, std: 0.2 }),
  // latentDim 2: q has a density in the plane (with latentDim 1 it would lie on a curve: see parallel-lines.gan.ts).
  generator: { kind: 'mlp', latentDim: 2, hidden: [64, 64], activation: 'leakyRelu' },
  critic: { hidden: [64, 64], activation: 'leakyRelu' },
  optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
  batchSize: 256,
  // One critic step per generator step (the default), as in the PyTorch runs above.
  criticSteps: 1,
  seed: 1,
  loss: losses.nonSaturating(),
});
