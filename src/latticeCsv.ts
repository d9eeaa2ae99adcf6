/**
 * A 2-D snapshot's maps as CSV, for notebooks: one row per lattice cell, the columns named in
 * the header. Densities are per unit area; critic is the network's output as the panel plots
 * it (D, T or f_w); optimal_critic and contribution are empty where the snapshot has none
 * (Wasserstein critics, singular pairs); non-finite values are written inf/-inf/nan.
 */
import type { PlaneSnapshot } from './protocol';

export const LATTICE_CSV_COLUMNS = ['i', 'j', 'x', 'y', 'p', 'q', 'critic', 'optimal_critic', 'contribution'] as const;

const cell = (v: number | undefined): string =>
  v === undefined ? '' : Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';

export function latticeCsv(plane: PlaneSnapshot): string {
  const { x, y } = plane;
  const dx = (x.hi - x.lo) / x.count;
  const dy = (y.hi - y.lo) / y.count;
  const rows: string[] = [LATTICE_CSV_COLUMNS.join(',')];
  for (let j = 0; j < y.count; j++) {
    for (let i = 0; i < x.count; i++) {
      const c = i + x.count * j;
      rows.push([i, j, x.lo + (i + 0.5) * dx, y.lo + (j + 0.5) * dy, plane.p[c], plane.q[c], plane.critic[c], plane.optimalCritic[c], plane.contribution[c]].map(cell).join(','));
    }
  }
  return rows.join('\n') + '\n';
}
