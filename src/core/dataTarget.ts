/**
 * The target P as training and inspection see it, in any dimension: the dimension is read
 * from the spec (a 2-D mean, or a kind that exists only in 2-D), and batches are row-major
 * [n, dataDim]. 1-D keeps its Density1D (CDFs, exact W₁, jumps); 2-D its Target2D (lattice
 * masses, mode coverage). Room for a third dimension is a case here, not a second code path.
 */
import type { Rng } from './rng';
import { normalQuantile } from './special';
import { createTarget, type Density1D, type TargetSpec } from './targets';
import { cumulate, pick } from './targetDensities';
import { createTarget2D, TARGET_2D_KINDS, type Target2D, type Target2DSpec } from './targets2d';

export const DATA_DIMS = [1, 2] as const;
export type DataDim = (typeof DATA_DIMS)[number];

export type AnyTargetSpec = TargetSpec | Target2DSpec;

export type DataTarget =
  | { readonly dataDim: 1; readonly density: Density1D; readonly spec: TargetSpec; readonly description: string }
  | { readonly dataDim: 2; readonly target: Target2D; readonly spec: Target2DSpec; readonly description: string };

const ONLY_2D: readonly string[] = TARGET_2D_KINDS.filter((k) => k !== 'mixture');

/** 2 when the spec is a 2-D one (a kind only 2-D has, or a mixture whose first mean is an array), else 1. */
export function targetDimension(spec: unknown): DataDim {
  return readMixture(spec).dataDim;
}

/**
 * Reads `kind` and a mixture's `components` once: the spec may come from a person's file, and a
 * getter read a second time would run outside the loader's time limit.
 */
function readMixture(spec: unknown): { dataDim: DataDim; spec: unknown } {
  if (typeof spec !== 'object' || spec === null) return { dataDim: 1, spec };
  const kind: unknown = (spec as { kind?: unknown }).kind;
  if (typeof kind === 'string' && ONLY_2D.includes(kind)) return { dataDim: 2, spec };
  if (kind !== 'mixture') return { dataDim: 1, spec };
  const components: unknown = (spec as { components?: unknown }).components;
  const first: unknown = Array.isArray(components) ? components[0] : undefined;
  const is2D = typeof first === 'object' && first !== null && Array.isArray((first as { mean?: unknown }).mean);
  return { dataDim: is2D ? 2 : 1, spec: { kind, components } };
}

/** Validates the spec in its dimension; throws TargetError naming the field. */
export function createDataTarget(given: AnyTargetSpec): DataTarget {
  const { dataDim, spec } = readMixture(given);
  if (dataDim === 2) {
    const target = createTarget2D(spec as Target2DSpec);
    return { dataDim: 2, target, spec: target.spec, description: target.description };
  }
  const density = createTarget(spec as TargetSpec);
  return { dataDim: 1, density, spec: density.spec, description: density.description };
}

/** n draws from a 2-D target, row-major [n, 2]. */
export function sampleTarget2D(target: Target2D, rng: Rng, n: number): Float64Array {
  const out = new Float64Array(2 * n);
  switch (target.kind) {
    case 'mixture': {
      const cs = target.components;
      const cumulative = cumulate(cs.map((c) => c.weight));
      // Cholesky factors L (cov = LLᵀ), so x = μ + L·z.
      const factors = cs.map(({ cov: { a, b, c } }) => {
        const l11 = Math.sqrt(a);
        const l21 = b / l11;
        return [l11, l21, Math.sqrt(Math.max(0, c - l21 * l21))] as const;
      });
      for (let i = 0; i < n; i++) {
        const k = pick(cumulative, rng.next());
        const [l11, l21, l22] = factors[k]!;
        const z1 = rng.normal();
        const z2 = rng.normal();
        out[2 * i] = cs[k]!.mean[0] + l11 * z1;
        out[2 * i + 1] = cs[k]!.mean[1] + l21 * z1 + l22 * z2;
      }
      return out;
    }
    case 'box':
      for (let i = 0; i < n; i++) {
        out[2 * i] = target.lo[0] + (target.hi[0] - target.lo[0]) * rng.next();
        out[2 * i + 1] = target.lo[1] + (target.hi[1] - target.lo[1]) * rng.next();
      }
      return out;
    case 'segment':
      for (let i = 0; i < n; i++) {
        const u = rng.next();
        out[2 * i] = target.from[0] + (target.to[0] - target.from[0]) * u;
        out[2 * i + 1] = target.from[1] + (target.to[1] - target.from[1]) * u;
      }
      return out;
  }
}

/** n draws, row-major [n, dataDim]. */
export function sampleData(t: DataTarget, rng: Rng, n: number): Float64Array {
  return t.dataDim === 1 ? t.density.sample(rng, n) : sampleTarget2D(t.target, rng, n);
}

/** The golden-ratio lattice's second coordinate: (i + ½)/n on one axis, frac((i + ½)·g) on the other, low discrepancy for any n. */
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * n points that weigh a 2-D target exactly by construction, for the critic's estimate by
 * quadrature (steady from frame to frame, unlike a sample): each Gaussian component gets a
 * share of points by largest remainder, on a golden-ratio lattice in the unit square carried
 * through Φ⁻¹ and its Cholesky factor; a box gets the same lattice; a segment evenly spaced points.
 */
export function targetQuadraturePoints2D(target: Target2D, n: number): Float64Array {
  const out = new Float64Array(2 * n);
  const unit = (i: number, count: number): [number, number] => [(i + 0.5) / count, ((i + 0.5) * GOLDEN) % 1];
  switch (target.kind) {
    case 'mixture': {
      const cs = target.components;
      const shares = cs.map((c) => c.weight * n);
      const counts = shares.map(Math.floor);
      const order = shares.map((_, k) => k).sort((a, b) => (shares[b]! - counts[b]!) - (shares[a]! - counts[a]!));
      for (let r = n - counts.reduce((s, c) => s + c, 0), k = 0; r > 0; r--, k++) counts[order[k % cs.length]!]! += 1;
      let row = 0;
      cs.forEach(({ mean, cov: { a, b, c } }, k) => {
        const l11 = Math.sqrt(a);
        const l21 = b / l11;
        const l22 = Math.sqrt(Math.max(0, c - l21 * l21));
        for (let i = 0; i < counts[k]!; i++, row++) {
          const [u, v] = unit(i, counts[k]!);
          const z1 = normalQuantile(u);
          const z2 = normalQuantile(v);
          out[2 * row] = mean[0] + l11 * z1;
          out[2 * row + 1] = mean[1] + l21 * z1 + l22 * z2;
        }
      });
      return out;
    }
    case 'box':
      for (let i = 0; i < n; i++) {
        const [u, v] = unit(i, n);
        out[2 * i] = target.lo[0] + u * (target.hi[0] - target.lo[0]);
        out[2 * i + 1] = target.lo[1] + v * (target.hi[1] - target.lo[1]);
      }
      return out;
    case 'segment':
      for (let i = 0; i < n; i++) {
        const u = (i + 0.5) / n;
        out[2 * i] = target.from[0] + u * (target.to[0] - target.from[0]);
        out[2 * i + 1] = target.from[1] + u * (target.to[1] - target.from[1]);
      }
      return out;
  }
}
