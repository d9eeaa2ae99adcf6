/**
 * A loss swapped into a running training can change what the critic estimates (JSD → W₁) and
 * what the generator descends: the history before the swap holds another quantity under the
 * same column names. Only points of the current quantity are drawn on its axis; for the exact
 * value, the earlier points are taken from the column that holds the same divergence of p and q
 * for every loss (jsd, kl, reverseKl, wasserstein1), where there is one.
 */
import type { ReloadMarker, ScalarMetrics } from '../../src/protocol';

/** The column holding, for every loss, the same exact value as `analytic` has for this divergence. */
const EXACT_COLUMN: Readonly<Record<string, keyof ScalarMetrics>> = { jsd: 'jsd', kl: 'kl', reverse_kl: 'reverseKl', wasserstein1: 'wasserstein1' };

type Columns = { readonly [K in keyof ScalarMetrics]: readonly number[] };

export interface LikeColumns {
  readonly analytic: readonly number[];
  readonly estimate: readonly number[];
  readonly minibatchEstimate: readonly number[];
  readonly effective: readonly number[];
  /** The last step of the run whose loss estimated another divergence, and which; null when none did. */
  readonly other: { readonly until: number; readonly divergence: string; readonly exactKept: boolean } | null;
}

/** What each point was estimating: the last marker at or before its step (a later version wins a tie). */
function segmentOf(markers: readonly ReloadMarker[]): (step: number) => ReloadMarker | undefined {
  const sorted = [...markers].sort((a, b) => a.step - b.step || a.version - b.version);
  return (step) => {
    let found: ReloadMarker | undefined;
    for (const m of sorted) if (m.step <= step) found = m;
    return found;
  };
}

export function likeColumns(c: Columns, markers: readonly ReloadMarker[], current: { readonly divergence: string; readonly effectiveObjective: string } | undefined): LikeColumns {
  const same = { analytic: c.analytic, estimate: c.estimate, minibatchEstimate: c.minibatchEstimate, effective: c.effective, other: null };
  if (!current || !markers.some((m) => m.divergence !== undefined && (m.divergence !== current.divergence || m.objective !== current.effectiveObjective))) return same;
  const segment = segmentOf(markers);
  const exact = EXACT_COLUMN[current.divergence];
  const analytic: number[] = [];
  const estimate: number[] = [];
  const minibatchEstimate: number[] = [];
  const effective: number[] = [];
  let other: LikeColumns['other'] = null;
  c.step.forEach((step, i) => {
    const m = segment(step);
    const otherDivergence = m?.divergence !== undefined && m.divergence !== current.divergence;
    const otherObjective = m?.objective !== undefined && m.objective !== current.effectiveObjective;
    analytic.push(!otherDivergence ? c.analytic[i]! : exact ? c[exact][i]! : NaN);
    estimate.push(otherDivergence ? NaN : c.estimate[i]!);
    minibatchEstimate.push(otherDivergence ? NaN : c.minibatchEstimate[i]!);
    effective.push(otherObjective ? NaN : c.effective[i]!);
    if (otherDivergence) other = { until: step, divergence: m.divergence!, exactKept: exact !== undefined };
  });
  return { analytic, estimate, minibatchEstimate, effective, other };
}
