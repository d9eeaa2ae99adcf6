// The control experiment: the generator trains against the exact optimal critic of its loss,
// D* = p/(p + q), recomputed from p and q at every step. No critic network is trained, so what
// you see is what the loss itself does when the critic is perfect (theory.md §2 and §8).
//
// Watch in the panel:
// - Alignment chart: "does it follow the loss's theoretical objective?" is 1 at every
//   snapshot. With D = D* the minimax loss's gradient is exactly the gradient of 2·JSD − log 4
//   (the envelope theorem), so "does the loss's gradient follow the estimated divergence?" (the
//   JSD) is 1 as well, and the generator covers both modes: the JSD falls to about 0.01.
// - The critic chart: D is D*, and the critic estimate is the exact JSD.
// - Now switch to losses.nonSaturating() and save. At the optimal critic it descends
//   KL(Q‖P) − 2·JSD, which is mode-seeking: started afresh, the generator settles on one mode
//   (JSD ≈ 0.23) while still following its own objective exactly; against the JSD its
//   gradient's cosine falls below 1 and even turns negative for a while. The loss, not the
//   critic, drops the mode.
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: alignmentEffective > 0.999 over steps 0–2000
//   claim: alignmentDivergence > 0.999 over steps 0–2000
//   claim: jsd < 0.03 at step 2000
//   claim: generatorStd > 1.8 at step 2000
//   claim with "losses.minimax()" → "losses.nonSaturating()": alignmentEffective > 0.999 over steps 0–2000
//   claim with "losses.minimax()" → "losses.nonSaturating()": alignmentDivergence < 0.9 by step 2000
//   claim with "losses.minimax()" → "losses.nonSaturating()": generatorStd < 1 at step 2000
//   claim with "losses.minimax()" → "losses.nonSaturating()": jsd > 0.15 at step 2000
import { defineGan, losses, targets } from 'gan-lens';

export default defineGan({
  target: targets.mixture([
    { weight: 0.5, mean: -2, std: 0.5 },
    { weight: 0.5, mean: 2, std: 0.5 },
  ]),
  generator: { kind: 'mlp', latentDim: 1, hidden: [32, 32], activation: 'leakyRelu' },
  critic: { kind: 'optimal' },
  optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
  seed: 1,
  loss: losses.minimax(),
});
