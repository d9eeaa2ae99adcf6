/**
 * The `gan-lens` module as loss definition files see it: `import { defineGan, losses, targets } from 'gan-lens'`.
 * The loader resolves that import to this object, so a workspace needs no npm install.
 */
import type { MixtureComponent, TargetSpec, UniformPart } from '../core/targets';
import type { FDivergenceName } from '../core/divergences';
import { validateDefinition } from './validate';
import type { CustomFDivergence, CustomLoss, GanConfig, GanDefinition, LossSpec } from './types';

/** Validates a definition and fills in defaults; throws an error naming the bad field. */
export function defineGan(config: GanConfig): GanDefinition {
  return validateDefinition(config);
}

export const targets = {
  /** Gaussian mixture; weights are normalised. */
  mixture: (components: readonly MixtureComponent[]): TargetSpec => ({ kind: 'mixture', components: [...components] }),
  gaussian: (mean: number, std: number): TargetSpec => ({ kind: 'mixture', components: [{ weight: 1, mean, std }] }),
  uniform: (lo: number, hi: number): TargetSpec => ({ kind: 'uniform', lo, hi }),
  /** Mixture of uniforms on disjoint intervals (the vanishing-gradient demonstration). */
  uniforms: (parts: readonly UniformPart[]): TargetSpec => ({ kind: 'uniforms', parts: [...parts] }),
};

export const losses = {
  /** Goodfellow's minimax game: the generator descends E_Q[log(1 − D)]. */
  minimax: (): LossSpec => ({ kind: 'gan', variant: 'minimax' }),
  /** The generator descends −E_Q[log D] (the usual choice in practice). */
  nonSaturating: (): LossSpec => ({ kind: 'gan', variant: 'nonSaturating' }),
  /** Huszár's generator loss E_Q[log((1 − D)/D)]: descends KL(Q‖P) at the optimal critic. */
  logRatio: (): LossSpec => ({ kind: 'gan', variant: 'logRatio' }),
  /** f-GAN (Nowozin et al. 2016) for a catalog divergence or a custom f. */
  fgan: (divergence: FDivergenceName | CustomFDivergence, options: { generator?: 'saturating' | 'nonSaturating' } = {}): LossSpec => ({
    kind: 'fgan',
    divergence,
    generator: options.generator ?? 'nonSaturating',
  }),
  /**
   * WGAN with weight clipping ({ clip: 0.01 }) or gradient penalty ({ gradientPenalty: 10 }); with
   * { oneSided: true } the penalty charges only slopes above 1 (Petzka et al. 2018).
   */
  wgan: (options: { clip?: number; gradientPenalty?: number; oneSided?: boolean } = { clip: 0.01 }): LossSpec => ({ kind: 'wgan', ...options }),
  /** LSGAN (Mao et al. 2017) with targets 0/1. */
  leastSquares: (): LossSpec => ({ kind: 'leastSquares' }),
  /** Hinge loss (Lim & Ye 2017; Miyato et al. 2018). */
  hinge: (): LossSpec => ({ kind: 'hinge' }),
  /** A loss written with tf ops; see CustomLoss. */
  custom: (loss: CustomLoss): CustomLoss => loss,
};

export type { CustomFDivergence, CustomLoss, GanConfig, GanDefinition, LossSpec };
