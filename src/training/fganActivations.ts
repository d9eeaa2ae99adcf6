/**
 * f-GAN output activations g_f and the composed conjugates f*(g_f(v)) as tensor ops, in the
 * stable closed forms (theory.md §1): composing f* after g_f numerically would take logs of
 * values that underflow, e.g. −log(1 − exp(−softplus(−v))) for the GAN row.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { FDivergenceName } from '../core/divergences';
import type { Tf } from './backend';

type Tensor = TfCore.Tensor;

export interface TensorFDivergence {
  /** T = g_f(v) */
  activation(v: Tensor): Tensor;
  /** f*(g_f(v)) */
  conjugateOfActivation(v: Tensor): Tensor;
}

export function tensorFDivergence(tf: Tf, name: FDivergenceName): TensorFDivergence {
  const softplus = (x: Tensor): Tensor => tf.softplus(x);
  switch (name) {
    case 'kl':
      return { activation: (v) => v, conjugateOfActivation: (v) => tf.exp(tf.sub(v, 1)) };
    case 'reverse_kl':
      // f*(t) = −1 − log(−t) at t = −exp(−v) is v − 1.
      return { activation: (v) => tf.neg(tf.exp(tf.neg(v))), conjugateOfActivation: (v) => tf.sub(v, 1) };
    case 'pearson':
      return { activation: (v) => v, conjugateOfActivation: (v) => tf.add(tf.mul(tf.square(v), 0.25), v) };
    case 'neyman':
      // 2 − 2√(1 − t) at t = 1 − exp(−v) is 2 − 2·exp(−v/2).
      return { activation: (v) => tf.sub(1, tf.exp(tf.neg(v))), conjugateOfActivation: (v) => tf.sub(2, tf.mul(2, tf.exp(tf.mul(v, -0.5)))) };
    case 'squared_hellinger':
      // t/(1 − t) at t = 1 − exp(−v) is exp(v) − 1.
      return { activation: (v) => tf.sub(1, tf.exp(tf.neg(v))), conjugateOfActivation: (v) => tf.sub(tf.exp(v), 1) };
    case 'jensen_shannon':
      // −log(2 − exp(t)) at t = log 2 − softplus(−v) is softplus(v) − log 2.
      return { activation: (v) => tf.sub(Math.LN2, softplus(tf.neg(v))), conjugateOfActivation: (v) => tf.sub(softplus(v), Math.LN2) };
    case 'gan':
      // −log(1 − exp(t)) at t = −softplus(−v) is softplus(v).
      return { activation: (v) => tf.neg(softplus(tf.neg(v))), conjugateOfActivation: (v) => softplus(v) };
    case 'total_variation':
      return { activation: (v) => tf.mul(tf.tanh(v), 0.5), conjugateOfActivation: (v) => tf.mul(tf.tanh(v), 0.5) };
  }
}
