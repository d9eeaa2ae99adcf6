/**
 * Mean ± sd over the seeds of one definition, and the per-seed values they come from. An
 * infinite value in any seed makes the mean infinite; seeds where a value is undecided (NaN:
 * KL of a 2-D push-forward q) are left out of its mean, and a value undecided in every seed is absent.
 */
import type { CellResult } from './compare';
import type { TrainSummary } from './train';

export interface MeanSd {
  readonly mean: number;
  readonly sd: number;
  /** Seeds the figure is over. */
  readonly n: number;
}

export interface SeedValues {
  readonly seed: number;
  readonly divergence: number;
  readonly jsd: number;
  readonly kl: number;
  readonly reverse_kl: number;
  readonly wasserstein1: number;
  readonly modes?: number;
  readonly generator: TrainSummary['generator'];
  readonly stepsPerSecond: number;
}

const STAT_KEYS = ['divergence', 'jsd', 'kl', 'reverse_kl', 'wasserstein1', 'modes', 'stepsPerSecond'] as const;

export interface SummaryStats {
  readonly loss?: string;
  readonly target?: string;
  readonly divergenceName?: string;
  /** Mixture targets in 2-D: how many modes there are. */
  readonly modes?: number;
  readonly seeds: readonly SeedValues[];
  readonly failed: readonly { readonly seed: number; readonly error: string }[];
  readonly summary: Partial<Record<(typeof STAT_KEYS)[number], MeanSd>>;
}

/** Summaries read back from JSON carry ∞ as "inf" and NaN as null. */
const value = (v: number | 'inf' | null | undefined): number => (v === 'inf' ? Infinity : v === null || v === undefined ? NaN : v);

/** Mean and sample sd (n − 1; 0 for one seed) of the decided values. */
export function meanSd(values: readonly number[]): MeanSd | undefined {
  const decided = values.filter((v) => !Number.isNaN(v));
  if (decided.length === 0) return undefined;
  if (decided.some((v) => !Number.isFinite(v))) return { mean: decided.find((v) => !Number.isFinite(v))!, sd: NaN, n: decided.length };
  const mean = decided.reduce((a, b) => a + b, 0) / decided.length;
  const sd = decided.length > 1 ? Math.sqrt(decided.reduce((a, b) => a + (b - mean) ** 2, 0) / (decided.length - 1)) : 0;
  return { mean, sd, n: decided.length };
}

export function summaryStats(cells: readonly CellResult[]): SummaryStats {
  const ok = cells.filter((c): c is CellResult & { summary: TrainSummary } => c.summary !== undefined);
  const seeds: SeedValues[] = ok.map(({ seed, summary: s }) => ({
    seed, divergence: value(s.divergence.analytic), jsd: value(s.jsd), kl: value(s.kl), reverse_kl: value(s.reverse_kl), wasserstein1: value(s.wasserstein1),
    ...(s.modes ? { modes: s.modes.covered } : {}), generator: s.generator, stepsPerSecond: value(s.stepsPerSecond),
  }));
  const summary: SummaryStats['summary'] = {};
  for (const k of STAT_KEYS) {
    const stats = meanSd(seeds.map((s) => s[k] ?? NaN));
    if (stats) summary[k] = stats;
  }
  const first = ok[0]?.summary;
  return {
    ...(first ? { loss: first.loss, target: first.target, divergenceName: first.divergence.symbol } : {}),
    ...(first?.modes ? { modes: first.modes.of } : {}),
    seeds,
    failed: cells.filter((c) => c.error !== undefined).map((c) => ({ seed: c.seed, error: c.error! })),
    summary,
  };
}
