/**
 * A loss as a function of the critic's output vectors, with its gradient with respect to
 * those outputs: where the fused engine's backward pass starts. The built-in losses are closed
 * forms in float64 (a mean over the real outputs plus a mean over the fake ones, so the
 * gradient is pointwise); a loss with code of the person's own (a custom loss, a custom
 * f-divergence) is evaluated by tfjs on batch-sized tensors, so every tf op keeps working.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { FDivergenceName } from '../core/divergences';
import { LN2, sigmoid, softplus } from '../core/special';
import type { LossSpec } from '../definition/types';
import type { Tf } from './backend';
import type { TrainingLoss } from './losses';

type Tensor = TfCore.Tensor;

export interface OutputLoss {
  /** The critic's loss and minibatch estimate; writes ∂L/∂v into gradReal and gradFake. */
  critic(real: Float32Array, fake: Float32Array, gradReal: Float32Array, gradFake: Float32Array): { loss: number; estimate: number };
  /** The generator's loss; writes ∂L/∂v into gradFake. */
  generator(fake: Float32Array, gradFake: Float32Array): number;
  estimate(real: Float32Array, fake: Float32Array): number;
}

/**
 * A function of one output and its derivative, as two functions: a pair returned per output
 * would be an allocation per sample and step, most of the fused engine's garbage.
 */
interface Pointwise {
  readonly value: (v: number) => number;
  readonly slope: (v: number) => number;
}

const pointwise = (value: (v: number) => number, slope: (v: number) => number): Pointwise => ({ value, slope });

/**
 * critic loss = mean a(v_real) + mean b(v_fake), generator loss = mean g(v_fake), and the
 * estimate = offset + scale · critic loss.
 */
interface Separable {
  readonly real: Pointwise;
  readonly fake: Pointwise;
  readonly generator: Pointwise;
  readonly offset: number;
  readonly scale: number;
}

/** f-GAN output activations T = g_f(v) and f*(g_f(v)) with their derivatives (theory.md §1). */
const identity = pointwise((v) => v, () => 1);
const F_GAN: Record<FDivergenceName, { activation: Pointwise; conjugate: Pointwise }> = {
  kl: { activation: identity, conjugate: pointwise((v) => Math.exp(v - 1), (v) => Math.exp(v - 1)) },
  reverse_kl: { activation: pointwise((v) => -Math.exp(-v), (v) => Math.exp(-v)), conjugate: pointwise((v) => v - 1, () => 1) },
  pearson: { activation: identity, conjugate: pointwise((v) => 0.25 * v * v + v, (v) => 0.5 * v + 1) },
  neyman: { activation: pointwise((v) => -Math.expm1(-v), (v) => Math.exp(-v)), conjugate: pointwise((v) => 2 - 2 * Math.exp(-0.5 * v), (v) => Math.exp(-0.5 * v)) },
  squared_hellinger: { activation: pointwise((v) => -Math.expm1(-v), (v) => Math.exp(-v)), conjugate: pointwise((v) => Math.expm1(v), (v) => Math.exp(v)) },
  jensen_shannon: { activation: pointwise((v) => LN2 - softplus(-v), (v) => sigmoid(-v)), conjugate: pointwise((v) => softplus(v) - LN2, sigmoid) },
  gan: { activation: pointwise((v) => -softplus(-v), (v) => sigmoid(-v)), conjugate: pointwise(softplus, sigmoid) },
  total_variation: {
    activation: pointwise((v) => 0.5 * Math.tanh(v), (v) => 0.5 * (1 - Math.tanh(v) ** 2)),
    conjugate: pointwise((v) => 0.5 * Math.tanh(v), (v) => 0.5 * (1 - Math.tanh(v) ** 2)),
  },
};

const negate = (f: Pointwise): Pointwise => pointwise((v) => -f.value(v), (v) => -f.slope(v));

/** The closed form of a built-in loss, or undefined when the loss runs code of its own. */
function separable(spec: LossSpec): Separable | undefined {
  switch (spec.kind) {
    case 'gan': {
      const generator = spec.variant === 'minimax' ? pointwise((v) => -softplus(v), (v) => -sigmoid(v))
        : spec.variant === 'nonSaturating' ? pointwise((v) => softplus(-v), (v) => -sigmoid(-v))
          : pointwise((v) => -v, () => -1);
      // V = −L and the estimate is (V + log 4)/2.
      return { real: pointwise((v) => softplus(-v), (v) => -sigmoid(-v)), fake: pointwise(softplus, sigmoid), generator, offset: LN2, scale: -0.5 };
    }
    case 'fgan': {
      if (typeof spec.divergence !== 'string') return undefined;
      const f = F_GAN[spec.divergence];
      const generator = spec.generator === 'saturating' ? negate(f.conjugate) : negate(f.activation);
      return { real: negate(f.activation), fake: f.conjugate, generator, offset: 0, scale: -1 };
    }
    case 'wgan': {
      const negative = pointwise((v) => -v, () => -1);
      return { real: negative, fake: identity, generator: negative, offset: 0, scale: -1 };
    }
    case 'leastSquares': {
      const towardsOne = pointwise((v) => 0.5 * (v - 1) ** 2, (v) => v - 1);
      return { real: towardsOne, fake: pointwise((v) => 0.5 * v * v, (v) => v), generator: towardsOne, offset: 2, scale: -8 };
    }
    case 'hinge':
      // tfjs's ReLU has slope 0 at 0; so does this.
      return {
        real: pointwise((v) => Math.max(0, 1 - v), (v) => (v < 1 ? -1 : 0)), fake: pointwise((v) => Math.max(0, 1 + v), (v) => (v > -1 ? 1 : 0)),
        generator: pointwise((v) => -v, () => -1), offset: 1, scale: -0.5,
      };
    case 'custom':
      return undefined;
  }
}

/** mean f(v), writing f′(v)/n into grad. */
function meanWithGradient(f: Pointwise, v: Float32Array, grad: Float32Array | undefined): number {
  const n = v.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += f.value(v[i]!);
    if (grad) grad[i] = f.slope(v[i]!) / n;
  }
  return sum / n;
}

function closedForm(s: Separable): OutputLoss {
  return {
    critic(real, fake, gradReal, gradFake) {
      const loss = meanWithGradient(s.real, real, gradReal) + meanWithGradient(s.fake, fake, gradFake);
      return { loss, estimate: s.offset + s.scale * loss };
    },
    generator: (fake, gradFake) => meanWithGradient(s.generator, fake, gradFake),
    estimate: (real, fake) => s.offset + s.scale * (meanWithGradient(s.real, real, undefined) + meanWithGradient(s.fake, fake, undefined)),
  };
}

/** Any TrainingLoss, through tfjs's gradients with respect to the output tensors. */
function throughTfjs(tf: Tf, loss: TrainingLoss): OutputLoss {
  const column = (v: Float32Array): Tensor => tf.tensor2d(v, [v.length, 1]);
  const read = (t: Tensor): number => t.dataSync()[0]!;
  return {
    critic: (real, fake, gradReal, gradFake) => tf.tidy(() => {
      const n = real.length;
      const both = tf.concat([column(real), column(fake)]);
      // Slices of one tensor, as the tfjs engine passes them: a loss that reads only one of
      // the two still has a gradient (zero for the other).
      const split = (v: Tensor): [Tensor, Tensor] => [tf.slice(v, [0, 0], [n, 1]), tf.slice(v, [n, 0], [fake.length, 1])];
      const { value, grad } = tf.valueAndGrad((v: Tensor) => loss.criticLoss(...split(v)) as TfCore.Scalar)(both);
      const g = grad.dataSync();
      gradReal.set(g.subarray(0, n));
      gradFake.set(g.subarray(n));
      return { loss: read(value), estimate: read(loss.estimate(...split(both))) };
    }),
    generator: (fake, gradFake) => tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad((a: Tensor) => loss.generatorLoss(a) as TfCore.Scalar)(column(fake));
      gradFake.set(grad.dataSync());
      return read(value);
    }),
    estimate: (real, fake) => tf.tidy(() => read(loss.estimate(column(real), column(fake)))),
  };
}

export function createOutputLoss(tf: Tf, spec: LossSpec, loss: TrainingLoss): OutputLoss {
  const s = separable(spec);
  return s ? closedForm(s) : throughTfjs(tf, loss);
}

