/**
 * The gradient penalty needs ∂f/∂x and then its gradient with respect to the weights, built
 * from first-order ops (tfjs gets some gradients of gradients wrong). Both are checked against
 * the chain rule written out in float64, and the latter also against central finite differences.
 */
import assert from 'node:assert/strict';
import type * as TfCore from '@tensorflow/tfjs-core';
import { createRng } from '../../../src/core/rng';
import { createMlp } from '../../../src/training/networks';
import { mlpParameters } from '../../../src/training/parameters';
import { testBackend } from './helpers';

/** Each activation and its derivative, in float64. */
const ACT: Record<'tanh' | 'sigmoid' | 'elu' | 'linear', [(z: number) => number, (z: number) => number]> = {
  tanh: [Math.tanh, (z) => 1 - Math.tanh(z) ** 2],
  sigmoid: [(z) => 1 / (1 + Math.exp(-z)), (z) => Math.exp(-z) / (1 + Math.exp(-z)) ** 2],
  elu: [(z) => (z > 0 ? z : Math.expm1(z)), (z) => (z > 0 ? 1 : Math.exp(z))],
  linear: [(z) => z, () => 1],
};

/**
 * ∂f/∂x of a 1 → hidden → 1 MLP from packed float64 parameters (layout: w0, b0, w1, b1, …),
 * by the chain rule written out independently of the code under test.
 */
function slope64(params: Float64Array, widths: readonly number[], activation: keyof typeof ACT, x: number): number {
  const [act, dAct] = ACT[activation];
  let h = [x];
  let dh = [1];
  let at = 0;
  widths.forEach((width, layer) => {
    const next: number[] = [];
    const dNext: number[] = [];
    for (let j = 0; j < width; j++) {
      let z = params[at + h.length * width + j]!;
      let dz = 0;
      for (let i = 0; i < h.length; i++) {
        z += h[i]! * params[at + i * width + j]!;
        dz += dh[i]! * params[at + i * width + j]!;
      }
      const last = layer === widths.length - 1;
      next.push(last ? z : act(z));
      dNext.push(last ? dz : dz * dAct(z));
    }
    at += h.length * width + width;
    h = next;
    dh = dNext;
  });
  return dh[0]!;
}

describe('MLP input slope for the gradient penalty', () => {
  for (const activation of ['tanh', 'sigmoid', 'elu', 'linear'] as const) {
    it(`${activation}: ∂f/∂x and the penalty's weight gradient match float64 finite differences`, async () => {
      const { tf } = await testBackend();
      const widths = [8, 8, 1];
      const shape = { kind: 'mlp', inputs: 1, hidden: widths.slice(0, -1), outputs: 1, activation } as const;
      const net = createMlp(tf, mlpParameters(createRng(11), shape), shape, `slope-${activation}`);
      // Off x = 0, where zero-initialised biases would put every unit on ELU's second-derivative kink.
      const xs = Float32Array.from({ length: 32 }, (_, i) => -3 + (6 * (i + 0.5)) / 32);
      const x = tf.tensor2d(xs, [xs.length, 1]);
      const params = Float64Array.from(net.params.dataSync());
      const penalty64 = (p: Float64Array): number => xs.reduce((s, v) => s + (Math.abs(slope64(p, widths, activation, v)) - 1) ** 2, 0) / xs.length;

      const slope = net.inputGradient(x, net.weights()).dataSync();
      xs.forEach((v, i) => assert.ok(Math.abs(slope[i]! - slope64(params, widths, activation, v)) < 1e-5, `∂f/∂x at ${v}: ${slope[i]} vs ${slope64(params, widths, activation, v)}`));

      const penalty = (w: readonly TfCore.Tensor[]): TfCore.Scalar => {
        const pen = tf.mean(tf.square(tf.sub(tf.abs(net.inputGradient(x, w)), 1)));
        // The output bias has no part in ∂f/∂x; a zero-weighted output term gives it a gradient (0).
        return tf.add(pen, tf.mul(tf.mean(net.apply(x, w)), 0)) as TfCore.Scalar;
      };
      const { grads } = tf.valueAndGrads((...w) => penalty(w))(net.weights());
      const auto = tf.concat(grads.map((g) => tf.reshape(g, [-1]))).dataSync();
      for (let k = 0; k < params.length; k++) {
        const shifted = (d: number): number => {
          const p = params.slice();
          p[k]! += d;
          return penalty64(p);
        };
        // A small step: where ∂f/∂x is near 0, |∂f/∂x| has a kink a larger one could cross.
        const fd = (shifted(1e-7) - shifted(-1e-7)) / 2e-7;
        assert.ok(Math.abs(auto[k]! - fd) < 1e-3 + 0.01 * Math.abs(fd), `${activation} weight ${k}: autodiff ${auto[k]}, finite difference ${fd}`);
      }
    });
  }
});
