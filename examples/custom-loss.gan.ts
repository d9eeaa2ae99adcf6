// A custom loss written with tf ops: the non-saturating GAN by hand.
//
// `real` and `fake` are the critic's raw outputs (logits v) on a batch of data and of generator
// samples; `tf` is TensorFlow.js. log D = −softplus(−v) and log(1 − D) = −softplus(v): written
// this way nothing underflows.
//
// Watch in the panel: the curves behave as in examples/non-saturating.gan.ts (not identically:
// this loss's gradient comes from tf ops, and rounding makes the runs drift apart). The
// discriminator ends at chance
// there too, but the panel cannot say so: it knows no chance value for a loss it did not write.
// Break something on purpose (e.g. return tf.log(tf.sub(1, tf.sigmoid(fake))) for a large
// logit, or divide by zero) and save: the editor shows where, and the run keeps its last good loss.
//
// What this file does, seed 1 (GAN Lens's tests train it with `gan-lens train` and check each line):
//   claim: jsd > 0.65 at step 0
//   claim: jsd in [0.05, 0.4] over steps 1000–3000
//   claim: |estimate| < 0.02 over steps 1000–3000
import { defineGan, targets } from 'gan-lens';

export default defineGan({
  target: targets.mixture([
    { weight: 0.5, mean: -2, std: 0.5 },
    { weight: 0.5, mean: 2, std: 0.5 },
  ]),
  batchSize: 256,
  seed: 1,
  loss: {
    name: 'hand-written non-saturating GAN',
    divergence: 'jsd',
    criticOutput: 'discriminator',
    // The critic maximises E_P[log D] + E_Q[log(1 − D)]: minimise the negative.
    critic: ({ real, fake, tf }) => tf.add(tf.mean(tf.softplus(tf.neg(real))), tf.mean(tf.softplus(fake))),
    // The generator minimises −E_Q[log D].
    generator: ({ fake, tf }) => tf.mean(tf.softplus(tf.neg(fake))),
    // (V + log 4)/2 estimates the Jensen–Shannon divergence.
    estimate: ({ real, fake, tf }) =>
      tf.div(tf.add(tf.neg(tf.add(tf.mean(tf.softplus(tf.neg(real))), tf.mean(tf.softplus(fake)))), Math.log(4)), 2),
  },
});
