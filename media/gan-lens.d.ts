// Types of the `gan-lens` module that loss definition files import. GAN Lens provides the module
// itself when it runs a file, so a folder needs no npm install; these declarations only give the
// editor completions, hover docs and type errors. In VS Code the extension's TypeScript plugin
// resolves `gan-lens` to this file in any folder; to run `tsc` yourself, map the module here
// with "paths" (see the README). test/unit/definition/declarations.types.ts keeps it in step
// with src/definition/types.ts.
//
// Units: x is the one-dimensional sample space; means, standard deviations and interval ends
// are in the units of x. Divergences and losses are in nats (natural logarithms).

/** The part of a TensorFlow.js Tensor that losses need (the value passed is a real tfjs Tensor). */
export interface Tensor {
  /** Dimensions, e.g. [batchSize, 1] for the critic's outputs on a batch. */
  readonly shape: number[];
  /** Number of dimensions: 0 for a scalar. */
  readonly rank: number;
  /** Number of elements. */
  readonly size: number;
  /** The values, read synchronously (slow inside a loss: for debugging only). */
  dataSync(): Float32Array | Int32Array | Uint8Array;
}

type T = Tensor | number;

/**
 * The TensorFlow.js (tfjs-core) namespace passed to loss functions. A subset is typed here;
 * every op of tfjs-core is there. Ops broadcast, and are differentiated automatically.
 */
export interface Tf {
  add(a: T, b: T): Tensor; sub(a: T, b: T): Tensor; mul(a: T, b: T): Tensor; div(a: T, b: T): Tensor;
  neg(x: Tensor): Tensor; abs(x: Tensor): Tensor; square(x: Tensor): Tensor; sqrt(x: Tensor): Tensor;
  exp(x: Tensor): Tensor; log(x: Tensor): Tensor; log1p(x: Tensor): Tensor; expm1(x: Tensor): Tensor;
  /** log(1 + eˣ), computed without overflow: log D = −softplus(−v), log(1 − D) = −softplus(v). */
  softplus(x: Tensor): Tensor;
  sigmoid(x: Tensor): Tensor; logSigmoid(x: Tensor): Tensor; tanh(x: Tensor): Tensor;
  relu(x: Tensor): Tensor; minimum(a: T, b: T): Tensor; maximum(a: T, b: T): Tensor;
  clipByValue(x: Tensor, min: number, max: number): Tensor; pow(a: T, b: T): Tensor;
  /** Mean over `axis`, or over every element to a scalar. */
  mean(x: Tensor, axis?: number | number[]): Tensor;
  sum(x: Tensor, axis?: number | number[]): Tensor;
  max(x: Tensor, axis?: number | number[]): Tensor; min(x: Tensor, axis?: number | number[]): Tensor;
  scalar(value: number): Tensor; onesLike(x: Tensor): Tensor; zerosLike(x: Tensor): Tensor;
  [op: string]: unknown;
}

/** Hidden-layer activation. 'leakyRelu' has slope 0.2 below zero. */
export type Activation = 'leakyRelu' | 'relu' | 'tanh' | 'elu' | 'sigmoid' | 'linear';

/**
 * An f-divergence of the catalog (theory.md §1), in nats: 'kl' KL(P‖Q), 'reverse_kl' KL(Q‖P),
 * 'pearson' χ²(P‖Q) = ∫(p − q)²/q, 'neyman' ∫(q − p)²/p, 'squared_hellinger' ∫(√p − √q)²
 * (no ½), 'jensen_shannon' 2·JSD (f-GAN's form), 'gan' 2·JSD − log 4, 'total_variation' ½∫|p − q|.
 */
export type FDivergenceName = 'kl' | 'reverse_kl' | 'pearson' | 'neyman' | 'squared_hellinger' | 'jensen_shannon' | 'gan' | 'total_variation';

/**
 * The divergence a loss estimates, which the panel plots exactly next to the critic's estimate:
 * a catalog f-divergence, 'jsd' (the standard Jensen–Shannon divergence, at most log 2),
 * 'wasserstein1' (W₁, in units of x), or a custom f with f convex and f(1) = 0.
 */
export type DivergenceRef =
  | FDivergenceName
  | 'jsd'
  | 'wasserstein1'
  | {
    /** Shown in the panel. */
    readonly name: string;
    /** The generator function: D_f(P‖Q) = ∫ q f(p/q). */
    f(u: number): number;
  };

/** One Gaussian N(mean, std²) of a mixture. */
export interface MixtureComponent {
  /** Relative weight, > 0; the weights of a mixture are normalised to sum to 1. */
  readonly weight: number;
  /** Mean, in units of x. */
  readonly mean: number;
  /** Standard deviation, > 0, in units of x. */
  readonly std: number;
}

/** One uniform U[lo, hi] of a mixture of uniforms. */
export interface UniformPart {
  /** Relative weight, > 0; normalised to sum to 1. */
  readonly weight: number;
  /** Left end, in units of x. */
  readonly lo: number;
  /** Right end, > lo, in units of x; parts must not overlap. */
  readonly hi: number;
}

/** A part of a mixed target: a Gaussian or a uniform. */
export type MixedPart = MixtureComponent | UniformPart;

/** The data distribution P, whose density is known exactly. Made by `targets.*`. */
export type Target =
  | {
    readonly kind: 'mixture';
    /** The Gaussians; weights are normalised. */
    readonly components: readonly MixtureComponent[];
  }
  | {
    readonly kind: 'uniform';
    /** Left end, in units of x. */
    readonly lo: number;
    /** Right end, > lo, in units of x. */
    readonly hi: number;
  }
  | {
    /** Mixture of uniforms on disjoint intervals. */
    readonly kind: 'uniforms';
    readonly parts: readonly UniformPart[];
  }
  | {
    /** Gaussian and uniform parts in one mixture; parts may overlap. */
    readonly kind: 'mixed';
    readonly parts: readonly MixedPart[];
  }
  | {
    /** `base` conditioned on [lo, hi]. */
    readonly kind: 'truncated';
    readonly base: Target;
    /** Left end in units of x; may be −Infinity. */
    readonly lo: number;
    /** Right end in units of x; may be Infinity. */
    readonly hi: number;
  };

/** A point or a pair in the plane: [x, y]. */
export type Pair = readonly [number, number];

/** A 2×2 matrix [[a, b], [c, d]], row by row. */
export type Matrix2 = readonly [Pair, Pair];

/** One Gaussian of a 2-D mixture. */
export interface Component2D {
  /** Relative weight, ≥ 0. Default 1; the weights are normalised to sum to 1. */
  readonly weight?: number;
  /** Mean [x, y]. */
  readonly mean: Pair;
  /** Standard deviation, one for both axes or [sx, sy] (> 0). Default 1. */
  readonly std?: number | Pair;
  /** Covariance [[a, b], [b, c]], symmetric positive definite; instead of std. */
  readonly cov?: Matrix2;
}

/** A data distribution P in the plane, whose density (or, for a segment, whose law) is known exactly. Made by `targets.*`. */
export type Target2D =
  | {
    readonly kind: 'mixture';
    /** The Gaussians (at most 400); weights are normalised. */
    readonly components: readonly Component2D[];
  }
  | {
    /** `modes` equal Gaussians on a circle, the first on the positive x axis. */
    readonly kind: 'ring';
    readonly modes: number;
    readonly radius: number;
    readonly std: number;
    /** Centre of the circle. Default [0, 0]. */
    readonly center?: Pair;
  }
  | {
    /** side × side equal Gaussians `spacing` apart, centred on the origin ("25 Gaussians" is side 5). */
    readonly kind: 'grid';
    readonly side: number;
    readonly spacing: number;
    readonly std: number;
  }
  | {
    /** Uniform on the box [lo[0], hi[0]] × [lo[1], hi[1]]. */
    readonly kind: 'box';
    readonly lo: Pair;
    readonly hi: Pair;
  }
  | {
    /** Uniform on the segment from → to: singular, it has no density in the plane. */
    readonly kind: 'segment';
    readonly from: Pair;
    readonly to: Pair;
  };

/** A multilayer perceptron from a standard normal latent z to x. */
export interface MlpGeneratorConfig {
  readonly kind: 'mlp';
  /**
   * Dimension of the latent z ~ N(0, I), 1 to 64. Default: the target's dimension. When it equals
   * the data's, q is exact, by push-forward of latent quantiles; a higher one estimates q from
   * `ganLens.latentSamples` samples; a lower one (1 for a 2-D target) puts q on a curve: a
   * singular q, for which JSD = log 2 and KL = ∞ whatever the generator does.
   */
  readonly latentDim?: number;
  /** Widths of the hidden layers, at most 8 layers of 1 to 1024 units. Default [32, 32]. */
  readonly hidden?: readonly number[];
  /** Activation of the hidden layers. Default 'leakyRelu'. */
  readonly activation?: Activation;
}

/**
 * A Gaussian model x = μ + A·z, z ~ N(0, I), in the target's dimension: in 1-D μ and σ; in 2-D
 * μ = [x, y] and a full 2×2 A (covariance AAᵀ).
 */
export interface AffineGeneratorConfig {
  readonly kind: 'affine';
  /** Initial μ: a number in 1-D, [x, y] in 2-D. Default 0. */
  readonly mean?: number | Pair;
  /** Initial σ (> 0): a number in 1-D; in 2-D one for both axes or [σx, σy], A starting diagonal. Default 1. */
  readonly std?: number | Pair;
  /** 2-D only: the initial A, instead of std. */
  readonly scale?: Matrix2;
}

/** The generator G: an MLP (`kind: 'mlp'`) or a Gaussian model (`kind: 'affine'`). */
export type GeneratorConfig = MlpGeneratorConfig | AffineGeneratorConfig;

/** The validated affine generator: 1-D keeps μ and σ, 2-D has μ and the full A. */
export type AffineGenerator =
  | { readonly kind: 'affine'; readonly mean: number; readonly std: number }
  | { readonly kind: 'affine'; readonly mean: Pair; readonly scale: Matrix2 };

/**
 * The critic (discriminator): an MLP from x to one raw output v (a logit or a score), or the
 * loss's exact optimal critic.
 */
export interface CriticConfig {
  /**
   * 'mlp' (default): a network trained by the loss. 'optimal': no network; the generator trains
   * against the exact optimal critic of its loss on the lattice (D* = p/(p+q) for the GAN losses,
   * T* = f′(p/q) for f-GANs, the Kantorovich potential for WGAN), recomputed from q at
   * every step: what the loss does when the critic is perfect. Takes no other field; built-in
   * losses only.
   */
  readonly kind?: 'mlp' | 'optimal';
  /** Widths of the hidden layers, at most 8 layers of 1 to 1024 units. Default [32, 32]. */
  readonly hidden?: readonly number[];
  /** Activation of the hidden layers. Default 'leakyRelu'. */
  readonly activation?: Activation;
}

/** The validated critic: a network's shape, or the optimal critic (which has none). */
export type CriticDefinition =
  | { readonly kind: 'mlp'; readonly hidden: readonly number[]; readonly activation: Activation }
  | { readonly kind: 'optimal' };

export type OptimizerKind = 'adam' | 'rmsprop' | 'sgd';

/** A gradient-descent optimiser, as in TensorFlow.js. */
export interface OptimizerConfig {
  /** 'adam', 'rmsprop' (tfjs defaults: decay 0.9, no momentum) or plain 'sgd'. */
  readonly kind: OptimizerKind;
  /** Learning rate (step size), in (0, 10]. No default once an optimizer is written. */
  readonly lr: number;
  /** Adam's β₁, in [0, 1). Default 0.9 (the built-in default optimizer uses 0.5). Ignored by rmsprop and sgd. */
  readonly beta1?: number;
  /** Adam's β₂, in [0, 1). Default 0.999. Ignored by rmsprop and sgd. */
  readonly beta2?: number;
}

/** What the loss functions receive: the tensors and the TensorFlow.js namespace. */
export interface LossArgs {
  /** The critic's raw outputs v on a batch of data, shape [batchSize, 1]. */
  readonly real: Tensor;
  /** The critic's raw outputs v on a batch of generator samples, shape [batchSize, 1]. */
  readonly fake: Tensor;
  readonly tf: Tf;
}

/** What the generator's loss receives: no data, only the critic's outputs on its samples. */
export interface GeneratorLossArgs {
  /** The critic's raw outputs v on a batch of generator samples, shape [batchSize, 1]. */
  readonly fake: Tensor;
  readonly tf: Tf;
}

/**
 * A loss written by hand: functions of the critic's raw outputs v (logits, for a discriminator)
 * on real and fake batches. Each returns a scalar tensor (a larger one is averaged), in nats.
 */
export interface CustomLoss {
  readonly kind?: 'custom';
  /** Name shown in the panel, at most 200 characters. Default 'custom loss'. */
  readonly name?: string;
  /** The divergence `estimate` estimates: the panel draws its exact value next to the estimate. */
  readonly divergence: DivergenceRef;
  /** The scalar the critic minimises (the negative of what it maximises). */
  critic(args: LossArgs): Tensor;
  /** The scalar the generator minimises. */
  generator(args: GeneratorLossArgs): Tensor;
  /** The critic's estimate of `divergence`, in nats (W₁: units of x). */
  estimate(args: LossArgs): Tensor;
  /**
   * How the critic is plotted on the grid: 'discriminator' as D = σ(v), next to the optimal
   * D* = p/(p + q); 'score' as the raw v. Default 'score'.
   */
  readonly criticOutput?: 'discriminator' | 'score';
}

/** A custom f-divergence for `losses.fgan`: f, its convex conjugate and an output activation. */
export interface CustomFDivergence {
  /** Shown in the panel. */
  readonly name: string;
  /** The generator function, convex with f(1) = 0: D_f(P‖Q) = ∫ q f(p/q), in nats. */
  f(u: number): number;
  /** The convex conjugate f*(t) = sup_u (t·u − f(u)), elementwise, for t in dom f*. */
  conjugate(t: Tensor, tf: Tf): Tensor;
  /** Maps the critic's raw output v into dom f* (e.g. v itself where dom f* is all of ℝ). */
  activation(v: Tensor, tf: Tf): Tensor;
}

/** Which of the three standard GAN generator losses (theory.md §2). */
export type GanVariant = 'minimax' | 'nonSaturating' | 'logRatio';

/** A built-in loss, as `losses.*()` returns it, or a custom loss tagged `kind: 'custom'`. */
export type Loss =
  | { readonly kind: 'gan'; readonly variant: GanVariant }
  | {
    readonly kind: 'fgan';
    readonly divergence: FDivergenceName | CustomFDivergence;
    /** 'nonSaturating' ascends E_Q[T] with T = activation(v); 'saturating' descends the bound (ascends E_Q[f*(T)]). */
    readonly generator: 'saturating' | 'nonSaturating';
  }
  | {
    readonly kind: 'wgan';
    /** Weight clipping: every critic weight stays in [−clip, clip]. */
    readonly clip?: number;
    /** Gradient penalty λ on (‖∇f‖ − 1)² at points between real and fake samples. */
    readonly gradientPenalty?: number;
    /** With a gradient penalty: charge only slopes above 1, λ·max(0, ‖∇f‖ − 1)², so a 1-D critic can turn (Petzka et al. 2018). Default false. */
    readonly oneSided?: boolean;
  }
  | { readonly kind: 'leastSquares' }
  | { readonly kind: 'hinge' }
  | (CustomLoss & { readonly kind: 'custom' });

/** What `defineGan` takes. Only `target` and `loss` are required. */
export interface GanConfig {
  /** The data distribution P, e.g. targets.mixture([...]) or targets.ring({...}) in 2-D. Its density is known exactly. */
  readonly target: Target | Target2D;
  /** The generator. Default { kind: 'mlp', latentDim: the target's dimension, hidden: [32, 32], activation: 'leakyRelu' }. */
  readonly generator?: GeneratorConfig;
  /** The critic. Default { hidden: [32, 32], activation: 'leakyRelu' }. */
  readonly critic?: CriticConfig;
  /**
   * Optimizer of both networks, unless `generatorOptimizer` or `criticOptimizer` is given.
   * Default by loss: Adam lr 1e-3, β₁ 0.5, β₂ 0.999; WGAN with clipping: RMSprop lr 5e-5;
   * WGAN-GP: Adam lr 1e-4, β₁ 0.5, β₂ 0.9.
   */
  readonly optimizer?: OptimizerConfig;
  /** The generator's optimizer. Default `optimizer`. */
  readonly generatorOptimizer?: OptimizerConfig;
  /** The critic's optimizer. Default `optimizer`. */
  readonly criticOptimizer?: OptimizerConfig;
  /** Critic updates per generator update, 1 to 100. Default 1 (WGAN and WGAN-GP: 5). */
  readonly criticSteps?: number;
  /** Samples per batch, of data and of the generator each, 1 to 65536. Default 256. */
  readonly batchSize?: number;
  /** Seed of the initial weights and every batch, an integer in [0, 2³¹ − 1]: the same seed trains the same run. Default 1. */
  readonly seed?: number;
  /** The loss: losses.nonSaturating(), losses.wgan({ gradientPenalty: 10 }), … or a custom loss object. */
  readonly loss: Loss | CustomLoss;
}

/** The validated definition `defineGan` returns, every default filled in. */
export interface GanDefinition {
  readonly target: Target | Target2D;
  /** Columns of a data point, from the target: 1 or 2. */
  readonly dataDim: 1 | 2;
  readonly generator: Required<MlpGeneratorConfig> | AffineGenerator;
  readonly critic: CriticDefinition;
  readonly generatorOptimizer: Required<OptimizerConfig>;
  readonly criticOptimizer: Required<OptimizerConfig>;
  readonly criticSteps: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly loss: Loss;
}

/**
 * Validates a definition and fills in its defaults; `export default` the result. A bad field
 * is an error naming it (e.g. `critic.hidden[1] must be a positive integer, got -3`), shown
 * in the editor at its place.
 */
export function defineGan(config: GanConfig): GanDefinition;

/** Target distributions P. */
export const targets: {
  /** Gaussian mixture Σ wᵢ·N(meanᵢ, stdᵢ²); weights are normalised. */
  mixture(components: readonly MixtureComponent[]): Target;
  /** 2-D Gaussian mixture: components { weight, mean: [x, y], std?: number | [sx, sy], cov?: [[a, b], [b, c]] }. */
  mixture(components: readonly Component2D[]): Target2D;
  /** One Gaussian N(mean, std²); mean and std (> 0) in units of x. */
  gaussian(mean: number, std: number): Target;
  /** Uniform on [lo, hi], in units of x. */
  uniform(lo: number, hi: number): Target;
  /** Mixture of uniforms on disjoint intervals (the vanishing-gradient demonstration). */
  uniforms(parts: readonly UniformPart[]): Target;
  /** 2-D: `modes` equal Gaussians on a circle, the first on the positive x axis (GAN Lab's ring is 8 modes). */
  ring(options: { modes: number; radius: number; std: number; center?: Pair }): Target2D;
  /** 2-D: side × side equal Gaussians `spacing` apart around the origin ("25 Gaussians" is side 5). */
  grid(options: { side: number; spacing: number; std: number }): Target2D;
  /** 2-D: uniform on the box [lo[0], hi[0]] × [lo[1], hi[1]]. */
  box(lo: Pair, hi: Pair): Target2D;
  /** 2-D: uniform on the segment from → to. Singular: no density in the plane, so JSD to any q with a density is log 2. */
  segment(options: { from: Pair; to: Pair }): Target2D;
};

/** Built-in losses. The critic's estimate and the exact divergence it targets are plotted together. */
export const losses: {
  /** Goodfellow's minimax game: the generator descends E_Q[log(1 − D)]. Estimates JSD = (V + log 4)/2. */
  minimax(): Loss;
  /** The generator descends −E_Q[log D], the usual choice in practice. Estimates JSD = (V + log 4)/2. */
  nonSaturating(): Loss;
  /** Huszár's generator loss E_Q[log((1 − D)/D)]: descends KL(Q‖P) at the optimal critic. Estimates JSD. */
  logRatio(): Loss;
  /**
   * f-GAN (Nowozin et al. 2016) for a catalog divergence or a custom f; estimates that
   * divergence by its variational lower bound E_P[T] − E_Q[f*(T)].
   * `options.generator` defaults to 'nonSaturating'.
   */
  fgan(divergence: FDivergenceName | CustomFDivergence, options?: {
    /** 'nonSaturating' (default) or 'saturating' (descends the bound itself). */
    generator?: 'saturating' | 'nonSaturating';
  }): Loss;
  /**
   * Wasserstein GAN: give exactly one of `clip` (weight clipping, e.g. 0.01) or
   * `gradientPenalty` (WGAN-GP, e.g. λ = 10). Default { clip: 0.01 }. Estimates W₁ by the
   * critic gap E_P[f] − E_Q[f] (with clipping, K·W₁ for an unknown K).
   */
  wgan(options?: {
    /** Weight clipping bound, > 0. */
    clip?: number;
    /** Gradient penalty weight λ, > 0. */
    gradientPenalty?: number;
    /** Penalise only slopes above 1 (Petzka et al. 2018); default false, the two-sided penalty of Gulrajani et al. */
    oneSided?: boolean;
  }): Loss;
  /** LSGAN (Mao et al. 2017) with labels 0/1; estimates the triangular discrimination ∫(p − q)²/(p + q). */
  leastSquares(): Loss;
  /** Hinge loss (Lim & Ye 2017; Miyato et al. 2018); estimates total variation ½∫|p − q|. */
  hinge(): Loss;
  /** A loss written with tf ops; returns it unchanged, typed. See CustomLoss. */
  custom(loss: CustomLoss): CustomLoss;
};

export {};
