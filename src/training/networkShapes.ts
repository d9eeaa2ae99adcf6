/**
 * The shapes of the generator and the critic, read from a definition in one place: both
 * engines, the initial parameters and the descriptions take their widths from here. The data
 * dimension (the definition's, from its target) enters only here, so a target of another
 * dimension changes a parameter, not the engines.
 */
import type { Activation, GanDefinition } from '../definition/types';

/** The slope of the leaky ReLU below 0, on both engines (the kernel's is checked against it). */
export const LEAKY_SLOPE = 0.2;

export interface MlpShape {
  readonly kind: 'mlp';
  readonly inputs: number;
  readonly hidden: readonly number[];
  readonly outputs: number;
  readonly activation: Activation;
}

/** x = μ + A·z with z of the data's dimension, starting at the definition's μ and A (1-D: A = σ). */
export interface AffineShape {
  readonly kind: 'affine';
  readonly inputs: number;
  readonly outputs: number;
  readonly mean: readonly number[];
  /** A, row-major [outputs, inputs]. */
  readonly scale: readonly number[];
}

export type NetworkShape = MlpShape | AffineShape;

export interface NetworkShapes {
  readonly dataDim: number;
  readonly latentDim: number;
  /** latentDim → … → dataDim */
  readonly generator: NetworkShape;
  /** dataDim → … → 1 */
  readonly critic: MlpShape;
}

export function networkShapes(def: GanDefinition): NetworkShapes {
  const g = def.generator;
  const dataDim = def.dataDim;
  let generator: NetworkShape;
  if (g.kind === 'mlp') generator = { kind: 'mlp', inputs: g.latentDim, hidden: g.hidden, outputs: dataDim, activation: g.activation };
  else if ('std' in g) generator = { kind: 'affine', inputs: 1, outputs: 1, mean: [g.mean], scale: [g.std] };
  else generator = { kind: 'affine', inputs: 2, outputs: 2, mean: [...g.mean], scale: [...g.scale[0], ...g.scale[1]] };
  // The engines hold a critic network whatever the kind; the optimal critic's is a one-unit stand-in, never trained or read.
  const c = def.critic.kind === 'mlp' ? def.critic : { hidden: [1], activation: 'linear' as const };
  const critic: MlpShape = { kind: 'mlp', inputs: dataDim, hidden: c.hidden, outputs: 1, activation: c.activation };
  return { dataDim, latentDim: generator.inputs, generator, critic };
}

/** Layer widths of an MLP, the output layer last. */
export function mlpWidths(shape: MlpShape): number[] {
  return [...shape.hidden, shape.outputs];
}

export function describeNetwork(shape: NetworkShape): string {
  if (shape.kind === 'affine') return shape.outputs === 1 ? 'affine x = μ + σ·z' : `affine x = μ + A·z in ${shape.outputs}-D`;
  return `MLP ${[shape.inputs, ...mlpWidths(shape)].join('→')} (${shape.activation})`;
}
