// The 1-D trap of WGAN-GP: with the usual two-sided penalty the generator runs away.
//
// This is examples/wgan-gp.gan.ts with the penalty λ(‖∇f‖ − 1)² of the paper instead of the
// one-sided one (theory.md §6). A lesson, not a recipe.
//
// Watch in the panel:
// - The critic chart: f_w(x) starts increasing and stays a straight line of slope about +1. To
//   become the V that W₁ needs it would have to pass through slope 0, which the penalty charges
//   λ; with Q on either side of P's mean, a line c·x earns c·(E_P[x] − E_Q[x]) and pays
//   λ(c − 1)², so it only flips once the means are about 2λ = 20 apart.
// - The divergence chart: the critic gap is negative from the first hundred steps (a W₁ estimate
//   never is), and the generator follows the line's slope to the right: the exact W₁ grows from
//   about 1.9 to more than 4 by step 500 (and about 18 by step 800, before the critic flips and
//   the generator swings back). PyTorch does the same with this set-up.
// - Add oneSided: true to the penalty and save: the critic can turn, W₁ falls.
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: estimate < 0 over steps 100–500
//   claim: analytic > 4 at step 500
//   claim: generatorMean > 4 at step 500
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.mixture([
    { weight: 0.5, mean: -2, std: 0.5 },
    { weight: 0.5, mean: 2, std: 0.5 },
  ]),
  generator: { kind: 'mlp', latentDim: 1, hidden: [32, 32], activation: 'leakyRelu' },
  critic: { hidden: [32, 32], activation: 'leakyRelu' },
  criticOptimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5, beta2: 0.9 },
  generatorOptimizer: { kind: 'adam', lr: 3e-4, beta1: 0.5, beta2: 0.9 },
  criticSteps: 5,
  batchSize: 256,
  seed: 1,
  loss: losses.wgan({ gradientPenalty: 10 }),
});
