/**
 * What one engine computes for the shared stepper (./stepper): the networks' loss gradients on
 * given batches, their optimiser updates, and their state. Randomness, batches, the schedule
 * of critic and generator updates, the NaN guard and the checkpoint's names are the stepper's,
 * so they are the same on every engine.
 */
import type { LossSpec } from '../definition/types';
import type { EngineName } from '../protocol';
import type { SavedTensor } from './engine';
import type { TrainingLoss } from './losses';

/** The two networks, in the order their parameters are drawn, saved and checked. */
export const NETWORKS = ['generator', 'critic'] as const;
export type NetworkName = (typeof NETWORKS)[number];

export interface GradientResult {
  readonly loss: number;
  /** ‖∇‖ over the network's packed parameters. */
  readonly norm: number;
}

export interface CriticGradient extends GradientResult {
  /** The loss's minibatch estimate, from the same critic outputs. */
  readonly estimate: number;
}

export interface GradientEngine {
  readonly name: EngineName;
  /** Threads that have computed for it so far. */
  readonly threads: number;
  /** The loss the gradients come from; set before the first gradient, and between steps. */
  setLoss(spec: LossSpec, loss: TrainingLoss): void;
  /**
   * The critic's loss gradient on (real, G(latent)), kept as the critic's gradient.
   * `interpolation` holds the penalty's ε of x̂ = ε·real + (1 − ε)·fake when the loss has one.
   */
  criticGradient(real: Float32Array, latent: Float32Array, interpolation: Float32Array | undefined): CriticGradient;
  /** The generator's loss gradient on latent points, through the critic; kept as the generator's gradient. */
  generatorGradient(latent: Float32Array): GradientResult;
  /** Makes `values` (packed as read(network, 'grad')) the network's kept gradient: one computed outside the engine (the optimal critic's). */
  writeGradient(network: NetworkName, values: Float32Array): void;
  /** One optimiser update of the network with its kept gradient. */
  apply(network: NetworkName): void;
  /** WGAN weight clipping: every critic parameter into [−c, c]. */
  clipCritic(c: number): void;
  /** A copy of the network's packed parameters, or of its kept gradient: into `into` when it has their length. */
  read(network: NetworkName, what: 'params' | 'grad', into?: Float32Array): Float32Array;
  writeParams(network: NetworkName, values: Float32Array): void;
  /** The optimiser's state as tfjs's getWeights lists it (iterations first), without the checkpoint's prefix. */
  saveOptimizer(network: NetworkName): Promise<SavedTensor[]>;
  restoreOptimizer(network: NetworkName, saved: readonly SavedTensor[]): Promise<void>;
  /** The generator at latent points ([n, latentDim], row-major). */
  generate(latent: Float32Array): Float32Array;
  /** The critic's raw output at points ([n, dataDim], row-major). */
  criticAt(x: Float32Array): Float32Array;
  /** The loss's estimate from the critic's raw outputs at real points and at fake points. */
  estimateOf(realCritic: Float32Array, fakeCritic: Float32Array): number;
  /**
   * ∂L/∂x of the generator's loss on the batch of fake points x ([n, dataDim]) through the
   * critic, nothing kept: how the loss pushes each generated sample. The critic's raw outputs at
   * x go into `criticValues` ([n]) when it is given: the pass computes them anyway.
   */
  generatorLossGradientAt(x: Float32Array, criticValues?: Float32Array): Float32Array;
  /**
   * Σ_i (∂x_i/∂θ)ᵀ g_i over latent points z ([n, latentDim]) for per-sample cotangents g = ∂L/∂x
   * ([n, dataDim]): the generator's packed parameter gradient (layout of ./parameters) of any
   * objective of its outputs, with the kept gradients and the optimiser state left as they were.
   * One result per cotangent set in `dxs` (the fused engine runs one forward pass for all of them).
   */
  generatorBackward(latent: Float32Array, dxs: readonly Float32Array[]): Float32Array[];
  dispose(): void;
}
