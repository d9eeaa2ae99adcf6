/**
 * What a training engine offers the run, the inspector and the tests, and which engine a run
 * gets: the fused WebAssembly engine where its kernel loads, else the tfjs engine (the
 * reference).
 */
import { sampleData, type DataTarget } from '../core/dataTarget';
import type { Rng } from '../core/rng';
import type { CriticKind, GanDefinition } from '../definition/types';
import type { EngineName, EnginePreference, StepStats } from '../protocol';
import type { TrainingLoss } from './losses';
import { formatCount } from '../numberFormat';

export type { StepStats } from '../protocol';

/** What a copy of a run needs to inspect it as it is: both networks' parameters, the step, the last generator update. */
export interface MirroredState {
  readonly generator: Float32Array;
  readonly critic: Float32Array;
  readonly step: number;
  readonly lastGeneratorUpdate?: Float32Array;
}

export interface SavedTensor {
  readonly name: string;
  readonly shape: number[];
  readonly data: Float32Array;
}

/** Gradients on one given batch, without an update: how the engines are checked against each other. */
export interface BatchGradients {
  readonly criticLoss: number;
  readonly critic: Float32Array;
  readonly generatorLoss: number;
  readonly generator: Float32Array;
}

/** A loss, gradient or weight went NaN or infinite; the update that produced it was not applied. */
export class NonFiniteError extends Error {
  constructor(readonly step: number, readonly what: string) {
    super(`${what} became non-finite at step ${formatCount(step)}; the update was not applied and the run is paused`);
    this.name = 'NonFiniteError';
  }
}

export interface TrainingEngine {
  readonly name: EngineName;
  /** Threads that have computed for the run so far (the fused engine: 2 once large products have been split). */
  readonly threads: number;
  readonly target: DataTarget;
  readonly latentDim: number;
  readonly definition: GanDefinition;
  readonly loss: TrainingLoss;
  readonly generatorDescription: string;
  readonly criticDescription: string;
  readonly step: number;
  /**
   * Runs criticSteps critic updates and one generator update (none with `freezeGenerator`,
   * to train the critic to convergence on a fixed q). Throws NonFiniteError without applying
   * a bad update.
   */
  trainStep(options?: { readonly freezeGenerator?: boolean }): StepStats;
  /** The critic's updates of the next step alone (a sub-step); trainGenerator completes the step. */
  trainCritic(): void;
  /** The generator's update, completing the step: trainStep is trainCritic (unless one ran) then this. */
  trainGenerator(options?: { readonly freezeGenerator?: boolean }): StepStats;
  /**
   * Swaps the loss (and the critic-step count and batch size) between two steps; weights and
   * optimiser state are kept. The caller has checked the structure is unchanged and that the
   * engine fits the new definition.
   */
  replaceLoss(definition: GanDefinition): void;
  /** The generator at latent points ([n, latentDim], row-major). */
  generate(latent: Float32Array): Float32Array;
  /** 'optimal' when the generator trains against the exact optimal critic (./optimalCritic) and no critic network is used. */
  readonly criticKind: CriticKind;
  /** The critic network's raw output at points x. */
  criticAt(x: Float32Array): Float32Array;
  /** The critic as the panel draws it (D, T or f) at points x: the network through the loss's plot mapping, or the optimal critic. */
  plottedCriticAt(x: Float32Array): Float32Array;
  /**
   * The loss's estimate with the critic at real points and at fake (generated) points (the
   * optimal critic's: its bound on its bins). `fakeCritic`, the critic's raw outputs at fake
   * when the caller has them (sampleForces gives them), spares evaluating it again.
   */
  estimateAt(real: Float32Array, fake: Float32Array, fakeCritic?: Float32Array): number;
  /**
   * −∂ₓ of each generated point's own generator loss at points x ([n, dataDim]): the force the
   * loss puts on that sample (n times the batch loss's gradient, since the loss is a mean). The
   * critic network's raw outputs at x go into `criticValues` ([n]) when given (not with the
   * optimal critic, which has no network).
   */
  sampleForces(x: Float32Array, criticValues?: Float32Array): Float32Array;
  /**
   * Σ_i (∂x_i/∂θ)ᵀ g_i over latent points z ([n, latentDim]) for per-sample g = ∂L/∂x ([n,
   * dataDim]), packed as generatorParameters(): ∇_θ of any objective of the generator's outputs
   * whose gradient in each output is known (core/sampleGradients.ts). Training is unaffected.
   */
  generatorParameterGradient(latent: Float32Array, dLdx: Float32Array): Float32Array;
  /** The same for several cotangent sets at once (the fused engine shares one forward pass among them). */
  generatorParameterGradients(latent: Float32Array, dLdxs: readonly Float32Array[]): Float32Array[];
  /**
   * ∇_θ of the generator's loss through the current critic on a latent set of any size (a
   * quadrature set: steady, no minibatch noise), packed as generatorParameters(); not applied,
   * and training is unaffected. The set's loss is the mean over its points.
   */
  generatorLossGradient(latent: Float32Array): Float32Array;
  /** Critic gradient on (real, G(latent)) and generator gradient on latent; nothing is updated. */
  gradientsAt(real: Float32Array, latent: Float32Array): BatchGradients;
  /** The generator's packed parameters (layout of ./parameters), a copy. */
  generatorParameters(): Float32Array;
  /** The critic network's packed parameters, a copy. */
  criticParameters(): Float32Array;
  /** θ after − θ before the generator's last optimiser update; undefined before the first (and after a restore). */
  lastGeneratorUpdate(): Float32Array | undefined;
  /** Name of the first weight tensor that is not finite, or undefined. */
  nonFiniteWeight(): string | undefined;
  /**
   * Takes another engine's weights, step and last generator update as its own (optimiser state
   * aside): a snapshot thread's copy of the run then shows exactly what the run would.
   */
  mirror(state: MirroredState): void;
  /** Weights and optimiser slots, in the same names and order on both engines. */
  saveState(): Promise<SavedTensor[]>;
  restoreState(saved: readonly SavedTensor[], step: number): Promise<void>;
  dispose(): void;
}

/** A resumed run continues with fresh but reproducible randomness. */
export function mixSeed(seed: number, step: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(step, 0xc2b2ae35)) >>> 0;
}

/**
 * The engine a run trains on: `auto` and `fused` take the fused engine, which runs every
 * definition, when its kernel loads; a note says why when it cannot. The choice does not depend
 * on the definition, so a loss swapped into a running training keeps its engine.
 */
export function chooseEngine(preference: EnginePreference, kernelProblem: () => string | undefined): { name: EngineName; note?: string } {
  if (preference === 'tfjs') return { name: 'tfjs' };
  const problem = kernelProblem();
  return problem === undefined ? { name: 'fused' } : { name: 'tfjs', note: `training runs on the tfjs engine: the fused engine is unavailable (${problem})` };
}

/**
 * Sampling shared by the engines, so a seed draws the same batches on both. A batch is written
 * into `reuse` when it has the batch's length: a fresh typed array per batch and step is most of
 * the garbage a small run makes.
 */
export function sampleReal(target: DataTarget, rng: Rng, n: number, reuse?: Float32Array): Float32Array {
  const x = sampleData(target, rng, n);
  const out = reuse?.length === x.length ? reuse : new Float32Array(x.length);
  out.set(x);
  return out;
}

export function sampleLatent(rng: Rng, n: number, latentDim: number, reuse?: Float32Array): Float32Array {
  const z = reuse?.length === n * latentDim ? reuse : new Float32Array(n * latentDim);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  return z;
}
