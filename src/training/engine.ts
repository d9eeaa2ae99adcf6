/**
 * What a training engine offers the run, the inspector and the tests, and which engine a
 * definition gets: the fused WebAssembly engine where the definition fits it, the tfjs engine
 * (the reference, which runs every definition) otherwise.
 */
import { sampleData, type DataTarget } from '../core/dataTarget';
import type { Rng } from '../core/rng';
import type { GanDefinition } from '../definition/types';
import type { EngineName, EnginePreference } from '../protocol';
import { FusedEngine } from './fused/fusedEngine';
import type { TrainingLoss } from './losses';
import { formatCount } from '../numberFormat';

export interface StepStats {
  readonly step: number;
  readonly criticLoss: number;
  readonly generatorLoss: number;
  readonly criticGradNorm: number;
  readonly generatorGradNorm: number;
  readonly minibatchEstimate: number;
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
  /** The critic's raw output at points x. */
  criticAt(x: Float32Array): Float32Array;
  /** The loss's estimate with the critic at real points and at fake (generated) points. */
  estimateAt(real: Float32Array, fake: Float32Array): number;
  /**
   * −∂ₓ of each generated point's own generator loss at points x ([n, dataDim]): the force the
   * loss puts on that sample (n times the batch loss's gradient, since the loss is a mean).
   */
  sampleForces(x: Float32Array): Float32Array;
  /**
   * Σ_i (∂x_i/∂θ)ᵀ g_i over latent points z ([n, latentDim]) for per-sample g = ∂L/∂x ([n,
   * dataDim]), packed as generatorParameters(): ∇_θ of any objective of the generator's outputs
   * whose gradient in each output is known (core/sampleGradients.ts). Training is unaffected.
   */
  generatorParameterGradient(latent: Float32Array, dLdx: Float32Array): Float32Array;
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
  /** θ after − θ before the generator's last optimiser update; undefined before the first (and after a restore). */
  lastGeneratorUpdate(): Float32Array | undefined;
  /** Name of the first weight tensor that is not finite, or undefined. */
  nonFiniteWeight(): string | undefined;
  /** Weights and optimiser slots, in the same names and order on both engines. */
  saveState(): Promise<SavedTensor[]>;
  restoreState(saved: readonly SavedTensor[], step: number): Promise<void>;
  dispose(): void;
}

/** A resumed run continues with fresh but reproducible randomness. */
export function mixSeed(seed: number, step: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(step, 0xc2b2ae35)) >>> 0;
}

/** What the fused engine cannot do, or undefined when the definition fits it. */
export function fusedMisfit(definition: GanDefinition): string | undefined {
  const loss = definition.loss;
  if (loss.kind === 'wgan' && loss.gradientPenalty !== undefined && !FusedEngine.supportsGradientPenalty) return 'the gradient penalty needs second derivatives, which only the tfjs engine takes';
  return undefined;
}

/**
 * The engine a definition runs on: `auto` and `fused` take the fused engine when the definition
 * fits and its kernel loads. A note says why when the person asked for `fused`, or when the
 * kernel cannot load; a gradient penalty under `auto` is the design, not news.
 */
export function chooseEngine(definition: GanDefinition, preference: EnginePreference, kernelProblem: () => string | undefined): { name: EngineName; note?: string } {
  if (preference === 'tfjs') return { name: 'tfjs' };
  const misfit = fusedMisfit(definition);
  if (misfit !== undefined) return preference === 'fused' ? { name: 'tfjs', note: `training runs on the tfjs engine: ${misfit}` } : { name: 'tfjs' };
  const problem = kernelProblem();
  return problem === undefined ? { name: 'fused' } : { name: 'tfjs', note: `training runs on the tfjs engine: the fused engine is unavailable (${problem})` };
}

/** Sampling shared by the engines, so a seed draws the same batches on both. */
export function sampleReal(target: DataTarget, rng: Rng, n: number): Float32Array {
  return Float32Array.from(sampleData(target, rng, n));
}

export function sampleLatent(rng: Rng, n: number, latentDim: number): Float32Array {
  const z = new Float32Array(n * latentDim);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  return z;
}
