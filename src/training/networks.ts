/**
 * The generator and critic as plain tfjs variables, initialised from the run's seeded RNG
 * (Glorot uniform) so that a seed gives the same run on every backend.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { Rng } from '../core/rng';
import type { Activation, GanDefinition } from '../definition/types';
import type { Tf } from './backend';

type Tensor2D = TfCore.Tensor2D;
type Variable = TfCore.Variable;

const LEAKY_SLOPE = 0.2;

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
 * tfjs registers variables by name in one global registry, so two live trainers (the run and a
 * loader's dry run) need distinct names; checkpoints use the part after the colon.
 */
let instances = 0;
export function variablePrefix(): string {
  return `t${++instances}:`;
}

export function localName(v: Variable): string {
  return v.name.slice(v.name.indexOf(':') + 1);
}

/**
 * The same activations written with ops whose gradients are differentiable again, for the
 * gradient penalty (a gradient of a gradient). tfjs's LeakyRelu and Elu gradients compare
 * with Greater, which has no gradient; Relu's uses Step, which has one.
 */
function activateTwiceDifferentiable(tf: Tf, x: Tensor2D, activation: Activation): Tensor2D {
  switch (activation) {
    case 'leakyRelu': return tf.add(tf.mul(x, LEAKY_SLOPE), tf.mul(tf.relu(x), 1 - LEAKY_SLOPE)) as Tensor2D;
    case 'elu': return tf.sub(tf.add(tf.relu(x), tf.exp(tf.neg(tf.relu(tf.neg(x))))), 1) as Tensor2D;
    default: return activate(tf, x, activation);
  }
}

export interface Network {
  /** Trainable variables in a fixed order (the order of checkpoints). */
  readonly variables: readonly Variable[];
  /** Maps a [n, inputs] batch to [n, 1]; `twice` when a gradient of the gradient will be taken. */
  apply(x: Tensor2D, twice?: boolean): Tensor2D;
  readonly inputs: number;
  readonly description: string;
}

function glorot(tf: Tf, rng: Rng, fanIn: number, fanOut: number, name: string): Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const values = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < values.length; i++) values[i] = (2 * rng.next() - 1) * limit;
  return tf.variable(tf.tensor2d(values, [fanIn, fanOut]), true, name);
}

export function createMlp(tf: Tf, rng: Rng, inputs: number, hidden: readonly number[], activation: Activation, prefix: string): Network {
  const variables: Variable[] = [];
  const widths = [...hidden, 1];
  let fanIn = inputs;
  widths.forEach((width, i) => {
    variables.push(glorot(tf, rng, fanIn, width, `${prefix}/w${i}`));
    variables.push(tf.variable(tf.zeros([1, width]), true, `${prefix}/b${i}`));
    fanIn = width;
  });
  return {
    variables,
    inputs,
    description: `MLP ${[inputs, ...widths].join('→')} (${activation})`,
    apply(x, twice = false) {
      const act = twice ? activateTwiceDifferentiable : activate;
      let h = x;
      for (let i = 0; i < widths.length; i++) {
        const z = tf.add(tf.matMul(h, variables[2 * i] as Tensor2D), variables[2 * i + 1] as Tensor2D) as Tensor2D;
        h = i < widths.length - 1 ? act(tf, z, activation) : z;
      }
      return h;
    },
  };
}

/** x = μ + σ·z: the Gaussian model of the f-GAN experiments. */
export function createAffine(tf: Tf, mean: number, std: number, prefix: string): Network {
  const mu = tf.variable(tf.scalar(mean), true, `${prefix}/mu`);
  const sigma = tf.variable(tf.scalar(std), true, `${prefix}/sigma`);
  return {
    variables: [mu, sigma],
    inputs: 1,
    description: 'affine x = μ + σ·z',
    apply: (z) => tf.add(tf.mul(z, sigma), mu) as Tensor2D,
  };
}

export function createGenerator(tf: Tf, rng: Rng, def: GanDefinition, prefix: string): Network {
  const g = def.generator;
  return g.kind === 'affine'
    ? createAffine(tf, g.mean, g.std, `${prefix}generator`)
    : createMlp(tf, rng, g.latentDim, g.hidden, g.activation, `${prefix}generator`);
}

export function createCritic(tf: Tf, rng: Rng, def: GanDefinition, prefix: string): Network {
  return createMlp(tf, rng, 1, def.critic.hidden, def.critic.activation, `${prefix}critic`);
}

export function latentDim(def: GanDefinition): number {
  return def.generator.kind === 'affine' ? 1 : def.generator.latentDim;
}
