/**
 * The x grid on which p, q, the critic and the per-frame divergences live, and densities
 * sampled on it.
 *
 * One grid serves plotting and quadrature. On a uniform grid covering the densities to
 * ≥ 8 std, the equal-weight rule Σ dx·g(x_i) is the trapezoid rule with negligible end
 * values, and for smooth g it converges exponentially (Euler–Maclaurin: all end corrections
 * vanish): with analytic p and q, 512 points meet the reference values to ~1e-12 for the
 * smooth f-divergences. The two integrands with kinks, |p − q| (TV) and |F_P − F_Q| (W₁), get
 * a cubic-Hermite treatment of the cells where they change sign (gridIntegrals.ts), ~5e-8.
 * So no denser quadrature grid is needed, and the critic network is evaluated on the same
 * points. With the generator's q, which is a cell average, expect ~1e-4 relative.
 */
import { integrate } from './quadrature';
import type { Density1D } from './targets';
import { targetBreakpoints, targetTails } from './targetShape';
import type { Tails } from './tails';

/** Uniform grid: x_i = lo + i·dx; point i is the centre of a cell of width dx, so the cells cover [lo − dx/2, hi + dx/2]. */
export interface Grid {
  readonly x: Float64Array;
  /** First and last points (units of x). */
  readonly lo: number;
  readonly hi: number;
  /** Spacing (units of x). */
  readonly dx: number;
}

export const DEFAULT_GRID_SIZE = 512;

/** Share of the covered width added on each side, so that uniform edges and tails stay visible. */
const PADDING = 0.05;

export interface GridOptions {
  /** Number of points (default 512). */
  readonly size?: number;
  /** An interval to cover as well, e.g. the generator's sample range. */
  readonly include?: { readonly lo: number; readonly hi: number };
}

/** A grid covering target.range() (every component to ≥ 8 std) and opts.include, padded by 5% each side. */
export function createGrid(target: Density1D, options: GridOptions = {}): Grid {
  const size = options.size ?? DEFAULT_GRID_SIZE;
  if (!Number.isInteger(size) || size < 8) throw new RangeError(`grid size must be an integer ≥ 8, got ${size}`);
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
  lo -= pad;
  hi += pad;
  const dx = (hi - lo) / (size - 1);
  const x = Float64Array.from({ length: size }, (_, i) => lo + i * dx);
  return { x, lo, hi, dx };
}

/** What the grid divergences need to know about one density. */
export interface GridDensity {
  /** log density at each grid point (nats, per unit x); −Infinity where it is zero. */
  readonly logDensity: Float64Array;
  /** F(x_i). */
  readonly cdf: Float64Array;
  /** Probability outside the cells, below lo − dx/2 or above hi + dx/2. */
  readonly outsideMass: number;
  /** log of the probability below lo − dx/2 and above hi + dx/2, exact even where it underflows. */
  readonly logMassBelow: number;
  readonly logMassAbove: number;
  /** ∫_{−∞}^{x_0} F(t) dt (units of x): W₁'s share left of the first point. */
  readonly cdfIntegralBelow: number;
  /** ∫_{x_{N−1}}^{∞} (1 − F(t)) dt (units of x): W₁'s share right of the last point. */
  readonly survivalIntegralAbove: number;
  /** Asymptotic tails, which decide infinite divergences beyond the grid. */
  readonly tails: Tails;
}

/** An analytic density on the grid (computed once per run: the end terms use adaptive quadrature). */
export function targetOnGrid(target: Density1D, grid: Grid): GridDensity {
  const n = grid.x.length;
  const logDensity = grid.x.map((x) => target.logPdf(x));
  const cdf = grid.x.map((x) => target.cdf(x));
  const cuts = targetBreakpoints(target.spec).sort((a, b) => a - b);
  const support = target.support();
  // ∫ g over [a, b] ∩ support, split at the target's breakpoints.
  const over = (g: (t: number) => number, a: number, b: number): number => {
    const lo = Math.max(a, support.lo);
    const hi = Math.min(b, support.hi);
    return hi > lo ? integrate(g, [lo, ...cuts.filter((c) => c > lo && c < hi), hi]) : 0;
  };
  // log ∫ p beyond an edge, scaled by the density at the edge so that far tails do not underflow.
  const logMassBeyond = (edge: number, a: number, b: number): number => {
    const scale = target.logPdf(edge);
    if (scale === -Infinity) return Math.log(over((t) => Math.exp(target.logPdf(t)), a, b));
    return scale + Math.log(over((t) => Math.exp(target.logPdf(t) - scale), a, b));
  };
  const e0 = grid.lo - grid.dx / 2;
  const eEnd = grid.hi + grid.dx / 2;
  const logMassBelow = logMassBeyond(e0, -Infinity, e0);
  const logMassAbove = logMassBeyond(eEnd, eEnd, Infinity);
  return {
    logDensity,
    cdf,
    outsideMass: Math.exp(logMassBelow) + Math.exp(logMassAbove),
    logMassBelow,
    logMassAbove,
    cdfIntegralBelow: over((t) => target.cdf(t), -Infinity, grid.x[0]),
    survivalIntegralAbove: over((t) => 1 - target.cdf(t), grid.x[n - 1], Infinity),
    tails: targetTails(target.spec),
  };
}
