/**
 * TV and W₁ on the grid's nodes. Both integrate an absolute value, |p − q| and |F_P − F_Q|,
 * whose kinks no quadrature rule resolves. On a piece of a cell where the inner function keeps
 * its sign, the integral of its absolute value is the absolute value of its integral, which
 * the nodes give to rounding. The few pieces where it may change sign are scanned, split at
 * its roots (bisection on the densities' own functions inside the cell) and integrated
 * between them, so no rule ever straddles a kink. F is never sampled: F_P − F_Q at the start
 * of a piece is the running sum of the node masses, starting from the masses below the grid.
 */
import { gaussLegendre, NODES_PER_PIECE } from './cellNodes';
import type { Grid, GridDensity } from './grid';
import { scanRoots } from './quadrature';

/** Sub-intervals per piece on which a sign change is looked for. */
const SCAN_STEPS = 8;

/** ∫_a^b |h| for h continuous on [a, b], given ∫h over any sub-interval: split at h's sign changes. */
function absIntegral(h: (x: number) => number, integral: (u: number, v: number) => number, a: number, b: number): number {
  const points = [a, ...scanRoots(h, a, b, SCAN_STEPS), b];
  let sum = 0;
  for (let k = 0; k + 1 < points.length; k++) sum += Math.abs(integral(points[k], points[k + 1]));
  return sum;
}

/** p − q at x inside cell `cell` (per unit x). */
function gapIn(p: GridDensity, q: GridDensity, cell: number): (x: number) => number {
  return (x) => Math.exp(p.logDensityIn(cell, x)) - Math.exp(q.logDensityIn(cell, x));
}

/** p − q at the nodes of a piece, written to out; returns the index of the piece's first node. */
function nodeGaps(p: GridDensity, q: GridDensity, piece: number, out: Float64Array): number {
  const first = piece * NODES_PER_PIECE;
  for (let k = 0; k < NODES_PER_PIECE; k++) out[k] = Math.exp(p.logNodeDensity[first + k]) - Math.exp(q.logNodeDensity[first + k]);
  return first;
}

/** ½∫|p − q| dx; beyond the grid, P − Q is assumed not to change sign. */
export function totalVariationOnGrid(grid: Grid, p: GridDensity, q: GridDensity): number {
  const { nodes } = grid;
  const pieces = nodes.pieceCell.length;
  const gaps = new Float64Array(nodes.x.length);
  for (let k = 0; k < pieces; k++) nodeGaps(p, q, k, gaps.subarray(k * NODES_PER_PIECE));
  // A sign change between a piece's last node and the next piece's first lies in one of the two: both are scanned.
  const signAt = (j: number): number => (j < 0 || j >= gaps.length ? 0 : Math.sign(gaps[j]));
  let sum = Math.abs(Math.exp(p.logMassBelow) - Math.exp(q.logMassBelow)) + Math.abs(Math.exp(p.logMassAbove) - Math.exp(q.logMassAbove));
  for (let k = 0; k < pieces; k++) {
    const first = k * NODES_PER_PIECE;
    let above = false;
    let below = false;
    let net = 0;
    for (let j = first - 1; j <= first + NODES_PER_PIECE; j++) {
      above ||= signAt(j) > 0;
      below ||= signAt(j) < 0;
    }
    for (let j = first; j < first + NODES_PER_PIECE; j++) net += nodes.weight[j] * gaps[j];
    if (!(above && below)) sum += Math.abs(net);
    else {
      const gap = gapIn(p, q, nodes.pieceCell[k]);
      sum += absIntegral(gap, (u, v) => gaussLegendre(gap, u, v), nodes.pieceLo[k], nodes.pieceHi[k]);
    }
  }
  return 0.5 * sum;
}

/** ∫|F_P − F_Q| dx (units of x); beyond the grid, F_P − F_Q is assumed not to change sign. */
export function wasserstein1OnGrid(grid: Grid, p: GridDensity, q: GridDensity): number {
  const { nodes } = grid;
  const gaps = new Float64Array(NODES_PER_PIECE);
  let sum = Math.abs(p.cdfIntegralBelow - q.cdfIntegralBelow) + Math.abs(p.survivalIntegralAbove - q.survivalIntegralAbove);
  // F_P − F_Q at the start of the current piece.
  let delta = Math.exp(p.logMassBelow) - Math.exp(q.logMassBelow);
  for (let k = 0; k < nodes.pieceCell.length; k++) {
    const first = nodeGaps(p, q, k, gaps);
    const a = nodes.pieceLo[k];
    const b = nodes.pieceHi[k];
    let rise = 0;
    let moment = 0;
    let variation = 0;
    for (let j = 0; j < NODES_PER_PIECE; j++) {
      const w = nodes.weight[first + j];
      rise += w * gaps[j];
      // ∫_a^b Δ = (b − a)·Δ(a) + ∫_a^b (b − t)·(p − q)(t) dt
      moment += w * (b - nodes.x[first + j]) * gaps[j];
      variation += w * Math.abs(gaps[j]);
    }
    // Δ moves by at most ∫|p − q| over the piece; the margin covers the rule's estimate of it.
    if (Math.abs(delta) > 1.5 * variation || variation === 0) sum += Math.abs((b - a) * delta + moment);
    else {
      const gap = gapIn(p, q, nodes.pieceCell[k]);
      const start = delta;
      const at = (x: number): number => start + gaussLegendre(gap, a, x);
      sum += absIntegral(at, (u, v) => (v - u) * at(u) + gaussLegendre((t) => (v - t) * gap(t), u, v), a, b);
    }
    delta += rise;
  }
  return sum;
}
