// WGAN-GP (Gulrajani et al. 2017) on the ring of 8 in the plane, with the usual two-sided
// penalty: in 2-D a critic can turn without passing through a zero gradient, so the 1-D trap
// (wgan-gp-1d-trap.gan.ts) does not apply.
//
// Watch in the panel (and in `gan-lens train examples/wgan-gp-ring.gan.ts --json`):
// - The exact W₁ (an optimal-transport solve between the lattices' masses, on a coarser lattice
//   whose size and bound the run reports) falls from about 1.8 to about 0.5 by step 400.
// - The critic gap E_P[f] − E_Q[f] is W₁'s variational estimate once the critic has caught up;
//   early on it lags (five critic steps per generator step are not a converged critic).
// - The penalty costs a second pass through the critic for the input gradients at the
//   interpolates, and there are five critic steps per generator step: a step here costs about
//   ten of ring-of-8.gan.ts's.
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: analytic > 1.6 at step 0
//   claim: analytic < 0.7 at step 400
//   claim: jsd < 0.5 at step 200
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.ring({ modes: 8, radius: 2, std: 0.2 }),
  generator: { kind: 'mlp', latentDim: 2, hidden: [64, 64], activation: 'leakyRelu' },
  critic: { hidden: [64, 64], activation: 'leakyRelu' },
  // Adam with β₁ = 0.5, β₂ = 0.9 and 5 critic steps, as in the paper.
  criticOptimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5, beta2: 0.9 },
  generatorOptimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5, beta2: 0.9 },
  criticSteps: 5,
  batchSize: 256,
  seed: 1,
  loss: losses.wgan({ gradientPenalty: 10 }),
});
