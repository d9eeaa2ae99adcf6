/**
 * Shape facts about a target that follow from its spec alone: its asymptotic tails and the
 * points where a quadrature must split.
 */
import type { TargetSpec } from './targets';
import { dominantTail, gaussianTail, type Tails } from './tails';

/** Asymptotic tails of a target, from its spec. */
export function targetTails(spec: TargetSpec): Tails {
  switch (spec.kind) {
    case 'mixture': {
      const tails = spec.components.filter((c) => c.weight > 0).map((c) => gaussianTail(c.mean, c.std));
      return { lower: dominantTail(tails, -1), upper: dominantTail(tails, 1) };
    }
    case 'uniform':
    case 'uniforms':
      return { lower: null, upper: null };
    case 'truncated': {
      const base = targetTails(spec.base);
      return { lower: spec.lo === -Infinity ? base.lower : null, upper: spec.hi === Infinity ? base.upper : null };
    }
  }
}

/**
 * Points where a quadrature should split: support edges (where densities jump) and, for
 * Gaussian components, mean + k·std for k ∈ {0, ±1, ±2, ±4, ±8} so no narrow peak is missed.
 */
export function targetBreakpoints(spec: TargetSpec): number[] {
  switch (spec.kind) {
    case 'mixture':
      return spec.components.flatMap((c) => [0, 1, -1, 2, -2, 4, -4, 8, -8].map((k) => c.mean + k * c.std));
    case 'uniform':
      return [spec.lo, spec.hi];
    case 'uniforms':
      return spec.parts.flatMap((p) => [p.lo, p.hi]);
    case 'truncated':
      return [spec.lo, spec.hi, ...targetBreakpoints(spec.base).filter((x) => x > spec.lo && x < spec.hi)].filter(Number.isFinite);
  }
}
