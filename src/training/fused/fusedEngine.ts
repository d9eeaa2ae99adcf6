/**
 * The fused engine: both networks' forward and backward passes and their optimisers run in one
 * WebAssembly instance with SIMD, in memory laid out once (only the batches, drawn by the
 * stepper, allocate, in JavaScript).
 * The loss enters as its gradient with respect to the critic's outputs (../outputLoss), so
 * every loss runs here, custom ones included; the gradient penalty's input gradients are
 * tangents carried through the critic's forward pass and differentiated in its backward pass.
 */
import type { GanDefinition, LossSpec } from '../../definition/types';
import type { Tf } from '../backend';
import type { SavedTensor } from '../engine';
import type { CriticGradient, GradientEngine, GradientResult, NetworkName } from '../gradientEngine';
import type { TrainingLoss } from '../losses';
import type { NetworkShapes } from '../networkShapes';
import { createOutputLoss, type OutputLoss } from '../outputLoss';
import type { InitialParameters } from '../parameters';
import { fusedAffine, fusedMlp, MIN_ROWS, type FusedMlp, type FusedNetwork } from './fusedNetwork';
import { FusedOptimizer } from './fusedOptimizer';
import { Arena, type Buffer } from './kernel';

/**
 * x̂ = ε·real + (1 − ε)·fake for the first points of both batches, rounded as the tfjs engine's
 * float32 ops round it.
 */
function interpolate(out: Float32Array, real: Float32Array, fake: Float32Array, eps: Float32Array, dim: number): void {
  for (let i = 0; i < eps.length; i++) {
    const e = eps[i]!;
    const rest = Math.fround(1 - e);
    for (let k = 0; k < dim; k++) out[i * dim + k] = Math.fround(e * real[i * dim + k]!) + Math.fround(rest * fake[i * dim + k]!);
  }
}

export class FusedEngine implements GradientEngine {
  readonly name = 'fused' as const;
  private readonly arena: Arena;
  private readonly generator: FusedNetwork;
  private readonly critic: FusedMlp;
  private readonly optimizers: Readonly<Record<NetworkName, FusedOptimizer>>;
  private output!: OutputLoss;
  private loss!: TrainingLoss;
  /** ∂L/∂v for the critic's outputs on real then fake points (then the penalty's input gradients). */
  private dOutput: Buffer | undefined;
  /** ∂L/∂x for the generator's outputs in generatorBackward. */
  private dPoints: Buffer | undefined;
  /**
   * The latent set of generate()'s last pass while the generator's workspace still holds it at
   * the same parameters: generatorBackward on that set (the alignment's, right after generating
   * it) then starts from it instead of running it again.
   */
  private heldForward: Float32Array | undefined;

  /** `threads` 2 runs large products on a second thread where shared memory allows (./parallelProducts). */
  constructor(private readonly tf: Tf, private readonly shapes: NetworkShapes, initial: InitialParameters, definition: GanDefinition, threads = 1) {
    this.arena = new Arena(threads);
    const g = shapes.generator;
    this.generator = g.kind === 'affine' ? fusedAffine(this.arena, initial.generator, g) : fusedMlp(this.arena, initial.generator, g);
    this.critic = fusedMlp(this.arena, initial.critic, shapes.critic);
    this.optimizers = {
      generator: new FusedOptimizer(this.arena, definition.generatorOptimizer, this.generator),
      critic: new FusedOptimizer(this.arena, definition.criticOptimizer, this.critic),
    };
  }

  setLoss(spec: LossSpec, loss: TrainingLoss): void {
    this.output = createOutputLoss(this.tf, spec, loss);
    this.loss = loss;
  }

  private network(name: NetworkName): FusedNetwork {
    return name === 'critic' ? this.critic : this.generator;
  }

  /** ∂L/∂v for `rows` critic outputs; grows with the largest batch seen. */
  private outputGradient(rows: number): Buffer {
    if (!this.dOutput || this.dOutput.length < rows) this.dOutput = this.arena.alloc(rows);
    return this.dOutput;
  }

  /** G(z) for latent points written into the generator's input; [rows, dataDim] in the generator's output. */
  private generateFrom(latent: Float32Array, rows: number): Buffer {
    this.heldForward = undefined;
    const input = this.generator.input(rows);
    this.arena.view(input).set(latent.subarray(0, input.length));
    return this.generator.forward(input, rows);
  }

  private norm(network: FusedNetwork): number {
    return Math.sqrt(this.arena.k.sumOfSquares(network.grad.ptr, network.grad.length));
  }

  /**
   * One forward and one backward pass over the rows real, fake and, with a gradient penalty, the
   * interpolates x̂ = ε·real + (1 − ε)·fake, whose input gradients ride along as tangent rows.
   */
  criticGradient(real: Float32Array, latent: Float32Array, interpolation: Float32Array | undefined): CriticGradient {
    const dim = this.shapes.dataDim;
    const n = real.length / dim;
    const m = latent.length / this.shapes.latentDim;
    const fake = this.generateFrom(latent, m);
    const lambda = this.loss.gradientPenalty;
    const points = lambda !== undefined && interpolation ? interpolation.length : 0;
    const rows = n + m + points;
    const input = this.critic.input(rows + points * dim);
    const x = this.arena.view(input);
    x.set(real);
    const generated = this.arena.view(fake);
    x.set(generated, real.length);
    if (points > 0) interpolate(x.subarray((n + m) * dim, rows * dim), real, generated, interpolation!, dim);
    const output = points > 0 ? this.critic.forwardWithSlopes(input, rows, points) : this.critic.forward(input, rows);
    const dOutput = this.outputGradient(output.length);
    const v = this.arena.view(output, n + m);
    const d = this.arena.view(dOutput, output.length);
    const { loss, estimate } = this.output.critic(v.subarray(0, n), v.subarray(n, n + m), d.subarray(0, n), d.subarray(n, n + m));
    let penalty = 0;
    if (points > 0) {
      // f(x̂) is not in the loss; the penalty is a function of the input gradients alone.
      d.fill(0, n + m, rows);
      penalty = lambda! * this.arena.k.gradientPenalty(Arena.at(output, rows), Arena.at(dOutput, rows), points, dim, lambda!, this.loss.oneSidedPenalty === true);
    }
    this.critic.backward(dOutput, rows, { params: true, input: false });
    return { loss: loss + penalty, estimate, norm: this.norm(this.critic) };
  }

  generatorGradient(latent: Float32Array): GradientResult {
    const m = latent.length / this.shapes.latentDim;
    const fake = this.generateFrom(latent, m);
    const output = this.critic.forward(fake, m);
    const dOutput = this.outputGradient(m);
    const loss = this.output.generator(this.arena.view(output, m), this.arena.view(dOutput, m));
    const dFake = this.critic.backward(dOutput, m, { params: false, input: true })!;
    this.generator.backward(dFake, m, { params: true, input: false });
    return { loss, norm: this.norm(this.generator) };
  }

  apply(network: NetworkName): void {
    if (network === 'generator') this.heldForward = undefined;
    this.optimizers[network].apply();
  }

  writeGradient(network: NetworkName, values: Float32Array): void {
    const grad = this.network(network).grad;
    if (values.length !== grad.length) throw new RangeError(`expected ${grad.length} gradient values for the ${network}, got ${values.length}`);
    this.arena.view(grad).set(values);
  }

  clipCritic(c: number): void {
    this.arena.k.clip(this.critic.params.ptr, this.critic.params.length, c);
  }

  /** Evaluation in chunks of the workspace's rows. */
  private chunked(network: FusedNetwork, input: Float32Array): Float32Array {
    const { inputs, outputs } = network;
    const rows = input.length / inputs;
    const out = new Float32Array(rows * outputs);
    for (let from = 0; from < rows; from += MIN_ROWS) {
      const count = Math.min(MIN_ROWS, rows - from);
      const buffer = network.input(count);
      this.arena.view(buffer).set(input.subarray(from * inputs, (from + count) * inputs));
      out.set(this.arena.view(network.forward(buffer, count)), from * outputs);
    }
    return out;
  }

  generate(latent: Float32Array): Float32Array {
    const rows = latent.length / this.shapes.latentDim;
    if (rows > MIN_ROWS) {
      this.heldForward = undefined;
      return this.chunked(this.generator, latent);
    }
    const out = this.arena.view(this.generateFrom(latent, rows)).slice();
    this.heldForward = latent;
    return out;
  }

  /** Whether the generator's workspace holds its forward pass over exactly these latent points at the current parameters. */
  private holdsForward(latent: Float32Array): boolean {
    if (this.heldForward !== latent) return false;
    // The same array may have been refilled since (batches reuse theirs).
    const input = this.arena.view(this.generator.input(latent.length / this.shapes.latentDim));
    for (let i = 0; i < latent.length; i++) if (input[i] !== latent[i]) return false;
    return true;
  }

  criticAt(x: Float32Array): Float32Array {
    return this.chunked(this.critic, x);
  }

  /**
   * In chunks of the workspace's rows, each chunk's gradient scaled by its share of the points:
   * exact for a loss that is a mean over samples (every built-in one), so a latent quadrature set
   * of any size goes through a workspace of MIN_ROWS.
   */
  generatorLossGradientAt(x: Float32Array, criticValues?: Float32Array): Float32Array {
    const dim = this.shapes.dataDim;
    const rows = x.length / dim;
    const out = new Float32Array(x.length);
    for (let from = 0; from < rows; from += MIN_ROWS) {
      const count = Math.min(MIN_ROWS, rows - from);
      const input = this.critic.input(count);
      this.arena.view(input).set(x.subarray(from * dim, (from + count) * dim));
      const output = this.critic.forward(input, count);
      criticValues?.set(this.arena.view(output, count), from);
      const dOutput = this.outputGradient(count);
      this.output.generator(this.arena.view(output, count), this.arena.view(dOutput, count));
      const dx = this.arena.view(this.critic.backward(dOutput, count, { params: false, input: true })!, count * dim);
      const share = count / rows;
      for (let k = 0; k < dx.length; k++) out[from * dim + k] = share * dx[k]!;
    }
    return out;
  }

  /** backward() overwrites the generator's gradient: it is saved and put back, so a step in progress is unaffected. */
  generatorBackward(latent: Float32Array, dxs: readonly Float32Array[]): Float32Array[] {
    const { latentDim, dataDim } = this.shapes;
    const rows = latent.length / latentDim;
    for (const dx of dxs) if (dx.length !== rows * dataDim) throw new RangeError(`expected ${rows} rows of ∂L/∂x, got ${dx.length} values`);
    const kept = this.arena.view(this.generator.grad).slice();
    const sums = dxs.map(() => new Float64Array(kept.length));
    for (let from = 0; from < rows; from += MIN_ROWS) {
      const count = Math.min(MIN_ROWS, rows - from);
      // One forward pass per chunk: a backward pass reads the stored activations and leaves them as they were.
      if (!(rows === count && this.holdsForward(latent))) this.generateFrom(latent.subarray(from * latentDim, (from + count) * latentDim), count);
      if (!this.dPoints || this.dPoints.length < MIN_ROWS * dataDim) this.dPoints = this.arena.alloc(MIN_ROWS * dataDim);
      const d = { ptr: this.dPoints.ptr, length: count * dataDim };
      dxs.forEach((dx, j) => {
        this.arena.view(d).set(dx.subarray(from * dataDim, (from + count) * dataDim));
        this.generator.backward(d, count, { params: true, input: false });
        // A fresh view: an allocation above may have grown the memory and detached older ones.
        const g = this.arena.view(this.generator.grad);
        const sum = sums[j]!;
        for (let k = 0; k < sum.length; k++) sum[k] += g[k]!;
      });
    }
    this.arena.view(this.generator.grad).set(kept);
    return sums.map((sum) => Float32Array.from(sum));
  }

  estimateOf(realCritic: Float32Array, fakeCritic: Float32Array): number {
    return this.output.estimate(realCritic, fakeCritic);
  }

  read(network: NetworkName, what: 'params' | 'grad', into?: Float32Array): Float32Array {
    const n = this.network(network);
    const values = this.arena.view(what === 'params' ? n.params : n.grad);
    if (into?.length !== values.length) return values.slice();
    into.set(values);
    return into;
  }

  writeParams(network: NetworkName, values: Float32Array): void {
    if (network === 'generator') this.heldForward = undefined;
    this.arena.view(this.network(network).params).set(values);
  }

  async saveOptimizer(network: NetworkName): Promise<SavedTensor[]> {
    return this.optimizers[network].save(network);
  }

  async restoreOptimizer(network: NetworkName, saved: readonly SavedTensor[]): Promise<void> {
    this.optimizers[network].restore(saved);
  }

  /** 2 once the helper thread has taken a share of a product (only large ones are split), else 1. */
  get threads(): number {
    return this.arena.products.helperChunks() > 0 ? 2 : 1;
  }

  dispose(): void {
    // The instance's memory goes with the last reference to it; the helper thread is stopped.
    this.arena.dispose();
  }
}
