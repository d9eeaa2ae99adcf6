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

/** Cells per side of the bucket grid over the components' bounding boxes. */
const BUCKETS = 16;

/**
 * Each component's ellipse of Mahalanobis radius 3 in its bounding box (half-widths r·√Σ_xx,
 * r·√Σ_yy), and a BUCKETS² grid over the boxes listing the components whose box meets each
 * cell: a point is then tested against the few components near it, not all of them (a 25-mode
 * grid, like a ring, has at most a handful of boxes in any cell).
 */
function bucketed(components: readonly Gaussian2D[]) {
  const boxes = components.map((g) => {
    const hx = COVERAGE_RADIUS * Math.sqrt(g.cov.a);
    const hy = COVERAGE_RADIUS * Math.sqrt(g.cov.c);
    return { lx: g.mean[0] - hx, hx: g.mean[0] + hx, ly: g.mean[1] - hy, hy: g.mean[1] + hy };
  });
  const lx = Math.min(...boxes.map((b) => b.lx));
  const ly = Math.min(...boxes.map((b) => b.ly));
  const sx = BUCKETS / (Math.max(...boxes.map((b) => b.hx)) - lx || 1);
  const sy = BUCKETS / (Math.max(...boxes.map((b) => b.hy)) - ly || 1);
  const cell = (v: number, lo: number, scale: number) => Math.min(BUCKETS - 1, Math.max(0, Math.floor((v - lo) * scale)));
  const members: number[][] = Array.from({ length: BUCKETS * BUCKETS }, () => []);
  boxes.forEach((b, k) => {
    for (let j = cell(b.ly, ly, sy); j <= cell(b.hy, ly, sy); j++) {
      for (let i = cell(b.lx, lx, sx); i <= cell(b.hx, lx, sx); i++) members[i + BUCKETS * j]!.push(k);
    }
  });
  return { boxes, lx, ly, sx, sy, members };
}

/** Coverage of the components by Q, given G's outputs as row-major [n, 2] points of equal weight. */
export function modeCoverage(components: readonly Gaussian2D[], points: Float64Array | Float32Array): ModeCoverage {
  const n = points.length / 2;
  if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`points must be row-major [n, 2], got length ${points.length}`);
  const r2 = COVERAGE_RADIUS * COVERAGE_RADIUS;
  const { boxes, lx, ly, sx, sy, members } = bucketed(components);
  const counts = new Float64Array(components.length);
  for (let i = 0; i < n; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    const fx = Math.floor((x - lx) * sx);
    const fy = Math.floor((y - ly) * sy);
    // Outside the grid no box reaches (NaN fails these tests too); its far edges belong to the last cells.
    if (!(fx >= 0 && fx <= BUCKETS && fy >= 0 && fy <= BUCKETS)) continue;
    for (const k of members[Math.min(fx, BUCKETS - 1) + BUCKETS * Math.min(fy, BUCKETS - 1)]!) {
      const b = boxes[k]!;
      const g = components[k]!;
      if (x >= b.lx && x <= b.hx && y >= b.ly && y <= b.hy && quadForm(g.precision, x - g.mean[0], y - g.mean[1]) <= r2) counts[k]++;
    }
  }
  const massNear = counts.map((c) => c / n);
  const covered = components.map((g, k) => massNear[k]! >= g.weight / 2);
  return { massNear, covered, coveredCount: covered.filter(Boolean).length };
}
