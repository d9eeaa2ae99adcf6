/**
 * Turns a LossSpec into tensor functions of the critic's raw outputs v, and says what the
 * critic estimates and how to plot it. Every log σ(·) is written with softplus
 * (log D = −softplus(−v), log(1 − D) = −softplus(v)) so no loss underflows.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { F_DIVERGENCES, customFDivergence, type FDivergence } from '../core/divergences';
import { fganChance, GAN_CHANCE, HINGE_CHANCE, LEAST_SQUARES_CHANCE, type CriticChance } from '../core/criticChance';
import type { EffectiveObjectiveKind } from '../core/objectives';
import type { CriticOutputKind } from '../protocol';
import type { CustomFDivergence, DivergenceRef, LossSpec } from '../definition/types';
import type { Tf } from './backend';
import { tensorFDivergence, type TensorFDivergence } from './fganActivations';

type Tensor = TfCore.Tensor;
/** A rank-0 tensor by contract; tfjs's op typings do not track rank through arithmetic. */
type Scalar = TfCore.Tensor;

/** What the critic's estimate is compared with: an f-divergence, the standard JSD, or W₁. */
export type AnalyticTarget =
  | { readonly kind: 'f'; readonly divergence: FDivergence }
  | { readonly kind: 'jsd' }
  | { readonly kind: 'wasserstein1' };

export interface TrainingLoss {
  readonly name: string;
  readonly estimating: string;
  readonly analytic: AnalyticTarget;
  readonly effective: EffectiveObjectiveKind;
  readonly criticOutput: CriticOutputKind;
  /** The critic loss of a critic at chance (core/criticChance.ts); absent where there is none. */
  readonly chance?: CriticChance;
  /** Scalar the critic minimises. */
  criticLoss(real: Tensor, fake: Tensor): Scalar;
  /** Scalar the generator minimises. */
  generatorLoss(fake: Tensor): Scalar;
  /** The critic's estimate of the divergence from raw outputs on real and fake points. */
  estimate(real: Tensor, fake: Tensor): Scalar;
  /** What is plotted for the critic on the grid, from raw outputs. */
  plotCritic(v: Float32Array): Float32Array;
  readonly clip?: number;
  readonly gradientPenalty?: number;
  /** The penalty charges only slopes above 1. */
  readonly oneSidedPenalty?: boolean;
}

const LOG4 = Math.log(4);

const map = (v: Float32Array, fn: (x: number) => number): Float32Array => v.map(fn);
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Triangular discrimination Δ = ∫(p − q)²/(p + q): what LSGAN's critic (labels 0/1) bounds. */
const TRIANGULAR = customFDivergence('triangular', (u) => ((u - 1) * (u - 1)) / (u + 1));

function analyticOf(ref: DivergenceRef): AnalyticTarget {
  if (ref === 'jsd') return { kind: 'jsd' };
  if (ref === 'wasserstein1') return { kind: 'wasserstein1' };
  if (typeof ref === 'string') return { kind: 'f', divergence: F_DIVERGENCES[ref] };
  return { kind: 'f', divergence: customFDivergence(ref.name, (u) => ref.f(u)) };
}

function ganLoss(tf: Tf, variant: 'minimax' | 'nonSaturating' | 'logRatio'): TrainingLoss {
  // V(D, G) = E_P[log D] + E_Q[log(1 − D)]
  const value = (real: Tensor, fake: Tensor): Scalar => tf.neg(tf.add(tf.mean(tf.softplus(tf.neg(real))), tf.mean(tf.softplus(fake))));
  const names = { minimax: 'minimax GAN', nonSaturating: 'non-saturating GAN', logRatio: 'log-ratio GAN (Huszár)' };
  return {
    name: names[variant],
    estimating: 'JSD = (V + log 4)/2 (original GAN discriminator)',
    analytic: { kind: 'jsd' },
    effective: variant,
    criticOutput: 'discriminator',
    chance: GAN_CHANCE,
    criticLoss: (real, fake) => tf.neg(value(real, fake)),
    generatorLoss: (fake) => {
      switch (variant) {
        case 'minimax': return tf.neg(tf.mean(tf.softplus(fake)));
        case 'nonSaturating': return tf.mean(tf.softplus(tf.neg(fake)));
        case 'logRatio': return tf.neg(tf.mean(fake));
      }
    },
    estimate: (real, fake) => tf.div(tf.add(value(real, fake), LOG4), 2),
    plotCritic: (v) => map(v, sigmoid),
  };
}

function customTensorF(tf: Tf, d: CustomFDivergence): TensorFDivergence {
  return { activation: (v) => d.activation(v, tf), conjugateOfActivation: (v) => d.conjugate(d.activation(v, tf), tf) };
}

function fganLoss(tf: Tf, spec: Extract<LossSpec, { kind: 'fgan' }>): TrainingLoss {
  const divergence = typeof spec.divergence === 'string' ? F_DIVERGENCES[spec.divergence] : customFDivergence(spec.divergence.name, spec.divergence.f);
  const ops = typeof spec.divergence === 'string' ? tensorFDivergence(tf, spec.divergence) : customTensorF(tf, spec.divergence);
  const bound = (real: Tensor, fake: Tensor): Scalar => tf.sub(tf.mean(ops.activation(real)), tf.mean(ops.conjugateOfActivation(fake)));
  const saturating = spec.generator === 'saturating';
  const activation = typeof spec.divergence === 'string' ? (v: number) => divergence.activation(v) : undefined;
  const chance = fganChance(divergence.f1);
  return {
    name: `f-GAN ${divergence.name} (${saturating ? 'saturating' : 'non-saturating'} generator)`,
    estimating: divergence.label,
    analytic: { kind: 'f', divergence },
    effective: saturating ? 'fganSaturating' : 'fganNonSaturating',
    criticOutput: 'fgan',
    ...(chance ? { chance } : {}),
    criticLoss: (real, fake) => tf.neg(bound(real, fake)),
    generatorLoss: (fake) => (saturating ? tf.neg(tf.mean(ops.conjugateOfActivation(fake))) : tf.neg(tf.mean(ops.activation(fake)))),
    estimate: bound,
    plotCritic: activation
      ? (v) => map(v, activation)
      : (v) => tf.tidy(() => ops.activation(tf.tensor1d(v)).dataSync() as Float32Array),
  };
}

function wganLoss(tf: Tf, spec: Extract<LossSpec, { kind: 'wgan' }>): TrainingLoss {
  const gap = (real: Tensor, fake: Tensor): Scalar => tf.sub(tf.mean(real), tf.mean(fake));
  const gp = spec.gradientPenalty;
  return {
    name: gp !== undefined ? `WGAN-GP (λ = ${gp}${spec.oneSided ? ', one-sided' : ''})` : `WGAN (clip ${spec.clip})`,
    estimating: gp !== undefined ? 'W₁ (critic gap E_P[f] − E_Q[f], Lipschitz by gradient penalty)' : 'K·W₁ (critic gap E_P[f] − E_Q[f]; K set by weight clipping)',
    analytic: { kind: 'wasserstein1' },
    effective: 'wgan',
    criticOutput: 'wasserstein',
    criticLoss: (real, fake) => tf.neg(gap(real, fake)),
    generatorLoss: (fake) => tf.neg(tf.mean(fake)),
    estimate: gap,
    plotCritic: (v) => v,
    ...(spec.clip !== undefined ? { clip: spec.clip } : {}),
    ...(gp !== undefined ? { gradientPenalty: gp } : {}),
    ...(spec.oneSided ? { oneSidedPenalty: true } : {}),
  };
}

function leastSquaresLoss(tf: Tf): TrainingLoss {
  // Labels a = 0 (fake), b = 1 (real), c = 1 (generator's aim). D* = p/(p + q) and the
  // critic's minimum is ½∫pq/(p + q), so 2 − 8·L lower-bounds Δ = 2 − 4∫pq/(p + q).
  const criticLoss = (real: Tensor, fake: Tensor): Scalar => tf.mul(tf.add(tf.mean(tf.square(tf.sub(real, 1))), tf.mean(tf.square(fake))), 0.5);
  return {
    name: 'least squares GAN (labels 0/1)',
    estimating: 'triangular discrimination Δ = ∫(p − q)²/(p + q) = 2 − 8·L_critic',
    analytic: { kind: 'f', divergence: TRIANGULAR },
    effective: 'leastSquares',
    criticOutput: 'discriminator',
    chance: LEAST_SQUARES_CHANCE,
    criticLoss,
    generatorLoss: (fake) => tf.mul(tf.mean(tf.square(tf.sub(fake, 1))), 0.5),
    estimate: (real, fake) => tf.sub(2, tf.mul(criticLoss(real, fake), 8)),
    plotCritic: (v) => v,
  };
}

function hingeLoss(tf: Tf): TrainingLoss {
  // Pointwise the hinge critic's best value is 2·min(p, q), so 1 − L/2 lower-bounds TV.
  const criticLoss = (real: Tensor, fake: Tensor): Scalar => tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake))));
  return {
    name: 'hinge GAN',
    estimating: 'total variation ½∫|p − q| = 1 − L_critic/2',
    analytic: { kind: 'f', divergence: F_DIVERGENCES.total_variation },
    effective: 'hinge',
    criticOutput: 'score',
    chance: HINGE_CHANCE,
    criticLoss,
    generatorLoss: (fake) => tf.neg(tf.mean(fake)),
    estimate: (real, fake) => tf.sub(1, tf.mul(criticLoss(real, fake), 0.5)),
    plotCritic: (v) => v,
  };
}

function customLoss(tf: Tf, spec: Extract<LossSpec, { kind: 'custom' }>): TrainingLoss {
  const analytic = analyticOf(spec.divergence);
  const label = analytic.kind === 'f' ? analytic.divergence.label : analytic.kind === 'jsd' ? 'JSD' : 'W₁';
  const asScalar = (t: Tensor, what: string): Scalar => {
    if (!t || typeof (t as { rank?: unknown }).rank !== 'number') throw new TypeError(`loss.${what} must return a tensor`);
    return (t.rank === 0 ? t : tf.mean(t)) as Scalar;
  };
  return {
    name: spec.name ?? 'custom loss',
    estimating: `${label} (custom estimate)`,
    analytic,
    effective: 'custom',
    criticOutput: spec.criticOutput ?? 'score',
    criticLoss: (real, fake) => asScalar(spec.critic({ real, fake, tf }), 'critic'),
    generatorLoss: (fake) => asScalar(spec.generator({ fake, tf }), 'generator'),
    estimate: (real, fake) => asScalar(spec.estimate({ real, fake, tf }), 'estimate'),
    plotCritic: spec.criticOutput === 'discriminator' ? (v) => map(v, sigmoid) : (v) => v,
  };
}

export function createLoss(tf: Tf, spec: LossSpec): TrainingLoss {
  switch (spec.kind) {
    case 'gan': return ganLoss(tf, spec.variant);
    case 'fgan': return fganLoss(tf, spec);
    case 'wgan': return wganLoss(tf, spec);
    case 'leastSquares': return leastSquaresLoss(tf);
    case 'hinge': return hingeLoss(tf);
    case 'custom': return customLoss(tf, spec);
  }
}
