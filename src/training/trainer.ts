/**
 * One GAN training run on the tfjs engine: the networks, their optimisers and the step.
 * Knows nothing of threads or messages, so tests drive it directly.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { createRng, type Rng } from '../core/rng';
import { createTarget, type Density1D } from '../core/targets';
import type { GanDefinition, OptimizerConfig } from '../definition/types';
import type { Tf } from './backend';
import { mixSeed, NonFiniteError, sampleLatent, sampleReal, type BatchGradients, type SavedTensor, type StepStats, type TrainingEngine } from './engine';
import { createLoss, type TrainingLoss } from './losses';
import { createNetworks, localName, variablePrefix, type Mlp, type Network } from './networks';
import { latentDim, slotName } from './parameters';

type Tensor = TfCore.Tensor;
type Tensor2D = TfCore.Tensor2D;
type Scalar = TfCore.Scalar;
type Optimizer = TfCore.Optimizer;
type Variable = TfCore.Variable;

function createOptimizer(tf: Tf, c: Required<OptimizerConfig>): Optimizer {
  switch (c.kind) {
    case 'adam': return tf.train.adam(c.lr, c.beta1, c.beta2);
    case 'rmsprop': return tf.train.rmsprop(c.lr);
    case 'sgd': return tf.train.sgd(c.lr);
  }
}

interface Gradients {
  readonly loss: Scalar;
  /** The gradient of the network's packed parameter vector. */
  readonly grad: Tensor;
  readonly norm: Scalar;
  readonly extra?: Scalar;
}

export class Trainer implements TrainingEngine {
  readonly name = 'tfjs' as const;
  readonly target: Density1D;
  readonly generator: Network;
  readonly critic: Mlp;
  readonly latentDim: number;
  private rng: Rng;
  private readonly generatorOptimizer: Optimizer;
  private readonly criticOptimizer: Optimizer;
  loss!: TrainingLoss;
  definition!: GanDefinition;
  step = 0;

  constructor(readonly tf: Tf, definition: GanDefinition) {
    this.definition = definition;
    this.target = createTarget(definition.target);
    this.rng = createRng(definition.seed);
    const prefix = variablePrefix();
    ({ generator: this.generator, critic: this.critic } = createNetworks(tf, this.rng, definition, prefix));
    this.latentDim = latentDim(definition);
    this.generatorOptimizer = createOptimizer(tf, definition.generatorOptimizer);
    this.criticOptimizer = createOptimizer(tf, definition.criticOptimizer);
    this.loss = createLoss(tf, definition.loss);
  }

  get generatorDescription(): string {
    return this.generator.description;
  }

  get criticDescription(): string {
    return this.critic.description;
  }

  replaceLoss(definition: GanDefinition): void {
    this.loss = createLoss(this.tf, definition.loss);
    this.definition = definition;
  }

  private sampleReal(n: number): Tensor2D {
    return this.tf.tensor2d(sampleReal(this.target, this.rng, n), [n, 1]);
  }

  private sampleLatent(n: number): Tensor2D {
    return this.latentTensor(sampleLatent(this.rng, n, this.latentDim));
  }

  private latentTensor(z: Float32Array): Tensor2D {
    return this.tf.tensor2d(z, [z.length / this.latentDim, this.latentDim]);
  }

  private column(x: Float32Array): Tensor2D {
    return this.tf.tensor2d(x, [x.length, 1]);
  }

  generate(latent: Float32Array): Float32Array {
    return this.tf.tidy(() => Float32Array.from(this.generator.apply(this.latentTensor(latent)).dataSync()));
  }

  criticAt(x: Float32Array): Float32Array {
    return this.tf.tidy(() => Float32Array.from(this.critic.apply(this.column(x)).dataSync()));
  }

  estimateAt(real: Float32Array, fake: Float32Array): number {
    const critic = this.critic;
    return this.tf.tidy(() => this.loss.estimate(critic.apply(this.column(real)), critic.apply(this.column(fake))).dataSync()[0]!);
  }

  gradientsAt(real: Float32Array, latent: Float32Array): BatchGradients {
    return this.tf.tidy(() => {
      const c = this.criticGradients(this.column(real), this.generator.apply(this.latentTensor(latent)));
      c.extra?.dispose();
      const g = this.generatorGradients(this.latentTensor(latent));
      const read = (t: Tensor): Float32Array => Float32Array.from(t.dataSync());
      return { criticLoss: c.loss.dataSync()[0]!, critic: read(c.grad), generatorLoss: g.loss.dataSync()[0]!, generator: read(g.grad) };
    });
  }

  /**
   * Gradients of a loss with respect to a network's weights. The weights are sliced from the
   * packed vector outside the tape, so the gradient is one concat, not a pad per weight.
   */
  private gradients(network: Network, loss: (weights: Tensor[]) => Scalar): Gradients {
    const tf = this.tf;
    const { value, grads } = tf.valueAndGrads((...weights: Tensor[]) => loss(weights))(network.weights());
    const grad = tf.concat(grads.map((g) => tf.reshape(g, [-1])));
    return { loss: value, grad, norm: tf.sqrt(tf.sum(tf.square(grad))) as Scalar };
  }

  /**
   * Critic loss gradients on one pass over concat(real, fake); the minibatch estimate comes
   * from the same outputs (it is not on the loss's path, so it costs no backward pass).
   */
  private criticGradients(real: Tensor2D, fake: Tensor2D): Gradients {
    const tf = this.tf;
    const loss = this.loss;
    let estimate: Scalar | undefined;
    const g = this.gradients(this.critic, (weights) => {
      const both = this.critic.apply(tf.concat([real, fake], 0), weights);
      const n = real.shape[0];
      const vReal = tf.slice(both, [0, 0], [n, 1]);
      const vFake = tf.slice(both, [n, 0], [fake.shape[0], 1]);
      // The gradient function disposes what it creates, apart from the loss.
      estimate = tf.keep(loss.estimate(vReal, vFake) as Scalar);
      let l = loss.criticLoss(vReal, vFake);
      if (loss.gradientPenalty !== undefined) l = tf.add(l, tf.mul(this.gradientPenalty(real, fake, weights), loss.gradientPenalty));
      return l as Scalar;
    });
    return estimate ? { ...g, extra: estimate } : g;
  }

  /**
   * (‖∇f(x̂)‖ − 1)² on random interpolates x̂ of real and fake points (Gulrajani et al. 2017), or
   * max(0, ‖∇f(x̂)‖ − 1)² when one-sided (Petzka et al. 2018).
   */
  private gradientPenalty(real: Tensor2D, fake: Tensor2D, weights: Tensor[]): Scalar {
    const tf = this.tf;
    const n = Math.min(real.shape[0], fake.shape[0]);
    const eps = new Float32Array(n);
    for (let i = 0; i < n; i++) eps[i] = this.rng.next();
    const e = tf.tensor2d(eps, [n, 1]);
    const a = tf.slice(real, [0, 0], [n, 1]);
    const b = tf.slice(fake, [0, 0], [n, 1]);
    const xHat = tf.add(tf.mul(e, a), tf.mul(tf.sub(1, e), b));
    // 1-D inputs: the gradient norm is |∂f/∂x|.
    const excess = tf.sub(tf.abs(this.critic.inputSlope(xHat as Tensor2D, weights)), 1);
    return tf.mean(tf.square(this.loss.oneSidedPenalty ? tf.relu(excess) : excess)) as Scalar;
  }

  private generatorGradients(z: Tensor2D): Gradients {
    return this.gradients(this.generator, (weights) => this.loss.generatorLoss(this.critic.apply(this.generator.apply(z, weights))) as Scalar);
  }

  /** Reads a gradient computation's scalars in one round trip and refuses non-finite ones. */
  private checked(g: Gradients, step: number, network: 'critic' | 'generator'): [loss: number, norm: number, extra: number] {
    const tf = this.tf;
    let values: Float32Array | Int32Array | Uint8Array;
    try {
      values = tf.stack([g.loss, g.norm, g.extra ?? tf.scalar(0)]).dataSync();
    } finally {
      g.extra?.dispose();
    }
    const [l, n, e] = [values[0]!, values[1]!, values[2]!];
    if (!Number.isFinite(l)) throw new NonFiniteError(step, `${network} loss`);
    if (!Number.isFinite(n)) throw new NonFiniteError(step, `${network} gradient (${this.firstNonFinite(network === 'critic' ? this.critic : this.generator, g.grad)})`);
    return [l, n, e];
  }

  trainStep(options: { readonly freezeGenerator?: boolean } = {}): StepStats {
    const tf = this.tf;
    const batch = this.definition.batchSize;
    const step = this.step + 1;
    let critic: [number, number, number] = [NaN, NaN, NaN];
    for (let k = 0; k < this.definition.criticSteps; k++) {
      critic = tf.tidy(() => {
        const g = this.criticGradients(this.sampleReal(batch), this.generator.apply(this.sampleLatent(batch)));
        const values = this.checked(g, step, 'critic');
        this.criticOptimizer.applyGradients({ [this.critic.params.name]: g.grad });
        if (this.loss.clip !== undefined) this.clipCritic(this.loss.clip);
        return values;
      });
    }
    const [generatorLoss, generatorGradNorm] = tf.tidy(() => {
      const g = this.generatorGradients(this.sampleLatent(batch));
      const values = this.checked(g, step, 'generator');
      if (!options.freezeGenerator) this.generatorOptimizer.applyGradients({ [this.generator.params.name]: g.grad });
      return values;
    });
    this.step = step;
    const [criticLoss, criticGradNorm, minibatchEstimate] = critic;
    return { step, criticLoss, generatorLoss, criticGradNorm, generatorGradNorm, minibatchEstimate };
  }

  private clipCritic(c: number): void {
    this.critic.params.assign(this.tf.clipByValue(this.critic.params, -c, c));
  }

  private firstNonFinite(network: Network, values: Tensor): string {
    const index = (values.dataSync() as Float32Array).findIndex((x) => !Number.isFinite(x));
    return slotName(localName(network.params), network.layout, index);
  }

  private get variables(): Variable[] {
    return [this.generator.params, this.critic.params];
  }

  nonFiniteWeight(): string | undefined {
    for (const network of [this.generator, this.critic]) {
      if ((network.params.dataSync() as Float32Array).some((x) => !Number.isFinite(x))) return this.firstNonFinite(network, network.params);
    }
    return undefined;
  }

  async saveState(): Promise<SavedTensor[]> {
    // Copies: the state is transferred to the host, which detaches the buffers.
    const out: SavedTensor[] = this.variables.map((v) => ({ name: localName(v), shape: [...v.shape], data: Float32Array.from(v.dataSync()) }));
    for (const [prefix, opt] of this.optimizers()) {
      for (const w of await opt.getWeights()) out.push({ name: `${prefix}${w.name}`, shape: [...w.tensor.shape], data: Float32Array.from(await w.tensor.data()) });
    }
    return out;
  }

  async restoreState(saved: readonly SavedTensor[], step: number): Promise<void> {
    const tf = this.tf;
    const byName = new Map(saved.map((t) => [t.name, t]));
    for (const v of this.variables) {
      const t = byName.get(localName(v));
      if (!t || t.data.length !== v.size) throw new Error(`checkpoint does not match the network: ${localName(v)}`);
      v.assign(tf.tensor(t.data, v.shape));
    }
    for (const [prefix, opt] of this.optimizers()) {
      // Optimisers rebuild their slots from the list's order (iterations first, then moments).
      const slots = saved.filter((t) => t.name.startsWith(prefix)).map((t) => ({ name: t.name.slice(prefix.length), tensor: tf.tensor(t.data, t.shape) }));
      if (slots.length > 0) await opt.setWeights(slots);
    }
    this.step = step;
    this.rng = createRng(mixSeed(this.definition.seed, step));
  }

  private optimizers(): [string, Optimizer][] {
    return [['opt/generator/', this.generatorOptimizer], ['opt/critic/', this.criticOptimizer]];
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.generatorOptimizer.dispose();
    this.criticOptimizer.dispose();
  }
}


