/**
 * Mode coverage for mixture targets (theory.md §7): component k is covered when Q holds at
 * least half of its weight within Mahalanobis distance 3 of its mean. Computed from the
 * generator's points themselves (each carrying 1/n of Q), not from the lattice, so cell size
 * plays no part.
 */
import { quadForm, type Gaussian2D } from './targets2d';

export const COVERAGE_RADIUS = 3;

export interface ModeCoverage {
  /** Q's mass within Mahalanobis distance 3 of each component's mean. */
  readonly massNear: Float64Array;
  /** Whether each component is covered (massNear ≥ weight / 2). */
  readonly covered: readonly boolean[];
  readonly coveredCount: number;
}

/** Coverage of the components by Q, given G's outputs as row-major [n, 2] points of equal weight. */
export function modeCoverage(components: readonly Gaussian2D[], points: Float64Array | Float32Array): ModeCoverage {
  const n = points.length / 2;
  if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`points must be row-major [n, 2], got length ${points.length}`);
  const r2 = COVERAGE_RADIUS * COVERAGE_RADIUS;
  const massNear = new Float64Array(components.length);
  // Counted per component over all points (not a closure per point): a live snapshot runs this on 65,536 points.
  components.forEach((g, k) => {
    const [mx, my] = g.mean;
    // The ellipse's bounding box (half-widths r·√Σ_xx, r·√Σ_yy) rejects most points at one comparison.
    const hx = COVERAGE_RADIUS * Math.sqrt(g.cov.a);
    const hy = COVERAGE_RADIUS * Math.sqrt(g.cov.c);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const dx = points[2 * i]! - mx;
      const dy = points[2 * i + 1]! - my;
      if (Math.abs(dx) <= hx && Math.abs(dy) <= hy && quadForm(g.precision, dx, dy) <= r2) count++;
    }
    massNear[k] = count / n;
  });
  const covered = components.map((g, k) => massNear[k] >= g.weight / 2);
  return { massNear, covered, coveredCount: covered.filter(Boolean).length };
}
