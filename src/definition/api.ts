/**
 * The `gan-lens` module as loss definition files see it: `import { defineGan, losses, targets } from 'gan-lens'`.
 * The loader resolves that import to this object, so a workspace needs no npm install.
 */
import type { MixtureComponent, TargetSpec, UniformPart } from '../core/targets';
import type { Component2DSpec, Target2DSpec, Vec2 } from '../core/targets2d';
import type { FDivergenceName } from '../core/divergences';
import { validateDefinition } from './validate';
import type { CustomFDivergence, CustomLoss, GanConfig, GanDefinition, LossSpec } from './types';

/** Validates a definition and fills in defaults; throws an error naming the bad field. */
export function defineGan(config: GanConfig): GanDefinition {
  return validateDefinition(config);
}

export const targets = {
  /**
   * Gaussian mixture; weights are normalised. 1-D components are { weight, mean, std }; 2-D
   * ones { weight, mean: [x, y], std?: number | [sx, sy], cov?: [[a, b], [b, c]] }.
   */
  mixture: ((components: readonly (MixtureComponent | Component2DSpec)[]) => ({ kind: 'mixture', components: [...components] })) as {
    (components: readonly MixtureComponent[]): TargetSpec;
    (components: readonly Component2DSpec[]): Target2DSpec;
  },
  gaussian: (mean: number, std: number): TargetSpec => ({ kind: 'mixture', components: [{ weight: 1, mean, std }] }),
  uniform: (lo: number, hi: number): TargetSpec => ({ kind: 'uniform', lo, hi }),
  /** Mixture of uniforms on disjoint intervals (the vanishing-gradient demonstration). */
  uniforms: (parts: readonly UniformPart[]): TargetSpec => ({ kind: 'uniforms', parts: [...parts] }),
  /** 2-D: `modes` equal Gaussians on a circle, the first on the positive x axis (GAN Lab's ring is 8 modes). */
  ring: (options: { modes: number; radius: number; std: number; center?: Vec2 }): Target2DSpec => ({ kind: 'ring', ...options }),
  /** 2-D: side × side equal Gaussians `spacing` apart around the origin ("25 Gaussians" is side 5). */
  grid: (options: { side: number; spacing: number; std: number }): Target2DSpec => ({ kind: 'grid', ...options }),
  /** 2-D: uniform on the box [lo[0], hi[0]] × [lo[1], hi[1]]. */
  box: (lo: Vec2, hi: Vec2): Target2DSpec => ({ kind: 'box', lo, hi }),
  /** 2-D: uniform on the segment from → to. Singular: no density in the plane, so JSD to any q with a density is log 2. */
  segment: (options: { from: Vec2; to: Vec2 }): Target2DSpec => ({ kind: 'segment', ...options }),
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
