/**
 * The generator and critic. Each network keeps all its weights in one packed tfjs variable:
 * an optimiser then runs ~25 kernels per network and step instead of ~25 per weight tensor,
 * which on small networks is most of the step (kernel dispatch, not arithmetic, dominates).
 * Initial values come from ./parameters, shared with the fused engine.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { Activation } from '../definition/types';
import type { Tf } from './backend';
import { LEAKY_SLOPE, mlpWidths, type AffineShape, type MlpShape, type NetworkShapes } from './networkShapes';
import type { InitialParameters, PackedParameters, Slot } from './parameters';

type Tensor = TfCore.Tensor;
type Tensor2D = TfCore.Tensor2D;
type Variable = TfCore.Variable;

export function activate(tf: Tf, x: Tensor2D, activation: Activation): Tensor2D {
  switch (activation) {
    case 'leakyRelu': return tf.leakyRelu(x, LEAKY_SLOPE);
    case 'relu': return tf.relu(x);
    case 'tanh': return tf.tanh(x);
    case 'elu': return tf.elu(x);
    case 'sigmoid': return tf.sigmoid(x);
    case 'linear': return x;
  }
}

/**
 * The activation's derivative at pre-activation z, written with first-order ops of z and h. The gradient
 * penalty differentiates this with respect to the weights, and tfjs gets gradients of gradients
 * wrong through ops whose gradient reads their saved output (Tanh, Sigmoid, Exp: measured,
 * d²/da² of Σ tanh(a·x) comes out 2.13 instead of 0.97), so it must never take one.
 */
function activationSlope(tf: Tf, z: Tensor2D, h: Tensor2D, activation: Activation): Tensor2D {
  // h = activate(z), already computed for the next layer: tanh and sigmoid reuse it.
  switch (activation) {
    case 'leakyRelu': return tf.add(tf.mul(tf.step(z), 1 - LEAKY_SLOPE), LEAKY_SLOPE) as Tensor2D;
    case 'relu': return tf.step(z) as Tensor2D;
    case 'tanh': return tf.sub(1, tf.square(h)) as Tensor2D;
    case 'elu': return tf.exp(tf.neg(tf.relu(tf.neg(z)))) as Tensor2D;
    case 'sigmoid': return tf.mul(h, tf.sub(1, h)) as Tensor2D;
    case 'linear': return tf.onesLike(z) as Tensor2D;
  }
}

/**
 * tfjs registers variables by name in one registry per process (on globalThis, shared by every
 * bundle that loads tfjs), so two live trainers (the run and a loader's dry run) need distinct
 * names, counted per process too; checkpoints use the part after the colon.
 */
const INSTANCES = Symbol.for('gan-lens.trainer-instances');
export function variablePrefix(): string {
  const g = globalThis as { [INSTANCES]?: number };
  g[INSTANCES] = (g[INSTANCES] ?? 0) + 1;
  return `t${g[INSTANCES]}:`;
}

export function localName(v: Variable): string {
  return v.name.slice(v.name.indexOf(':') + 1);
}

export interface Network {
  /** Every weight, packed into one vector. */
  readonly params: Variable;
  readonly layout: readonly Slot[];
  /** The weight tensors as views (slices) of `params`, in layout order. */
  weights(): Tensor[];
  /** Maps a [n, inputs] batch to [n, outputs] with the given weights (default: the current ones). */
  apply(x: Tensor2D, weights?: readonly Tensor[]): Tensor2D;
  readonly inputs: number;
}

export interface Mlp extends Network {
  /**
   * ∇ₓf at each point of a [n, inputs] batch, [n, inputs], by forward-mode differentiation
   * through the layers (one tangent per input axis): the gradient penalty's input gradient,
   * built from first-order ops only (see activationSlope).
   */
  inputGradient(x: Tensor2D, weights: readonly Tensor[]): Tensor2D;
}

/** One tfjs variable holding the packed vector. */
function variableOf(tf: Tf, name: string, values: Float32Array): Variable {
  // The variable takes its own reference to the data; the initial tensor would otherwise stay.
  const initial = tf.tensor1d(values);
  const params = tf.variable(initial, true, name);
  initial.dispose();
  return params;
}

function views(tf: Tf, params: Variable, layout: readonly Slot[]): Tensor[] {
  return layout.map((s) => tf.reshape(tf.slice(params, [s.offset], [s.size]), [...s.shape]));
}

export function createMlp(tf: Tf, initial: PackedParameters, shape: MlpShape, name: string): Mlp {
  const widths = mlpWidths(shape);
  const { inputs, activation } = shape;
  const layout = initial.layout;
  const params = variableOf(tf, name, initial.values);
  const weights = (): Tensor[] => views(tf, params, layout);
  return {
    params,
    layout,
    weights,
    inputs,
    apply(x, w = weights()) {
      let h = x;
      for (let i = 0; i < widths.length; i++) {
        const z = tf.add(tf.matMul(h, w[2 * i] as Tensor2D), w[2 * i + 1]!) as Tensor2D;
        h = i < widths.length - 1 ? activate(tf, z, activation) : z;
      }
      return h;
    },
    inputGradient(x, w) {
      // The forward pass once: each hidden layer's slope, which every tangent reuses.
      const slopes: Tensor2D[] = [];
      let h = x;
      for (let i = 0; i < widths.length - 1; i++) {
        const z = tf.add(tf.matMul(h, w[2 * i] as Tensor2D), w[2 * i + 1]!) as Tensor2D;
        h = activate(tf, z, activation);
        slopes.push(activationSlope(tf, z, h, activation));
      }
      const columns: Tensor2D[] = [];
      for (let k = 0; k < inputs; k++) {
        // d(layer-1 pre-activation)/dx_k is row k of the first weight matrix, for every point.
        let dz = tf.slice(w[0] as Tensor2D, [k, 0], [1, -1]);
        for (let i = 0; i < widths.length - 1; i++) dz = tf.matMul(tf.mul(dz, slopes[i]!) as Tensor2D, w[2 * i + 2] as Tensor2D);
        // A network without hidden layers has the same slope at every point.
        columns.push(dz.shape[0] === x.shape[0] ? dz : tf.tile(dz, [x.shape[0], 1]));
      }
      return columns.length === 1 ? columns[0]! : tf.concat(columns, 1);
    },
  };
}

/** x = μ + A·z: the Gaussian model of the f-GAN experiments (1-D: A = σ). Rows: x = z·Aᵀ + μ. */
function createAffine(tf: Tf, initial: PackedParameters, shape: AffineShape, name: string): Network {
  const layout = initial.layout;
  const params = variableOf(tf, name, initial.values);
  const weights = (): Tensor[] => views(tf, params, layout);
  return {
    params,
    layout,
    weights,
    inputs: shape.inputs,
    apply: (z, w = weights()) => tf.add(tf.matMul(z, w[1] as Tensor2D, false, true), w[0]!) as Tensor2D,
  };
}

/** The generator and the critic, from their initial parameters. */
export function createNetworks(tf: Tf, shapes: NetworkShapes, initial: InitialParameters, prefix: string): { generator: Network; critic: Mlp } {
  const g = shapes.generator;
  const generator = g.kind === 'affine'
    ? createAffine(tf, initial.generator, g, `${prefix}generator`)
    : createMlp(tf, initial.generator, g, `${prefix}generator`);
  return { generator, critic: createMlp(tf, initial.critic, shapes.critic, `${prefix}critic`) };
}
