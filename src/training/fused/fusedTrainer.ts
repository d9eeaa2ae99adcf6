/**
 * One GAN training run on the fused engine: both networks' forward and backward passes and
 * their optimisers run in one WebAssembly instance with SIMD, in memory laid out once (only the
 * batch sampling allocates, in JavaScript).
 * The loss enters as its gradient with respect to the critic's outputs (../outputLoss), so
 * every loss but the gradient penalty runs here, custom ones included. Sampling, initial
 * weights, checkpoints and the NaN guard behave as on the tfjs engine, step for step.
 */
import { createRng, type Rng } from '../../core/rng';
import { createTarget, type Density1D } from '../../core/targets';
import type { GanDefinition, OptimizerConfig } from '../../definition/types';
import type { Tf } from '../backend';
import { mixSeed, NonFiniteError, sampleLatent, sampleReal, type BatchGradients, type SavedTensor, type StepStats, type TrainingEngine } from '../engine';
import { createLoss, type TrainingLoss } from '../losses';
import { createOutputLoss, type OutputLoss } from '../outputLoss';
import { AFFINE_DESCRIPTION, describeMlp, initialParameters, latentDim, slotName } from '../parameters';
import { fusedAffine, fusedMlp, MIN_ROWS, type FusedNetwork } from './fusedNetwork';
import { Arena, type Buffer } from './kernel';

/** tfjs's epsilon for float32 backends, which its Adam and RMSprop use by default. */
const EPSILON = 1e-7;
const RMSPROP_DECAY = 0.9;

/** An optimiser's state in kernel memory, saved under tfjs's slot names and order. */
class Optimizer {
  private readonly slots: Buffer[];
  private iterations = 0;
  private acc1: number;
  private acc2: number;

  constructor(private readonly arena: Arena, private readonly config: Required<OptimizerConfig>, private readonly network: FusedNetwork) {
    const size = network.params.length;
    this.slots = config.kind === 'sgd' ? [] : [arena.alloc(size), arena.alloc(size)];
    this.acc1 = Math.fround(config.beta1);
    this.acc2 = Math.fround(config.beta2);
  }

  apply(): void {
    const k = this.arena.k;
    const { params, grad } = this.network;
    const c = this.config;
    if (c.kind === 'adam') {
      // 1 − β in float64, rounded once, as tfjs computes it.
      k.adam(params.ptr, grad.ptr, this.slots[0]!.ptr, this.slots[1]!.ptr, params.length, c.lr, c.beta1, c.beta2, 1 - c.beta1, 1 - c.beta2, Math.fround(1 - this.acc1), Math.fround(1 - this.acc2), EPSILON);
      this.acc1 = Math.fround(this.acc1 * Math.fround(c.beta1));
      this.acc2 = Math.fround(this.acc2 * Math.fround(c.beta2));
    } else if (c.kind === 'rmsprop') {
      k.rmsprop(params.ptr, grad.ptr, this.slots[0]!.ptr, this.slots[1]!.ptr, params.length, c.lr, RMSPROP_DECAY, 1 - RMSPROP_DECAY, EPSILON);
    } else {
      k.sgd(params.ptr, grad.ptr, params.length, c.lr);
    }
    this.iterations++;
  }

  /** [iter, first slot, second slot] as tfjs's getWeights lists them. */
  save(prefix: string, network: string): SavedTensor[] {
    const names = this.config.kind === 'adam' ? ['m', 'v'] : ['rms', 'momentum'];
    return [
      { name: `${prefix}iter`, shape: [], data: Float32Array.of(this.iterations) },
      ...this.slots.map((s, i) => ({ name: `${prefix}${network}/${names[i]}`, shape: [s.length], data: this.arena.view(s).slice() })),
    ];
  }

  restore(saved: readonly SavedTensor[]): void {
    if (saved.length === 0) return;
    const [iter, ...slots] = saved;
    // tfjs saves no moments before its first update.
    const fresh = slots.length === 0;
    if ((!fresh && slots.length !== this.slots.length) || slots.some((s) => s.data.length !== this.network.params.length)) throw new Error('checkpoint does not match the optimiser');
    this.iterations = iter!.data[0]!;
    this.slots.forEach((b, i) => (fresh ? this.arena.view(b).fill(0) : this.arena.view(b).set(slots[i]!.data)));
    // As tfjs's setWeights: β^(iterations + 1).
    this.acc1 = Math.fround(Math.fround(this.config.beta1) ** (this.iterations + 1));
    this.acc2 = Math.fround(Math.fround(this.config.beta2) ** (this.iterations + 1));
  }
}

export class FusedTrainer implements TrainingEngine {
  readonly name = 'fused' as const;
  readonly target: Density1D;
  readonly latentDim: number;
  readonly generatorDescription: string;
  readonly criticDescription: string;
  private readonly arena = new Arena();
  private readonly generator: FusedNetwork;
  private readonly critic: FusedNetwork;
  private readonly generatorOptimizer: Optimizer;
  private readonly criticOptimizer: Optimizer;
  private rng: Rng;
  loss!: TrainingLoss;
  private output!: OutputLoss;
  definition!: GanDefinition;
  /** ∂L/∂v for the critic's outputs on real then fake points. */
  private dOutput: Buffer | undefined;
  step = 0;

  constructor(private readonly tf: Tf, definition: GanDefinition) {
    this.target = createTarget(definition.target);
    this.rng = createRng(definition.seed);
    const initial = initialParameters(this.rng, definition);
    const g = definition.generator;
    const c = definition.critic;
    this.latentDim = latentDim(definition);
    this.generator = g.kind === 'affine' ? fusedAffine(this.arena, initial.generator) : fusedMlp(this.arena, initial.generator, g.latentDim, g.hidden, g.activation);
    this.critic = fusedMlp(this.arena, initial.critic, 1, c.hidden, c.activation);
    this.generatorDescription = g.kind === 'affine' ? AFFINE_DESCRIPTION : describeMlp(g.latentDim, g.hidden, g.activation);
    this.criticDescription = describeMlp(1, c.hidden, c.activation);
    this.generatorOptimizer = new Optimizer(this.arena, definition.generatorOptimizer, this.generator);
    this.criticOptimizer = new Optimizer(this.arena, definition.criticOptimizer, this.critic);
    this.replaceLoss(definition);
  }

  replaceLoss(definition: GanDefinition): void {
    this.loss = createLoss(this.tf, definition.loss);
    this.output = createOutputLoss(this.tf, definition.loss, this.loss);
    this.definition = definition;
  }

  /** ∂L/∂v for `rows` critic outputs; grows with the largest batch seen. */
  private outputGradient(rows: number): Buffer {
    if (!this.dOutput || this.dOutput.length < rows) this.dOutput = this.arena.alloc(rows);
    return this.dOutput;
  }

  /** G(z) for latent points already in the generator's input; [rows, 1] in the generator's output. */
  private generateInPlace(rows: number): Buffer {
    return this.generator.forward(this.generator.input(rows), rows);
  }

  private writeLatent(latent: Float32Array, rows: number): void {
    this.arena.view(this.generator.input(rows)).set(latent.subarray(0, rows * this.latentDim));
  }

  /** Critic gradient into critic.grad on (real, G(latent)); returns its loss and estimate. */
  private criticGradient(real: Float32Array, latent: Float32Array): { loss: number; estimate: number } {
    const n = real.length;
    const m = latent.length / this.latentDim;
    this.writeLatent(latent, m);
    const fake = this.generateInPlace(m);
    const input = this.critic.input(n + m);
    const x = this.arena.view(input);
    x.set(real);
    x.set(this.arena.view(fake, m), n);
    const output = this.critic.forward(input, n + m);
    const dOutput = this.outputGradient(n + m);
    const v = this.arena.view(output, n + m);
    const d = this.arena.view(dOutput, n + m);
    const result = this.output.critic(v.subarray(0, n), v.subarray(n), d.subarray(0, n), d.subarray(n));
    this.critic.backward(dOutput, n + m, { params: true, input: false });
    return result;
  }

  /** Generator gradient into generator.grad on latent points; returns its loss. */
  private generatorGradient(latent: Float32Array): number {
    const m = latent.length / this.latentDim;
    this.writeLatent(latent, m);
    const fake = this.generateInPlace(m);
    const output = this.critic.forward(fake, m);
    const dOutput = this.outputGradient(m);
    const loss = this.output.generator(this.arena.view(output, m), this.arena.view(dOutput, m));
    const dFake = this.critic.backward(dOutput, m, { params: false, input: true })!;
    this.generator.backward(dFake, m, { params: true, input: false });
    return loss;
  }

  /** The gradient's norm, refusing a non-finite loss or gradient. */
  private checked(loss: number, network: FusedNetwork, name: string, step: number): number {
    if (!Number.isFinite(loss)) throw new NonFiniteError(step, `${name} loss`);
    const norm = Math.sqrt(this.arena.k.sumOfSquares(network.grad.ptr, network.grad.length));
    if (!Number.isFinite(norm)) throw new NonFiniteError(step, `${name} gradient (${this.firstNonFinite(name, network, network.grad)})`);
    return norm;
  }

  trainStep(options: { readonly freezeGenerator?: boolean } = {}): StepStats {
    const def = this.definition;
    const batch = def.batchSize;
    const step = this.step + 1;
    let criticLoss = NaN;
    let criticGradNorm = NaN;
    let minibatchEstimate = NaN;
    for (let k = 0; k < def.criticSteps; k++) {
      const real = sampleReal(this.target, this.rng, batch);
      const { loss, estimate } = this.criticGradient(real, sampleLatent(this.rng, batch, this.latentDim));
      criticGradNorm = this.checked(loss, this.critic, 'critic', step);
      this.criticOptimizer.apply();
      if (this.loss.clip !== undefined) this.arena.k.clip(this.critic.params.ptr, this.critic.params.length, this.loss.clip);
      criticLoss = loss;
      minibatchEstimate = estimate;
    }
    const generatorLoss = this.generatorGradient(sampleLatent(this.rng, batch, this.latentDim));
    const generatorGradNorm = this.checked(generatorLoss, this.generator, 'generator', step);
    if (!options.freezeGenerator) this.generatorOptimizer.apply();
    this.step = step;
    return { step, criticLoss, generatorLoss, criticGradNorm, generatorGradNorm, minibatchEstimate };
  }

  gradientsAt(real: Float32Array, latent: Float32Array): BatchGradients {
    const critic = this.criticGradient(real, latent);
    const criticGrad = this.arena.view(this.critic.grad).slice();
    const generatorLoss = this.generatorGradient(latent);
    return { criticLoss: critic.loss, critic: criticGrad, generatorLoss, generator: this.arena.view(this.generator.grad).slice() };
  }

  /** Evaluation in chunks of the workspace's rows. */
  private chunked(network: FusedNetwork, input: Float32Array, inputs: number): Float32Array {
    const rows = input.length / inputs;
    const out = new Float32Array(rows);
    for (let from = 0; from < rows; from += MIN_ROWS) {
      const count = Math.min(MIN_ROWS, rows - from);
      const buffer = network.input(count);
      this.arena.view(buffer).set(input.subarray(from * inputs, (from + count) * inputs));
      out.set(this.arena.view(network.forward(buffer, count), count), from);
    }
    return out;
  }

  generate(latent: Float32Array): Float32Array {
    return this.chunked(this.generator, latent, this.latentDim);
  }

  criticAt(x: Float32Array): Float32Array {
    return this.chunked(this.critic, x, 1);
  }

  estimateAt(real: Float32Array, fake: Float32Array): number {
    return this.output.estimate(this.criticAt(real), this.criticAt(fake));
  }

  private firstNonFinite(name: string, network: FusedNetwork, values: Buffer): string {
    const index = this.arena.view(values).findIndex((x) => !Number.isFinite(x));
    return slotName(name, network.layout, index);
  }

  nonFiniteWeight(): string | undefined {
    for (const [name, network] of [['generator', this.generator], ['critic', this.critic]] as const) {
      if (this.arena.view(network.params).some((x) => !Number.isFinite(x))) return this.firstNonFinite(name, network, network.params);
    }
    return undefined;
  }

  async saveState(): Promise<SavedTensor[]> {
    return [
      { name: 'generator', shape: [this.generator.params.length], data: this.arena.view(this.generator.params).slice() },
      { name: 'critic', shape: [this.critic.params.length], data: this.arena.view(this.critic.params).slice() },
      ...this.generatorOptimizer.save('opt/generator/', 'generator'),
      ...this.criticOptimizer.save('opt/critic/', 'critic'),
    ];
  }

  async restoreState(saved: readonly SavedTensor[], step: number): Promise<void> {
    const byName = new Map(saved.map((t) => [t.name, t]));
    for (const [name, network] of [['generator', this.generator], ['critic', this.critic]] as const) {
      const t = byName.get(name);
      if (!t || t.data.length !== network.params.length) throw new Error(`checkpoint does not match the network: ${name}`);
      this.arena.view(network.params).set(t.data);
    }
    this.generatorOptimizer.restore(saved.filter((t) => t.name.startsWith('opt/generator/')));
    this.criticOptimizer.restore(saved.filter((t) => t.name.startsWith('opt/critic/')));
    this.step = step;
    this.rng = createRng(mixSeed(this.definition.seed, step));
  }

  dispose(): void {
    // The instance's memory goes with the last reference to it.
  }
}
