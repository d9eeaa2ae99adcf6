// Types of the `gan-lens` module that loss definition files import. GAN Lens provides the module
// itself when it runs the file, so a workspace needs no npm install; this file only gives the
// editor completions and type errors. "GAN: New Loss Definition File" writes it next to your files.
declare module 'gan-lens' {
  /** The part of TensorFlow.js's Tensor that losses need. */
  export interface Tensor {
    readonly shape: number[];
    readonly rank: number;
    readonly size: number;
    dataSync(): Float32Array;
  }
  type T = Tensor | number;
  /** The TensorFlow.js namespace passed to loss functions (a subset is typed here; all of tfjs-core is available). */
  export interface Tf {
    add(a: T, b: T): Tensor; sub(a: T, b: T): Tensor; mul(a: T, b: T): Tensor; div(a: T, b: T): Tensor;
    neg(x: Tensor): Tensor; abs(x: Tensor): Tensor; square(x: Tensor): Tensor; sqrt(x: Tensor): Tensor;
    exp(x: Tensor): Tensor; log(x: Tensor): Tensor; log1p(x: Tensor): Tensor; expm1(x: Tensor): Tensor;
    softplus(x: Tensor): Tensor; sigmoid(x: Tensor): Tensor; logSigmoid(x: Tensor): Tensor; tanh(x: Tensor): Tensor;
    relu(x: Tensor): Tensor; minimum(a: T, b: T): Tensor; maximum(a: T, b: T): Tensor;
    clipByValue(x: Tensor, min: number, max: number): Tensor; pow(a: T, b: T): Tensor;
    mean(x: Tensor, axis?: number | number[]): Tensor; sum(x: Tensor, axis?: number | number[]): Tensor;
    max(x: Tensor, axis?: number | number[]): Tensor; min(x: Tensor, axis?: number | number[]): Tensor;
    scalar(value: number): Tensor; onesLike(x: Tensor): Tensor; zerosLike(x: Tensor): Tensor;
    [op: string]: unknown;
  }

  export type Activation = 'leakyRelu' | 'relu' | 'tanh' | 'elu' | 'sigmoid' | 'linear';
  export type FDivergenceName = 'kl' | 'reverse_kl' | 'pearson' | 'neyman' | 'squared_hellinger' | 'jensen_shannon' | 'gan' | 'total_variation';
  export type DivergenceRef = FDivergenceName | 'jsd' | 'wasserstein1' | { readonly name: string; f(u: number): number };

  export interface MixtureComponent { readonly weight: number; readonly mean: number; readonly std: number }
  export interface UniformPart { readonly weight: number; readonly lo: number; readonly hi: number }
  export interface Target { readonly kind: string }

  export interface GeneratorConfig {
    readonly kind: 'mlp' | 'affine';
    /** mlp: latent dimension (default 1; a 1-D latent gives an exact q by push-forward). */
    readonly latentDim?: number;
    readonly hidden?: readonly number[];
    readonly activation?: Activation;
    /** affine (x = μ + σ·z): initial μ and σ. */
    readonly mean?: number;
    readonly std?: number;
  }
  export interface CriticConfig { readonly hidden?: readonly number[]; readonly activation?: Activation }
  export interface OptimizerConfig { readonly kind: 'adam' | 'rmsprop' | 'sgd'; readonly lr: number; readonly beta1?: number; readonly beta2?: number }

  /** A loss written by hand: functions of the critic's raw outputs (logits) on real and fake batches. */
  export interface CustomLoss {
    readonly name?: string;
    readonly divergence: DivergenceRef;
    critic(args: { readonly real: Tensor; readonly fake: Tensor; readonly tf: Tf }): Tensor;
    generator(args: { readonly fake: Tensor; readonly tf: Tf }): Tensor;
    estimate(args: { readonly real: Tensor; readonly fake: Tensor; readonly tf: Tf }): Tensor;
    readonly criticOutput?: 'discriminator' | 'score';
  }
  export interface CustomFDivergence {
    readonly name: string;
    f(u: number): number;
    conjugate(t: Tensor, tf: Tf): Tensor;
    activation(v: Tensor, tf: Tf): Tensor;
  }
  export interface Loss { readonly kind: string }

  export interface GanConfig {
    readonly target: Target;
    readonly generator?: GeneratorConfig;
    readonly critic?: CriticConfig;
    readonly optimizer?: OptimizerConfig;
    readonly generatorOptimizer?: OptimizerConfig;
    readonly criticOptimizer?: OptimizerConfig;
    readonly criticSteps?: number;
    readonly batchSize?: number;
    readonly seed?: number;
    readonly loss: Loss | CustomLoss;
  }
  export interface GanDefinition extends GanConfig { readonly __validated: true }

  export function defineGan(config: GanConfig): GanDefinition;

  export const targets: {
    mixture(components: readonly MixtureComponent[]): Target;
    gaussian(mean: number, std: number): Target;
    uniform(lo: number, hi: number): Target;
    uniforms(parts: readonly UniformPart[]): Target;
  };

  export const losses: {
    minimax(): Loss;
    nonSaturating(): Loss;
    logRatio(): Loss;
    fgan(divergence: FDivergenceName | CustomFDivergence, options?: { generator?: 'saturating' | 'nonSaturating' }): Loss;
    wgan(options?: { clip?: number; gradientPenalty?: number; oneSided?: boolean }): Loss;
    leastSquares(): Loss;
    hinge(): Loss;
    custom(loss: CustomLoss): CustomLoss;
  };
}
