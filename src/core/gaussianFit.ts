/**
 * The direct-minimisation optimum of an f-GAN fit in 1-D: the Gaussian N(μ, σ²) minimising
 * D_f(P ‖ N(μ, σ²)), found by descending the exact divergence (adaptive quadrature, exact.ts)
 * from the generator's start — the (μ, σ) a trained Gaussian model should land on (Nowozin et
 * al. 2016 §4; theory.md §2).
 */
import { divergencesBetween } from './exact';
import type { DivergenceName } from './divergences';
import { nelderMead } from './nelderMead';
import { createTarget, type TargetSpec } from './targets';

export interface GaussianFit {
  readonly mean: number;
  readonly std: number;
  /** The divergence at the optimum. */
  readonly value: number;
}

const gaussian = (mean: number, std: number): TargetSpec => ({ kind: 'mixture', components: [{ weight: 1, mean, std }] });

export function gaussianOptimum(target: TargetSpec, name: DivergenceName, start: readonly [number, number]): GaussianFit {
  const p = createTarget(target);
  const at = (mean: number, std: number): number => divergencesBetween(p, createTarget(gaussian(mean, std)))[name];
  // On (μ, log σ): σ stays positive, and the divergence is smoother in log σ.
  const [mean, logStd] = nelderMead((v) => at(v[0]!, Math.exp(v[1]!)), [start[0], Math.log(start[1])], { iterations: 300 });
  return { mean: mean!, std: Math.exp(logStd!), value: at(mean!, Math.exp(logStd!)) };
}
