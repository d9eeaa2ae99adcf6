/**
 * One GAN training run on any engine: the seeded RNG (initial weights, batches, the gradient
 * penalty's interpolation), the critic and generator updates of a step, the NaN guard and the
 * checkpoint's names. The engine (./gradientEngine) only computes gradients and applies
 * updates, so a seed gives the same run on every engine, step for step.
 * Knows nothing of threads or messages, so tests drive it directly.
 */
import { createRng, type Rng } from '../core/rng';
import { createDataTarget, type DataTarget } from '../core/dataTarget';
import type { CriticKind, GanDefinition } from '../definition/types';
import type { EngineName } from '../protocol';
import type { Tf } from './backend';
import { mixSeed, NonFiniteError, sampleLatent, sampleReal, type BatchGradients, type MirroredState, type SavedTensor, type StepStats, type TrainingEngine } from './engine';
import { NETWORKS, type GradientEngine, type GradientResult, type NetworkName } from './gradientEngine';
import { createLoss, type TrainingLoss } from './losses';
import { describeNetwork, networkShapes, type NetworkShapes } from './networkShapes';
import { OPTIMAL_CRITIC_DESCRIPTION, OptimalCritic } from './optimalCritic';
import { initialParameters, slotName, type InitialParameters, type Slot } from './parameters';

/** Builds an engine's networks from the shapes and the seeded initial parameters. */
export type EngineBuilder = (shapes: NetworkShapes, initial: InitialParameters) => GradientEngine;

/** Where a network's optimiser state lives in a checkpoint. */
function optimizerPrefix(network: NetworkName): string {
  return `opt/${network}/`;
}

export class Stepper implements TrainingEngine {
  readonly target: DataTarget;
  readonly shapes: NetworkShapes;
  readonly generatorDescription: string;
  readonly criticDescription: string;
  private readonly engine: GradientEngine;
  private readonly layouts: Readonly<Record<NetworkName, { readonly slots: readonly Slot[]; readonly size: number }>>;
  private rng: Rng;
  /** A critic phase run on its own (a sub-step), whose step the next generator update completes. */
  private criticDone: { loss: number; norm: number; estimate: number } | undefined;
  /** The generator's parameters before its last update, for lastGeneratorUpdate. */
  private beforeGeneratorUpdate: Float32Array | undefined;
  /** The last update of the run this engine mirrors (mirror()), when it only inspects. */
  private mirroredUpdate: Float32Array | undefined;
  /** The arrays each step's batches are drawn into (the engines copy what they keep). */
  private readonly batches: { real?: Float32Array; latent?: Float32Array; generatorLatent?: Float32Array; interpolation?: Float32Array } = {};
  /** `critic: { kind: 'optimal' }`: the critic the generator trains against; the critic network is then never trained or read. */
  private readonly optimal: OptimalCritic | undefined;
  loss!: TrainingLoss;
  definition!: GanDefinition;
  step = 0;

  constructor(private readonly tf: Tf, definition: GanDefinition, build: EngineBuilder) {
    this.target = createDataTarget(definition.target);
    this.rng = createRng(definition.seed);
    this.shapes = networkShapes(definition);
    const initial = initialParameters(this.rng, this.shapes);
    const layout = (p: InitialParameters[NetworkName]) => ({ slots: p.layout, size: p.values.length });
    this.layouts = { generator: layout(initial.generator), critic: layout(initial.critic) };
    this.generatorDescription = describeNetwork(this.shapes.generator);
    this.criticDescription = definition.critic.kind === 'optimal' ? OPTIMAL_CRITIC_DESCRIPTION : describeNetwork(this.shapes.critic);
    this.engine = build(this.shapes, initial);
    this.optimal = definition.critic.kind === 'optimal' ? new OptimalCritic(this.target, this.latentDim, definition.seed) : undefined;
    this.replaceLoss(definition);
  }

  get name(): EngineName {
    return this.engine.name;
  }

  get threads(): number {
    return this.engine.threads;
  }

  get latentDim(): number {
    return this.shapes.latentDim;
  }

  get criticKind(): CriticKind {
    return this.optimal ? 'optimal' : 'mlp';
  }

  replaceLoss(definition: GanDefinition): void {
    const loss = createLoss(this.tf, definition.loss);
    this.engine.setLoss(definition.loss, loss);
    this.loss = loss;
    this.definition = definition;
  }

  /** The gradient penalty's interpolation weights, drawn after the batch they mix. */
  private interpolation(rows: number): Float32Array | undefined {
    if (this.loss.gradientPenalty === undefined) return undefined;
    const kept = this.batches.interpolation;
    const eps = (this.batches.interpolation = kept?.length === rows ? kept : new Float32Array(rows));
    for (let i = 0; i < rows; i++) eps[i] = this.rng.next();
    return eps;
  }

  /** Refuses a non-finite loss or gradient, naming the first non-finite weight of the gradient. */
  private checked<G extends GradientResult>(network: NetworkName, g: G, step: number): G {
    if (!Number.isFinite(g.loss)) throw new NonFiniteError(step, `${network} loss`);
    if (!Number.isFinite(g.norm)) throw new NonFiniteError(step, `${network} gradient (${this.firstNonFinite(network, this.engine.read(network, 'grad'))})`);
    return g;
  }

  trainStep(options: { readonly freezeGenerator?: boolean } = {}): StepStats {
    if (!this.criticDone) this.trainCritic();
    return this.trainGenerator(options);
  }

  /**
   * The critic's updates of the next step (criticSteps of them) on their own: a sub-step. The
   * batches are drawn as trainStep draws them, so a critic sub-step and then a generator one
   * are exactly one step; a second critic sub-step trains the critic further.
   */
  trainCritic(): void {
    const { batchSize: batch, criticSteps } = this.definition;
    const engine = this.engine;
    const step = this.step + 1;
    let critic = { loss: NaN, norm: NaN, estimate: NaN };
    const batches = this.batches;
    const optimal = this.optimal;
    // With the optimal critic no critic is trained: its loss and gradient stay NaN (none), its estimate is the bound it attains.
    if (optimal) critic = { ...critic, estimate: optimal.estimate(engine, this.loss) };
    for (let k = 0; k < (optimal ? 0 : criticSteps); k++) {
      const real = (batches.real = sampleReal(this.target, this.rng, batch, batches.real));
      const latent = (batches.latent = sampleLatent(this.rng, batch, this.latentDim, batches.latent));
      critic = this.checked('critic', engine.criticGradient(real, latent, this.interpolation(batch)), step);
      engine.apply('critic');
      if (this.loss.clip !== undefined) engine.clipCritic(this.loss.clip);
    }
    this.criticDone = critic;
  }

  /** The generator's update, which completes the step (after the critic's sub-step, if one ran). */
  trainGenerator(options: { readonly freezeGenerator?: boolean } = {}): StepStats {
    const { batchSize: batch } = this.definition;
    const engine = this.engine;
    const step = this.step + 1;
    const critic = this.criticDone ?? { loss: NaN, norm: NaN, estimate: NaN };
    const batches = this.batches;
    const optimal = this.optimal;
    let generatorGradient: GradientResult;
    if (optimal) {
      generatorGradient = optimal.generatorGradient(engine, this.loss);
    } else {
      batches.generatorLatent = sampleLatent(this.rng, batch, this.latentDim, batches.generatorLatent);
      generatorGradient = engine.generatorGradient(batches.generatorLatent);
    }
    const generator = this.checked('generator', generatorGradient, step);
    if (!options.freezeGenerator) {
      this.mirroredUpdate = undefined;
      this.beforeGeneratorUpdate = engine.read('generator', 'params', this.beforeGeneratorUpdate);
      engine.apply('generator');
      optimal?.invalidate();
    }
    this.step = step;
    this.criticDone = undefined;
    return { step, criticLoss: critic.loss, generatorLoss: generator.loss, criticGradNorm: critic.norm, generatorGradNorm: generator.norm, minibatchEstimate: critic.estimate };
  }

  gradientsAt(real: Float32Array, latent: Float32Array): BatchGradients {
    const rows = Math.min(real.length / this.shapes.dataDim, latent.length / this.latentDim);
    const c = this.engine.criticGradient(real, latent, this.interpolation(rows));
    const critic = this.engine.read('critic', 'grad');
    const g = this.engine.generatorGradient(latent);
    return { criticLoss: c.loss, critic, generatorLoss: g.loss, generator: this.engine.read('generator', 'grad') };
  }

  generate(latent: Float32Array): Float32Array {
    return this.engine.generate(latent);
  }

  criticAt(x: Float32Array): Float32Array {
    return this.engine.criticAt(x);
  }

  plottedCriticAt(x: Float32Array): Float32Array {
    return this.optimal ? this.optimal.valuesAt(this.engine, this.loss, x) : this.loss.plotCritic(this.engine.criticAt(x));
  }

  sampleForces(x: Float32Array, criticValues?: Float32Array): Float32Array {
    if (this.optimal) return this.optimal.forcesAt(this.engine, this.loss, x);
    const n = x.length / this.shapes.dataDim;
    const g = this.engine.generatorLossGradientAt(x, criticValues);
    for (let i = 0; i < g.length; i++) g[i] = -n * g[i]!;
    return g;
  }

  estimateAt(real: Float32Array, fake: Float32Array, fakeCritic?: Float32Array): number {
    if (this.optimal) return this.optimal.estimate(this.engine, this.loss);
    return this.engine.estimateOf(this.engine.criticAt(real), fakeCritic ?? this.engine.criticAt(fake));
  }

  generatorParameterGradient(latent: Float32Array, dLdx: Float32Array): Float32Array {
    return this.engine.generatorBackward(latent, [dLdx])[0]!;
  }

  generatorParameterGradients(latent: Float32Array, dLdxs: readonly Float32Array[]): Float32Array[] {
    return this.engine.generatorBackward(latent, dLdxs);
  }

  /**
   * The chain rule in two passes the engines already have, ∂L/∂x through the critic and then the
   * generator's backward pass, rather than generatorGradient: that one keeps its gradient for
   * apply() and holds the whole set in one batch.
   */
  generatorLossGradient(latent: Float32Array): Float32Array {
    return this.engine.generatorBackward(latent, [this.engine.generatorLossGradientAt(this.engine.generate(latent))])[0]!;
  }

  private firstNonFinite(network: NetworkName, values: Float32Array): string | undefined {
    const index = values.findIndex((x) => !Number.isFinite(x));
    return index < 0 ? undefined : slotName(network, this.layouts[network].slots, index);
  }

  generatorParameters(): Float32Array {
    return this.engine.read('generator', 'params');
  }

  criticParameters(): Float32Array {
    return this.engine.read('critic', 'params');
  }

  mirror(state: MirroredState): void {
    this.engine.writeParams('generator', state.generator);
    this.engine.writeParams('critic', state.critic);
    this.step = state.step;
    this.mirroredUpdate = state.lastGeneratorUpdate;
    this.beforeGeneratorUpdate = undefined;
    this.optimal?.invalidate();
  }

  lastGeneratorUpdate(): Float32Array | undefined {
    if (this.mirroredUpdate) return this.mirroredUpdate.slice();
    const before = this.beforeGeneratorUpdate;
    if (!before) return undefined;
    const now = this.engine.read('generator', 'params');
    for (let i = 0; i < now.length; i++) now[i] = now[i]! - before[i]!;
    return now;
  }

  nonFiniteWeight(): string | undefined {
    for (const network of NETWORKS) {
      const found = this.firstNonFinite(network, this.engine.read(network, 'params'));
      if (found !== undefined) return found;
    }
    return undefined;
  }

  async saveState(): Promise<SavedTensor[]> {
    // Copies: the state is transferred to the host, which detaches the buffers.
    const out: SavedTensor[] = NETWORKS.map((network) => ({ name: network, shape: [this.layouts[network].size], data: this.engine.read(network, 'params') }));
    for (const network of NETWORKS) {
      for (const t of await this.engine.saveOptimizer(network)) out.push({ ...t, name: `${optimizerPrefix(network)}${t.name}` });
    }
    return out;
  }

  async restoreState(saved: readonly SavedTensor[], step: number): Promise<void> {
    const byName = new Map(saved.map((t) => [t.name, t]));
    for (const network of NETWORKS) {
      const t = byName.get(network);
      if (!t || t.data.length !== this.layouts[network].size) throw new Error(`checkpoint does not match the network: ${network}`);
      this.engine.writeParams(network, t.data);
    }
    for (const network of NETWORKS) {
      const prefix = optimizerPrefix(network);
      const slots = saved.filter((t) => t.name.startsWith(prefix)).map((t) => ({ ...t, name: t.name.slice(prefix.length) }));
      if (slots.length > 0) await this.engine.restoreOptimizer(network, slots);
    }
    this.beforeGeneratorUpdate = undefined;
    this.criticDone = undefined;
    this.mirroredUpdate = undefined;
    this.optimal?.invalidate();
    this.step = step;
    this.rng = createRng(mixSeed(this.definition.seed, step));
  }

  dispose(): void {
    this.engine.dispose();
  }
}
