/**
 * Analytic divergences between P and Q on a grid: what the panel plots every frame next to
 * the critic's estimate. An f-divergence is Σ_j w_j·q_j f(p_j/q_j) over the nodes of the cells
 * (cellNodes.ts), i.e. Σ Q_j f(P_j/Q_j) over node masses that add up to each cell's mass, so
 * disjoint supports give 2·JSD = 2·log 2 and TV = 1 exactly. Infinite values come from the
 * integrand (Q = 0 where P > 0, and so on) or from the tails (tails.ts), never from a sum that
 * merely got large.
 */
import { DIVERGENCE_NAMES, F_DIVERGENCES, type DivergenceName, type DivergenceValues, type FDivergence } from './divergences';
import type { Grid, GridDensity } from './grid';
import { totalVariationOnGrid, wasserstein1OnGrid } from './gridIntegrals';
import { tailsDiverge } from './tails';

export { divergencesBetween } from './exact';

/**
 * The share of the mass outside the grid, one aggregated cell per side: Q_out·f(P_out/Q_out).
 * By the data-processing inequality this never exceeds the true share, and it is what the
 * grid sum itself does at a finer scale; it is exact when p/q is constant out there.
 */
function outsideShare(divergence: FDivergence, p: GridDensity, q: GridDensity): number {
  return divergence.integrand(p.logMassBelow, q.logMassBelow) + divergence.integrand(p.logMassAbove, q.logMassAbove);
}

/** D_f(P‖Q) = Σ_j w_j·q_j f(p_j/q_j) over the nodes plus the share outside the grid; +Infinity when it diverges. */
export function analyticFDivergence(divergence: FDivergence, grid: Grid, p: GridDensity, q: GridDensity): number {
  if (tailsDiverge(divergence.tail, p.tails, q.tails)) return Infinity;
  const { weight } = grid.nodes;
  let sum = 0;
  for (let j = 0; j < weight.length; j++) sum += weight[j] * divergence.integrand(p.logNodeDensity[j], q.logNodeDensity[j]);
  if (sum === Infinity) return Infinity;
  return sum + outsideShare(divergence, p, q);
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
