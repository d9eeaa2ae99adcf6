/**
 * P's exact cell masses on a 2-D lattice, in log space (theory.md §7).
 *  - Axis-aligned Gaussian: the product of two normal CDF differences, each formed in the
 *    tail it lies in, so deep-tail cells keep their relative accuracy.
 *  - Correlated Gaussian: ∫ φ_X(x)·P(y₀ < Y < y₁ | x) dx over the cell's x-interval, Y | x
 *    normal, by 8-point Gauss–Legendre per cell; cells are ≤ 1/8 of the narrowest marginal
 *    std wide on the default lattice, where that rule is exact to far below 1e-12 relative.
 *  - Box: overlap area over box area. Segment: overlap length over segment length.
 */
import { GL8_NODES as GL_NODES, GL8_WEIGHTS as GL_WEIGHTS } from './gaussLegendre';
import { cellEdge, latticeMassesFromLog, type Lattice, type LatticeAxis, type LatticeMasses } from './lattice';
import { logAddExp, log1mExp, LOG_SQRT_2PI, normalLogCdf } from './special';
import type { Gaussian2D, Target2D } from './targets2d';

/** log Φ(z) and log Φ(−z) at every edge of an axis, for a normal of this mean and std. */
function edgeLogCdfs(axis: LatticeAxis, mean: number, std: number): { below: Float64Array; above: Float64Array } {
  const below = new Float64Array(axis.count + 1);
  const above = new Float64Array(axis.count + 1);
  for (let k = 0; k <= axis.count; k++) {
    const z = (cellEdge(axis, k) - mean) / std;
    below[k] = normalLogCdf(z);
    above[k] = normalLogCdf(-z);
  }
  return { below, above };
}

/** log P(edge k < X < edge k+1), from whichever tail is the smaller near side. */
function logCellMass(e: { below: Float64Array; above: Float64Array }, k: number): number {
  const lower = e.below[k + 1] + log1mExp(e.below[k] - e.below[k + 1]);
  const upper = e.above[k] + log1mExp(e.above[k + 1] - e.above[k]);
  return e.below[k + 1] < e.above[k] ? lower : upper;
}

/** log P(X outside [lo, hi]) and log P(X inside). */
function logOutsideInside(e: { below: Float64Array; above: Float64Array }): { outside: number; inside: number } {
  const n = e.below.length - 1;
  const outside = logAddExp(e.below[0], e.above[n]);
  return { outside, inside: log1mExp(Math.min(0, outside)) };
}

interface ComponentCells {
  readonly logMass: Float64Array;
  readonly logOutside: number;
}

function axisAlignedCells(l: Lattice, g: Gaussian2D): ComponentCells {
  const [ax, ay] = l.axes;
  const ex = edgeLogCdfs(ax, g.mean[0], Math.sqrt(g.cov.a));
  const ey = edgeLogCdfs(ay, g.mean[1], Math.sqrt(g.cov.c));
  const mx = Float64Array.from({ length: ax.count }, (_, i) => logCellMass(ex, i));
  const logMass = new Float64Array(l.size);
  for (let j = 0; j < ay.count; j++) {
    const my = logCellMass(ey, j);
    for (let i = 0; i < ax.count; i++) logMass[i + ax.count * j] = mx[i] + my;
  }
  const x = logOutsideInside(ex);
  const y = logOutsideInside(ey);
  // P(outside) = P(X out) + P(X in)·P(Y out): no 1 − (1 − ε) cancellation.
  return { logMass, logOutside: logAddExp(x.outside, x.inside + y.outside) };
}

function correlatedCells(l: Lattice, g: Gaussian2D): ComponentCells {
  const [ax, ay] = l.axes;
  const sx = Math.sqrt(g.cov.a);
  const slope = g.cov.b / g.cov.a;
  const sCond = Math.sqrt(g.cov.c - (g.cov.b * g.cov.b) / g.cov.a);
  const logMass = new Float64Array(l.size).fill(-Infinity);
  const ex = edgeLogCdfs(ax, g.mean[0], sx);
  let logOutside = logOutsideInside(ex).outside;
  for (let i = 0; i < ax.count; i++) {
    const x0 = cellEdge(ax, i);
    const half = 0.5 * (cellEdge(ax, i + 1) - x0);
    for (let n = 0; n < GL_NODES.length; n++) {
      const x = x0 + half * (1 + GL_NODES[n]);
      const zx = (x - g.mean[0]) / sx;
      const logWeight = Math.log(half * GL_WEIGHTS[n]) - 0.5 * zx * zx - LOG_SQRT_2PI - Math.log(sx);
      const ey = edgeLogCdfs(ay, g.mean[1] + slope * (x - g.mean[0]), sCond);
      for (let j = 0; j < ay.count; j++) {
        const c = i + ax.count * j;
        logMass[c] = logAddExp(logMass[c], logWeight + logCellMass(ey, j));
      }
      logOutside = logAddExp(logOutside, logWeight + logOutsideInside(ey).outside);
    }
  }
  return { logMass, logOutside };
}

/** A Gaussian mixture's exact cell masses (also q's, for the affine generator). */
export function mixtureCells(l: Lattice, components: readonly Gaussian2D[]): LatticeMasses {
  const logMass = new Float64Array(l.size).fill(-Infinity);
  let logOutside = -Infinity;
  for (const g of components) {
    const cells = g.cov.b === 0 ? axisAlignedCells(l, g) : correlatedCells(l, g);
    const lw = Math.log(g.weight);
    for (let c = 0; c < l.size; c++) logMass[c] = logAddExp(logMass[c], lw + cells.logMass[c]);
    logOutside = logAddExp(logOutside, lw + cells.logOutside);
  }
  return latticeMassesFromLog(logMass, logOutside);
}

/** Length of [a, b] ∩ [lo, hi]. */
const overlap = (a: number, b: number, lo: number, hi: number): number => Math.max(0, Math.min(b, hi) - Math.max(a, lo));

function boxCells(l: Lattice, lo: readonly number[], hi: readonly number[]): LatticeMasses {
  const [ax, ay] = l.axes;
  const area = (hi[0] - lo[0]) * (hi[1] - lo[1]);
  const mass = new Float64Array(l.size);
  let inside = 0;
  for (let j = 0; j < ay.count; j++) {
    const wy = overlap(cellEdge(ay, j), cellEdge(ay, j + 1), lo[1], hi[1]);
    for (let i = 0; i < ax.count; i++) {
      const m = (overlap(cellEdge(ax, i), cellEdge(ax, i + 1), lo[0], hi[0]) * wy) / area;
      mass[i + ax.count * j] = m;
      inside += m;
    }
  }
  return latticeMassesFromLog(mass.map(Math.log), Math.log(Math.max(0, 1 - inside)));
}

/** Mass of the uniform distribution on a segment in each cell: the segment is cut at every edge it crosses. */
export function segmentCells(l: Lattice, from: readonly number[], to: readonly number[]): LatticeMasses {
  const [ax, ay] = l.axes;
  const cuts = [0, 1];
  for (const [axis, k] of [[ax, 0], [ay, 1]] as const) {
    const d = to[k] - from[k];
    if (d === 0) continue;
    for (let e = 0; e <= axis.count; e++) {
      const t = (cellEdge(axis, e) - from[k]) / d;
      if (t > 0 && t < 1) cuts.push(t);
    }
  }
  cuts.sort((a, b) => a - b);
  const mass = new Float64Array(l.size);
  let inside = 0;
  for (let n = 0; n + 1 < cuts.length; n++) {
    const t = 0.5 * (cuts[n] + cuts[n + 1]);
    const i = Math.floor((from[0] + t * (to[0] - from[0]) - ax.lo) / ax.width);
    const j = Math.floor((from[1] + t * (to[1] - from[1]) - ay.lo) / ay.width);
    if (i < 0 || j < 0 || i >= ax.count || j >= ay.count) continue;
    mass[i + ax.count * j] += cuts[n + 1] - cuts[n];
    inside += cuts[n + 1] - cuts[n];
  }
  return latticeMassesFromLog(mass.map(Math.log), Math.log(Math.max(0, 1 - inside)));
}

/** P's cell masses on the lattice (computed once per run). */
export function targetOnLattice2D(target: Target2D, l: Lattice): LatticeMasses {
  if (l.axes.length !== 2) throw new RangeError(`a 2-D target needs a 2-D lattice, got ${l.axes.length} axes`);
  switch (target.kind) {
    case 'mixture': return mixtureCells(l, target.components);
    case 'box': return boxCells(l, target.lo, target.hi);
    case 'segment': return segmentCells(l, target.from, target.to);
  }
}
