/**
 * On the wasm backend a matMul with a transpose flag leaves the fast kernel (about ten times
 * slower on the large benchmark's [1024, 128] operands), and tfjs's gradient of matMul uses
 * those flags for both inputs. This gradient transposes explicitly and multiplies plainly: the
 * same values, and the tfjs engine's backward pass stays on the fast path.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { Tf } from './backend';

type Tensor = TfCore.Tensor;

function swapLastTwo(tf: Tf, t: Tensor): Tensor {
  const perm = t.shape.map((_, i) => i);
  [perm[perm.length - 1], perm[perm.length - 2]] = [perm[perm.length - 2]!, perm[perm.length - 1]!];
  return tf.transpose(t, perm);
}

const registered = new WeakSet<object>();

export function registerPlainMatMulGradient(tf: Tf): void {
  // Once per tfjs copy: a second registration would wrap the first.
  if (registered.has(tf.engine())) return;
  registered.add(tf.engine());
  const original = tf.getGradient('BatchMatMul');
  tf.registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
      // Batched operands may broadcast; tfjs's own gradient handles those.
      const [a, b] = saved as [Tensor, Tensor];
      if (transposeA || transposeB || a.rank !== b.rank || a.shape.slice(0, -2).some((d, i) => d !== b.shape[i])) return original.gradFunc(dy, saved, attrs);
      const g = dy as Tensor;
      return {
        a: () => tf.matMul(g, swapLastTwo(tf, b)),
        b: () => tf.matMul(swapLastTwo(tf, a), g),
      };
    },
  });
}
