/**
 * The shapes of the generator and the critic, read from a definition in one place: both
 * engines, the initial parameters and the descriptions take their widths from here. The data
 * dimension enters only here, so a target of another dimension changes a parameter, not the engines.
 */
import type { Activation, GanDefinition } from '../definition/types';

/** Columns of a data point: the targets are densities on the line. */
const DATA_DIM = 1;

/** The slope of the leaky ReLU below 0, on both engines (the kernel's is checked against it). */
export const LEAKY_SLOPE = 0.2;

export interface MlpShape {
  readonly kind: 'mlp';
  readonly inputs: number;
  readonly hidden: readonly number[];
  readonly outputs: number;
  readonly activation: Activation;
}

/** x = μ + σ·z, starting at the definition's μ and σ. */
export interface AffineShape {
  readonly kind: 'affine';
  readonly inputs: 1;
  readonly outputs: 1;
  readonly mean: number;
  readonly std: number;
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
  const dataDim = DATA_DIM;
  const generator: NetworkShape = g.kind === 'affine'
    ? { kind: 'affine', inputs: 1, outputs: 1, mean: g.mean, std: g.std }
    : { kind: 'mlp', inputs: g.latentDim, hidden: g.hidden, outputs: dataDim, activation: g.activation };
  const critic: MlpShape = { kind: 'mlp', inputs: dataDim, hidden: def.critic.hidden, outputs: 1, activation: def.critic.activation };
  return { dataDim, latentDim: generator.inputs, generator, critic };
}

/** Layer widths of an MLP, the output layer last. */
export function mlpWidths(shape: MlpShape): number[] {
  return [...shape.hidden, shape.outputs];
}

export function describeNetwork(shape: NetworkShape): string {
  return shape.kind === 'affine' ? 'affine x = μ + σ·z' : `MLP ${[shape.inputs, ...mlpWidths(shape)].join('→')} (${shape.activation})`;
}
