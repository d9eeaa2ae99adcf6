/**
 * Mode coverage for mixture targets (theory.md §7): component k is covered when Q holds at
 * least half of its weight within Mahalanobis distance 3 of its mean. Computed from the
 * generator's points themselves (each carrying 1/n of Q), not from the lattice, so cell size
 * plays no part.
 */
import type { Gaussian2D } from './targets2d';

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
 * grid, like a ring, has at most a handful of boxes in any cell). Flat arrays, since the test
 * runs for every one of 65,536 points each frame.
 */
function bucketed(components: readonly Gaussian2D[]) {
  const K = components.length;
  // Per component: box lx, hx, ly, hy, then mean x, y and precision a, b, c.
  const box = new Float64Array(9 * K);
  components.forEach((g, k) => {
    const hx = COVERAGE_RADIUS * Math.sqrt(g.cov.a);
    const hy = COVERAGE_RADIUS * Math.sqrt(g.cov.c);
    box.set([g.mean[0] - hx, g.mean[0] + hx, g.mean[1] - hy, g.mean[1] + hy, g.mean[0], g.mean[1], g.precision.a, g.precision.b, g.precision.c], 9 * k);
  });
  let [lx, hx, ly, hy] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let k = 0; k < K; k++) {
    lx = Math.min(lx, box[9 * k]!);
    hx = Math.max(hx, box[9 * k + 1]!);
    ly = Math.min(ly, box[9 * k + 2]!);
    hy = Math.max(hy, box[9 * k + 3]!);
  }
  const sx = BUCKETS / (hx - lx || 1);
  const sy = BUCKETS / (hy - ly || 1);
  const cell = (v: number, lo: number, scale: number) => Math.min(BUCKETS - 1, Math.max(0, Math.floor((v - lo) * scale)));
  const lists: number[][] = Array.from({ length: BUCKETS * BUCKETS }, () => []);
  for (let k = 0; k < K; k++) {
    for (let j = cell(box[9 * k + 2]!, ly, sy); j <= cell(box[9 * k + 3]!, ly, sy); j++) {
      for (let i = cell(box[9 * k]!, lx, sx); i <= cell(box[9 * k + 1]!, lx, sx); i++) lists[i + BUCKETS * j]!.push(k);
    }
  }
  // The lists end to end: bucket b's components are members[first[b] … first[b + 1] − 1].
  const first = new Int32Array(lists.length + 1);
  lists.forEach((l, b) => (first[b + 1] = first[b]! + l.length));
  return { box, lx, ly, sx, sy, first, members: Int32Array.from(lists.flat()) };
}

/** Coverage of the components by Q, given G's outputs as row-major [n, 2] points of equal weight. */
export function modeCoverage(components: readonly Gaussian2D[], points: Float64Array | Float32Array): ModeCoverage {
  const n = points.length / 2;
  if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`points must be row-major [n, 2], got length ${points.length}`);
  const r2 = COVERAGE_RADIUS * COVERAGE_RADIUS;
  const { box, lx, ly, sx, sy, first, members } = bucketed(components);
  const counts = new Float64Array(components.length);
  for (let i = 0; i < n; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    const fx = Math.floor((x - lx) * sx);
    const fy = Math.floor((y - ly) * sy);
    // Outside the grid no box reaches (NaN fails these tests too); its far edges belong to the last cells.
    if (!(fx >= 0 && fx <= BUCKETS && fy >= 0 && fy <= BUCKETS)) continue;
    const b = Math.min(fx, BUCKETS - 1) + BUCKETS * Math.min(fy, BUCKETS - 1);
    for (let s = first[b]!; s < first[b + 1]!; s++) {
      const o = 9 * members[s]!;
      const dx = x - box[o + 4]!;
      const dy = y - box[o + 5]!;
      // quadForm (targets2d.ts) written out; the ellipse lies inside its box, so no box test first (a branch the CPU mispredicts).
      counts[members[s]!] += +(box[o + 6]! * dx * dx + 2 * box[o + 7]! * dx * dy + box[o + 8]! * dy * dy <= r2);
    }
  }
  const massNear = counts.map((c) => c / n);
  const covered = components.map((g, k) => massNear[k]! >= g.weight / 2);
  return { massNear, covered, coveredCount: covered.filter(Boolean).length };
}
