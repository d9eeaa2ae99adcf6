/**
 * Shape facts about a target that follow from its spec alone: its asymptotic tails, the
 * points where its density jumps, and the points where a quadrature must split.
 */
import type { MixedPart, MixtureComponent, TargetSpec, UniformPart } from './targets';
import { dominantTail, gaussianTail, type Tails } from './tails';

const gaussians = (parts: readonly MixedPart[]): MixtureComponent[] => parts.filter((p): p is MixtureComponent => 'mean' in p);
const uniforms = (parts: readonly MixedPart[]): UniformPart[] => parts.filter((p): p is UniformPart => 'lo' in p);

/** Asymptotic tails of a target, from its spec. */
export function targetTails(spec: TargetSpec): Tails {
  switch (spec.kind) {
    case 'mixture':
    case 'mixed': {
      const parts = spec.kind === 'mixture' ? spec.components : gaussians(spec.parts);
      const tails = parts.filter((c) => c.weight > 0).map((c) => gaussianTail(c.mean, c.std));
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

/** The finite points where the density jumps (support edges of uniforms and truncations), sorted. */
export function targetJumps(spec: TargetSpec): number[] {
  const edges = (parts: readonly UniformPart[]): number[] => parts.filter((p) => p.weight > 0).flatMap((p) => [p.lo, p.hi]);
  const points = ((): number[] => {
    switch (spec.kind) {
      case 'mixture': return [];
      case 'uniform': return [spec.lo, spec.hi];
      case 'uniforms': return edges(spec.parts);
      case 'mixed': return edges(uniforms(spec.parts));
      case 'truncated': return [spec.lo, spec.hi, ...targetJumps(spec.base).filter((x) => x > spec.lo && x < spec.hi)];
    }
  })();
  return [...new Set(points)].filter(Number.isFinite).sort((a, b) => a - b);
}

/** mean + k·std for k ∈ {0, ±1, ±2, ±4, ±8}, so that no narrow peak is missed. */
const landmarks = (parts: readonly MixtureComponent[]): number[] => parts.flatMap((c) => [0, 1, -1, 2, -2, 4, -4, 8, -8].map((k) => c.mean + k * c.std));

/** Points where a quadrature should split: the jumps and landmarks of every Gaussian component. */
export function targetBreakpoints(spec: TargetSpec): number[] {
  switch (spec.kind) {
    case 'mixture': return landmarks(spec.components);
    case 'uniform':
    case 'uniforms': return targetJumps(spec);
    case 'mixed': return [...targetJumps(spec), ...landmarks(gaussians(spec.parts))];
    case 'truncated':
      return [...targetJumps(spec), ...targetBreakpoints(spec.base).filter((x) => x > spec.lo && x < spec.hi)];
  }
}
