/**
 * The gradient penalty needs ∂f/∂x and then its gradient with respect to the weights, built
 * from first-order ops (tfjs gets some gradients of gradients wrong). Both are checked against
 * central finite differences of the same MLP written out in float64.
 */
import assert from 'node:assert/strict';
import type * as TfCore from '@tensorflow/tfjs-core';
import { createRng } from '../../../src/core/rng';
import type { Activation } from '../../../src/definition/types';
import { createMlp } from '../../../src/training/networks';
import { testBackend } from './helpers';

const ACT: Record<Activation, (z: number) => number> = {
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  elu: (z) => (z > 0 ? z : Math.expm1(z)),
  linear: (z) => z,
  relu: (z) => Math.max(z, 0),
  leakyRelu: (z) => (z > 0 ? z : 0.2 * z),
};

/** f(x) of a 1 → hidden → 1 MLP from packed float64 parameters (layout: w0, b0, w1, b1, …). */
function mlp64(params: Float64Array, widths: readonly number[], act: (z: number) => number, x: number): number {
  let h = [x];
  let at = 0;
  widths.forEach((width, layer) => {
    const next: number[] = [];
    for (let j = 0; j < width; j++) {
      let z = params[at + h.length * width + j]!;
      for (let i = 0; i < h.length; i++) z += h[i]! * params[at + i * width + j]!;
      next.push(layer < widths.length - 1 ? act(z) : z);
    }
    at += h.length * width + width;
    h = next;
  });
  return h[0]!;
}

describe('MLP input slope for the gradient penalty', () => {
  for (const activation of ['tanh', 'sigmoid', 'elu', 'linear'] as const) {
    it(`${activation}: ∂f/∂x and the penalty's weight gradient match float64 finite differences`, async () => {
      const { tf } = await testBackend();
      const widths = [8, 8, 1];
      const net = createMlp(tf, createRng(11), 1, widths.slice(0, -1), activation, `slope-${activation}`);
      // Off x = 0, where zero-initialised biases would put every unit on ELU's second-derivative kink.
      const xs = Float32Array.from({ length: 32 }, (_, i) => -3 + (6 * (i + 0.5)) / 32);
      const x = tf.tensor2d(xs, [xs.length, 1]);
      const params = Float64Array.from(net.params.dataSync());
      const slope64 = (p: Float64Array, v: number): number => (mlp64(p, widths, ACT[activation], v + 1e-5) - mlp64(p, widths, ACT[activation], v - 1e-5)) / 2e-5;
      const penalty64 = (p: Float64Array): number => xs.reduce((s, v) => s + (Math.abs(slope64(p, v)) - 1) ** 2, 0) / xs.length;

      const slope = net.inputSlope(x, net.weights()).dataSync();
      xs.forEach((v, i) => assert.ok(Math.abs(slope[i]! - slope64(params, v)) < 1e-4, `∂f/∂x at ${v}: ${slope[i]} vs ${slope64(params, v)}`));

      const penalty = (w: readonly TfCore.Tensor[]): TfCore.Scalar => {
        const pen = tf.mean(tf.square(tf.sub(tf.abs(net.inputSlope(x, w)), 1)));
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
        const fd = (shifted(1e-4) - shifted(-1e-4)) / 2e-4;
        assert.ok(Math.abs(auto[k]! - fd) < 1e-3 + 0.01 * Math.abs(fd), `${activation} weight ${k}: autodiff ${auto[k]}, finite difference ${fd}`);
      }
    });
  }
});
