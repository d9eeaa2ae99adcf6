/**
 * Analytic divergences between P and Q sampled on a grid: what the panel plots every frame
 * next to the critic's estimate. Infinite values come from the integrand (Q = 0 where P > 0,
 * and so on) or from the tails (tails.ts), never from a sum that merely got large.
 */
import { DIVERGENCE_NAMES, F_DIVERGENCES, type DivergenceName, type DivergenceValues, type FDivergence } from './divergences';
import type { Grid, GridDensity } from './grid';
import { totalVariationOnGrid, wasserstein1OnGrid } from './gridIntegrals';
import { tailsDiverge, type TailBehaviour } from './tails';

export { divergencesBetween } from './exact';

/**
 * Probability outside the grid below which it is ignored where it would cost f(0⁺) = ∞
 * (reverse KL, Neyman χ²): the generator's Gaussian tail always leaves a sliver there.
 */
const NEGLIGIBLE_OUTSIDE_MASS = 1e-9;

/**
 * What the mass outside the grid adds, treating P and Q as mutually singular there (the grid
 * covers P to ≥ 8 std, so outside it p ≪ q wherever Q has mass): q·f(0⁺) + p·lim f(u)/u.
 * NaN when that share is infinite but the mass is not negligible: the grid cannot tell.
 */
function outsideShare(tail: TailBehaviour, pOutside: number, qOutside: number): number {
  let share = 0;
  for (const [mass, factor] of [[qOutside, tail.f0], [pOutside, tail.slopeAtInfinity]] as const) {
    if (!(mass > 0)) continue;
    if (Number.isFinite(factor)) share += mass * factor;
    else if (mass > NEGLIGIBLE_OUTSIDE_MASS) return NaN;
  }
  return share;
}

/** D_f(P‖Q) = Σ dx·q_i f(p_i/q_i) plus the share outside the grid; +Infinity when it diverges. */
export function analyticFDivergence(divergence: FDivergence, grid: Grid, p: GridDensity, q: GridDensity): number {
  if (tailsDiverge(divergence.tail, p.tails, q.tails)) return Infinity;
  let sum = 0;
  for (let i = 0; i < grid.x.length; i++) sum += divergence.integrand(p.logDensity[i], q.logDensity[i]);
  if (sum === Infinity) return Infinity;
  return sum * grid.dx + outsideShare(divergence.tail, p.outsideMass, q.outsideMass);
}

/** One divergence of the catalog on the grid (the per-frame fast path). */
export function analyticDivergence(name: DivergenceName, grid: Grid, p: GridDensity, q: GridDensity): number {
  switch (name) {
    case 'total_variation': return totalVariationOnGrid(grid, p, q);
    case 'wasserstein1': return wasserstein1OnGrid(grid, p, q);
    case 'jsd': return analyticFDivergence(F_DIVERGENCES.jensen_shannon, grid, p, q) / 2;
    default: return analyticFDivergence(F_DIVERGENCES[name], grid, p, q);
  }
}

/** Every divergence of the catalog on the grid. */
export function analyticDivergences(grid: Grid, p: GridDensity, q: GridDensity): DivergenceValues {
  const values = {} as Record<DivergenceName, number>;
  for (const name of DIVERGENCE_NAMES) if (name !== 'jsd') values[name] = analyticDivergence(name, grid, p, q);
  values.jsd = values.jensen_shannon / 2;
  return values;
}
