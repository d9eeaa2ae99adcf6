/**
 * The x grid on which p, q, the critic and the per-frame divergences live, and densities on it.
 *
 * Point i is the centre of cell i = [x_i − dx/2, x_i + dx/2]. The cells are cut at the points
 * where the target's density jumps and carry Gauss–Legendre nodes (cellNodes.ts); every
 * divergence is a sum over those nodes (analytic.ts, gridIntegrals.ts), so a density is known
 * on the grid by its values at the nodes. An analytic target is exact there: with analytic p
 * and q the grid meets the reference values to ~1e-14, uniform edges included. The generator
 * is known only by its cell masses; cellModel.ts continues them inside the cells.
 * The critic network is evaluated at the points x_i, where the optimal critic is plotted.
 */
import { cellNodes, type CellNodes } from './cellNodes';
import { integrate } from './quadrature';
import type { Density1D } from './targets';
import { targetBreakpoints, targetJumps, targetTails } from './targetShape';
import type { Tails } from './tails';

/** Uniform grid: x_i = lo + i·dx, the centres of cells covering [lo − dx/2, hi + dx/2]. */
export interface Grid {
  readonly x: Float64Array;
  /** First and last points (units of x). */
  readonly lo: number;
  readonly hi: number;
  /** Spacing (units of x). */
  readonly dx: number;
  /** The cells cut at the jump points and their quadrature nodes. */
  readonly nodes: CellNodes;
}

export const DEFAULT_GRID_SIZE = 512;

/** Share of the covered width added on each side, so that uniform edges and tails stay visible. */
const PADDING = 0.05;

export interface GridOptions {
  /** Number of points (default 512). */
  readonly size?: number;
  /** An interval to cover as well, e.g. the generator's sample range. */
  readonly include?: { readonly lo: number; readonly hi: number };
  /** More points where a density on this grid jumps (the edges of a second analytic density). */
  readonly splitAt?: readonly number[];
}

/** `size` points from lo to hi, the cells cut at `cuts`. */
export function uniformGrid(lo: number, hi: number, size: number, cuts: readonly number[]): Grid {
  if (!Number.isInteger(size) || size < 8) throw new RangeError(`grid size must be an integer ≥ 8, got ${size}`);
  const dx = (hi - lo) / (size - 1);
  const x = Float64Array.from({ length: size }, (_, i) => lo + i * dx);
  return { x, lo, hi, dx, nodes: cellNodes(lo - dx / 2, dx, size, cuts) };
}

/** A grid covering target.range() (every component to ≥ 8 std) and opts.include, padded by 5% each side. */
export function createGrid(target: Density1D, options: GridOptions = {}): Grid {
  let { lo, hi } = target.range();
  const include = options.include;
  if (include) {
    if (!Number.isFinite(include.lo) || !Number.isFinite(include.hi) || include.hi < include.lo) {
      throw new RangeError(`include must be a finite interval, got [${include.lo}, ${include.hi}]`);
    }
    lo = Math.min(lo, include.lo);
    hi = Math.max(hi, include.hi);
  }
  const pad = PADDING * (hi - lo);
  return uniformGrid(lo - pad, hi + pad, options.size ?? DEFAULT_GRID_SIZE, [...targetJumps(target.spec), ...(options.splitAt ?? [])]);
}

/** What the grid divergences need to know about one density. */
export interface GridDensity {
  /** log of the probability of each cell (nats): exact for a target, binned for a generator. */
  readonly logMass: Float64Array;
  /** log density at the grid points (nats, per unit x); −Infinity where it is zero. */
  readonly logDensity: Float64Array;
  /** log density at the nodes grid.nodes.x. */
  readonly logNodeDensity: Float64Array;
  /** log density at x inside cell `cell`: the function the node values sample. */
  logDensityIn(cell: number, x: number): number;
  /** Probability outside the cells, below e_0 = lo − dx/2 or above e_n = hi + dx/2. */
  readonly outsideMass: number;
  /** log of the probability below e_0 and above e_n, exact even where it underflows. */
  readonly logMassBelow: number;
  readonly logMassAbove: number;
  /** ∫_{−∞}^{e_0} F(t) dt (units of x): W₁'s share left of the cells. */
  readonly cdfIntegralBelow: number;
  /** ∫_{e_n}^{∞} (1 − F(t)) dt (units of x): W₁'s share right of the cells. */
  readonly survivalIntegralAbove: number;
  /** Asymptotic tails, which decide infinite divergences beyond the grid. */
  readonly tails: Tails;
}

/** Left edge of cell i (i = n gives the right edge of the last cell). */
export function cellEdge(grid: Grid, i: number): number {
  return grid.lo - grid.dx / 2 + i * grid.dx;
}

/** Whether the cells of the grid are cut at x or x is one of their edges (a jump there is integrated exactly). */
function splitsAt(grid: Grid, x: number): boolean {
  return grid.nodes.cuts.includes(x) || cellEdge(grid, Math.round((x - cellEdge(grid, 0)) / grid.dx)) === x;
}

/** An analytic density on the grid (computed once per grid: the W₁ end terms use adaptive quadrature). */
export function targetOnGrid(target: Density1D, grid: Grid): GridDensity {
  const n = grid.x.length;
  const e0 = cellEdge(grid, 0);
  const eEnd = cellEdge(grid, n);
  const missed = targetJumps(target.spec).find((x) => x > e0 && x < eEnd && !splitsAt(grid, x));
  if (missed !== undefined) throw new RangeError(`the grid's cells are not cut at x = ${missed}, where ${target.description} jumps: pass it in splitAt`);
  const cuts = targetBreakpoints(target.spec).sort((a, b) => a - b);
  const support = target.support();
  // ∫ g over [a, b] ∩ support, split at the target's breakpoints.
  const over = (g: (t: number) => number, a: number, b: number): number => {
    const lo = Math.max(a, support.lo);
    const hi = Math.min(b, support.hi);
    return hi > lo ? integrate(g, [lo, ...cuts.filter((c) => c > lo && c < hi), hi]) : 0;
  };
  const logMassBelow = target.logMassBetween(-Infinity, e0);
  const logMassAbove = target.logMassBetween(eEnd, Infinity);
  const logPdf = (x: number): number => target.logPdf(x);
  return {
    logMass: Float64Array.from({ length: n }, (_, i) => target.logMassBetween(cellEdge(grid, i), cellEdge(grid, i + 1))),
    logDensity: grid.x.map(logPdf),
    logNodeDensity: grid.nodes.x.map(logPdf),
    logDensityIn: (_, x) => target.logPdf(x),
    outsideMass: Math.exp(logMassBelow) + Math.exp(logMassAbove),
    logMassBelow,
    logMassAbove,
    cdfIntegralBelow: over((t) => target.cdf(t), -Infinity, e0),
    survivalIntegralAbove: over((t) => 1 - target.cdf(t), eEnd, Infinity),
    tails: targetTails(target.spec),
  };
}
