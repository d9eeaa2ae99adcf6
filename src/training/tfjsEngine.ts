/**
 * The tfjs engine, the reference: gradients by tfjs's automatic differentiation (so it runs
 * every loss, the gradient penalty included) and tfjs's optimisers, for the shared stepper.
 */
import * as os from 'node:os';
import type * as TfCore from '@tensorflow/tfjs-core';
import type { GanDefinition, LossSpec, OptimizerConfig } from '../definition/types';
import type { Tf } from './backend';
import type { SavedTensor } from './engine';
import type { CriticGradient, GradientEngine, GradientResult, NetworkName } from './gradientEngine';
import type { TrainingLoss } from './losses';
import type { NetworkShapes } from './networkShapes';
import { createNetworks, variablePrefix, type Mlp, type Network } from './networks';
import type { InitialParameters } from './parameters';

type Tensor = TfCore.Tensor;
type Tensor2D = TfCore.Tensor2D;
type Scalar = TfCore.Scalar;
type Optimizer = TfCore.Optimizer;

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

export class TfjsEngine implements GradientEngine {
  readonly name = 'tfjs' as const;
  /** tfjs's wasm and cpu backends run on this thread here (backend.ts); TensorFlow's own pool takes every core. */
  readonly threads: number;
  private readonly generator: Network;
  private readonly critic: Mlp;
  private readonly optimizers: Readonly<Record<NetworkName, Optimizer>>;
  /** The last gradient of each network, kept out of tidy scopes until the next one. */
  private readonly grads: Partial<Record<NetworkName, Tensor>> = {};
  private loss!: TrainingLoss;

  constructor(private readonly tf: Tf, private readonly shapes: NetworkShapes, initial: InitialParameters, definition: GanDefinition) {
    ({ generator: this.generator, critic: this.critic } = createNetworks(tf, shapes, initial, variablePrefix()));
    this.threads = tf.getBackend() === 'tensorflow' ? os.availableParallelism() : 1;
    this.optimizers = { generator: createOptimizer(tf, definition.generatorOptimizer), critic: createOptimizer(tf, definition.criticOptimizer) };
  }

  setLoss(_spec: LossSpec, loss: TrainingLoss): void {
    this.loss = loss;
  }

  private network(name: NetworkName): Network {
    return name === 'critic' ? this.critic : this.generator;
  }

  /** [n, columns] from row-major values. */
  private rows(x: Float32Array, columns: number): Tensor2D {
    return this.tf.tensor2d(x, [x.length / columns, columns]);
  }

  private points(x: Float32Array): Tensor2D {
    return this.rows(x, this.shapes.dataDim);
  }

  private latent(z: Float32Array): Tensor2D {
    return this.rows(z, this.shapes.latentDim);
  }

  generate(latent: Float32Array): Float32Array {
    return this.tf.tidy(() => Float32Array.from(this.generator.apply(this.latent(latent)).dataSync()));
  }

  criticAt(x: Float32Array): Float32Array {
    return this.tf.tidy(() => Float32Array.from(this.critic.apply(this.points(x)).dataSync()));
  }

  generatorLossGradientAt(x: Float32Array, criticValues?: Float32Array): Float32Array {
    const tf = this.tf;
    // The reference engine evaluates the critic once more for them rather than unpick tf.grad.
    criticValues?.set(this.criticAt(x));
    return tf.tidy(() => Float32Array.from(tf.grad((fake: Tensor) => this.loss.generatorLoss(this.critic.apply(fake as Tensor2D)))(this.points(x)).dataSync()));
  }

  generatorBackward(latent: Float32Array, dxs: readonly Float32Array[]): Float32Array[] {
    const tf = this.tf;
    const rows = latent.length / this.shapes.latentDim;
    for (const dx of dxs) if (dx.length !== rows * this.shapes.dataDim) throw new RangeError(`expected ${rows} rows of ∂L/∂x, got ${dx.length} values`);
    // Σ_i g_i·x_i(θ) with g held constant has gradient Σ_i (∂x_i/∂θ)ᵀ g_i: one backward pass each, nothing kept.
    return dxs.map((dx) => tf.tidy(() => {
      const z = this.latent(latent);
      const g = this.points(dx);
      const { grad } = this.gradients(this.generator, (weights) => tf.sum(tf.mul(this.generator.apply(z, weights), g)) as Scalar);
      return Float32Array.from(grad.dataSync());
    }));
  }

  estimateOf(realCritic: Float32Array, fakeCritic: Float32Array): number {
    return this.tf.tidy(() => this.loss.estimate(this.rows(realCritic, 1), this.rows(fakeCritic, 1)).dataSync()[0]!);
  }

  criticGradient(real: Float32Array, latent: Float32Array, interpolation: Float32Array | undefined): CriticGradient {
    const [loss, norm, estimate] = this.kept('critic', () => this.criticGradients(this.points(real), this.generator.apply(this.latent(latent)), interpolation));
    return { loss, norm, estimate };
  }

  generatorGradient(latent: Float32Array): GradientResult {
    const [loss, norm] = this.kept('generator', () => this.generatorGradients(this.latent(latent)));
    return { loss, norm };
  }

  /**
   * Runs a gradient computation in a tidy scope, keeps its gradient as the network's and reads
   * its scalars in one round trip.
   */
  private kept(network: NetworkName, compute: () => Gradients): [loss: number, norm: number, extra: number] {
    const tf = this.tf;
    return tf.tidy(() => {
      const g = compute();
      let values: Float32Array | Int32Array | Uint8Array;
      try {
        values = tf.stack([g.loss, g.norm, g.extra ?? tf.scalar(0)]).dataSync();
      } finally {
        g.extra?.dispose();
      }
      this.grads[network]?.dispose();
      this.grads[network] = tf.keep(g.grad);
      return [values[0]!, values[1]!, values[2]!];
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
  private criticGradients(real: Tensor2D, fake: Tensor2D, interpolation: Float32Array | undefined): Gradients {
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
      if (loss.gradientPenalty !== undefined) l = tf.add(l, tf.mul(this.gradientPenalty(real, fake, weights, interpolation!), loss.gradientPenalty));
      return l as Scalar;
    });
    return estimate ? { ...g, extra: estimate } : g;
  }

  /**
   * (‖∇f(x̂)‖ − 1)² on the interpolates x̂ = ε·real + (1 − ε)·fake (Gulrajani et al. 2017), or
   * max(0, ‖∇f(x̂)‖ − 1)² when one-sided (Petzka et al. 2018).
   */
  private gradientPenalty(real: Tensor2D, fake: Tensor2D, weights: Tensor[], eps: Float32Array): Scalar {
    const tf = this.tf;
    const n = eps.length;
    const e = tf.tensor2d(eps, [n, 1]);
    const a = tf.slice(real, [0, 0], [n, -1]);
    const b = tf.slice(fake, [0, 0], [n, -1]);
    const xHat = tf.add(tf.mul(e, a), tf.mul(tf.sub(1, e), b));
    const grad = this.critic.inputGradient(xHat as Tensor2D, weights);
    // In 1-D the norm is |∂f/∂x|; in more, √(Σ ∂f/∂xₖ² + ε), whose gradient stays finite at ∇f = 0.
    const norm = grad.shape[1] === 1 ? tf.abs(grad) : tf.sqrt(tf.add(tf.sum(tf.square(grad), 1), 1e-12));
    const excess = tf.sub(norm, 1);
    return tf.mean(tf.square(this.loss.oneSidedPenalty ? tf.relu(excess) : excess)) as Scalar;
  }

  private generatorGradients(z: Tensor2D): Gradients {
    return this.gradients(this.generator, (weights) => this.loss.generatorLoss(this.critic.apply(this.generator.apply(z, weights))) as Scalar);
  }

  apply(network: NetworkName): void {
    const grad = this.grads[network];
    if (!grad) throw new Error(`no ${network} gradient to apply`);
    this.tf.tidy(() => this.optimizers[network].applyGradients({ [this.network(network).params.name]: grad }));
  }

  writeGradient(network: NetworkName, values: Float32Array): void {
    const params = this.network(network).params;
    if (values.length !== params.size) throw new RangeError(`expected ${params.size} gradient values for the ${network}, got ${values.length}`);
    this.grads[network]?.dispose();
    this.grads[network] = this.tf.keep(this.tf.tensor(values, params.shape));
  }

  clipCritic(c: number): void {
    const params = this.critic.params;
    this.tf.tidy(() => params.assign(this.tf.clipByValue(params, -c, c)));
  }

  read(network: NetworkName, what: 'params' | 'grad', into?: Float32Array): Float32Array {
    const t = what === 'params' ? this.network(network).params : this.grads[network];
    if (!t) throw new Error(`no ${network} gradient yet`);
    const values = t.dataSync() as Float32Array;
    if (into?.length !== values.length) return Float32Array.from(values);
    into.set(values);
    return into;
  }

  writeParams(network: NetworkName, values: Float32Array): void {
    const params = this.network(network).params;
    this.tf.tidy(() => params.assign(this.tf.tensor(values, params.shape)));
  }

  async saveOptimizer(network: NetworkName): Promise<SavedTensor[]> {
    const out: SavedTensor[] = [];
    for (const w of await this.optimizers[network].getWeights()) out.push({ name: w.name, shape: [...w.tensor.shape], data: Float32Array.from(await w.tensor.data()) });
    return out;
  }

  async restoreOptimizer(network: NetworkName, saved: readonly SavedTensor[]): Promise<void> {
    // Optimisers rebuild their slots from the list's order (iterations first, then moments).
    await this.optimizers[network].setWeights(saved.map((t) => ({ name: t.name, tensor: this.tf.tensor(t.data, t.shape) })));
  }

  dispose(): void {
    for (const network of [this.generator, this.critic]) network.params.dispose();
    for (const g of Object.values(this.grads)) g.dispose();
    for (const opt of Object.values(this.optimizers)) opt.dispose();
  }
}
