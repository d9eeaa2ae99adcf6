/**
 * The GAN definition: what a loss definition file default-exports through `defineGan`.
 * Input types (`*Config`) are what people write; `GanDefinition` is the validated,
 * defaulted form the training engine consumes.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { AnyTargetSpec } from '../core/dataTarget';
import type { DataDim } from '../core/dataTarget';
import type { FDivergenceName } from '../core/divergences';

export type Activation = 'leakyRelu' | 'relu' | 'tanh' | 'elu' | 'sigmoid' | 'linear';
export const ACTIVATIONS: readonly Activation[] = ['leakyRelu', 'relu', 'tanh', 'elu', 'sigmoid', 'linear'];

export interface MlpGeneratorConfig {
  readonly kind: 'mlp';
  readonly latentDim?: number;
  readonly hidden?: readonly number[];
  readonly activation?: Activation;
}

export type Pair = readonly [number, number];
export type Matrix2 = readonly [Pair, Pair];

/**
 * A Gaussian model x = μ + A·z, z ~ N(0, I), in the target's dimension. In 1-D, μ and σ
 * (A = σ); in 2-D, μ = [x, y] and A a full 2×2 matrix (covariance AAᵀ), starting at `scale`
 * or at diag(std).
 */
export interface AffineGeneratorConfig {
  readonly kind: 'affine';
  readonly mean?: number | Pair;
  readonly std?: number | Pair;
  /** 2-D only: the starting A, instead of std. */
  readonly scale?: Matrix2;
}

export type GeneratorConfig = MlpGeneratorConfig | AffineGeneratorConfig;

/** The validated affine generator: 1-D keeps μ and σ, 2-D has μ and the full A. */
export type AffineGenerator =
  | { readonly kind: 'affine'; readonly mean: number; readonly std: number }
  | { readonly kind: 'affine'; readonly mean: Pair; readonly scale: Matrix2 };

/** 'mlp': a critic network trained by the loss. 'optimal': the loss's exact optimal critic on the lattice, no network. */
export const CRITIC_KINDS = ['mlp', 'optimal'] as const;
export type CriticKind = (typeof CRITIC_KINDS)[number];

export interface CriticConfig {
  readonly kind?: CriticKind;
  readonly hidden?: readonly number[];
  readonly activation?: Activation;
}

/** The validated critic: a network's shape, or the optimal critic (which has none). */
export type CriticDefinition =
  | { readonly kind: 'mlp'; readonly hidden: readonly number[]; readonly activation: Activation }
  | { readonly kind: 'optimal' };

export type OptimizerKind = 'adam' | 'rmsprop' | 'sgd';
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['adam', 'rmsprop', 'sgd'];

export interface OptimizerConfig {
  readonly kind: OptimizerKind;
  readonly lr: number;
  /** Adam's β₁ (default 0.9) and β₂ (default 0.999). */
  readonly beta1?: number;
  readonly beta2?: number;
}

/** The divergence a loss estimates: a catalog name, the standard JSD, W₁, or a custom f. */
export type DivergenceRef =
  | FDivergenceName
  | 'jsd'
  | 'wasserstein1'
  | { readonly name: string; f(u: number): number };

type Tensor = TfCore.Tensor;
type Tf = typeof TfCore;

/** A loss written by hand: functions of the critic's raw outputs (logits V) on real and fake batches. */
export interface CustomLoss {
  readonly kind?: 'custom';
  readonly name?: string;
  readonly divergence: DivergenceRef;
  critic(args: { readonly real: Tensor; readonly fake: Tensor; readonly tf: Tf }): Tensor;
  generator(args: { readonly fake: Tensor; readonly tf: Tf }): Tensor;
  estimate(args: { readonly real: Tensor; readonly fake: Tensor; readonly tf: Tf }): Tensor;
  /** How to plot the critic on the grid; defaults to 'score' (raw output). */
  readonly criticOutput?: 'discriminator' | 'score';
}

/** A custom f-divergence for `losses.fgan`: f, its convex conjugate and an output activation into dom f*. */
export interface CustomFDivergence {
  readonly name: string;
  f(u: number): number;
  conjugate(t: Tensor, tf: Tf): Tensor;
  activation(v: Tensor, tf: Tf): Tensor;
}

export type GanVariant = 'minimax' | 'nonSaturating' | 'logRatio';

export type LossSpec =
  | { readonly kind: 'gan'; readonly variant: GanVariant }
  | { readonly kind: 'fgan'; readonly divergence: FDivergenceName | CustomFDivergence; readonly generator: 'saturating' | 'nonSaturating' }
  /** `oneSided` penalises only slopes above 1, (max(0, ‖∇f‖ − 1))²: a 1-D critic can then turn (theory.md §6). */
  | { readonly kind: 'wgan'; readonly clip?: number; readonly gradientPenalty?: number; readonly oneSided?: boolean }
  | { readonly kind: 'leastSquares' }
  | { readonly kind: 'hinge' }
  | (CustomLoss & { readonly kind: 'custom' });

export interface GanConfig {
  readonly target: AnyTargetSpec;
  readonly generator?: GeneratorConfig;
  readonly critic?: CriticConfig;
  readonly optimizer?: OptimizerConfig;
  readonly generatorOptimizer?: OptimizerConfig;
  readonly criticOptimizer?: OptimizerConfig;
  readonly criticSteps?: number;
  readonly batchSize?: number;
  readonly seed?: number;
  readonly loss: LossSpec | CustomLoss;
}

export interface GanDefinition {
  readonly target: AnyTargetSpec;
  /** Columns of a data point, from the target: 1 or 2. */
  readonly dataDim: DataDim;
  readonly generator: Required<MlpGeneratorConfig> | AffineGenerator;
  readonly critic: CriticDefinition;
  readonly generatorOptimizer: Required<OptimizerConfig>;
  readonly criticOptimizer: Required<OptimizerConfig>;
  readonly criticSteps: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly loss: LossSpec;
}
