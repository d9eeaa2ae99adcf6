/**
 * A comparison's table: mean ± sd over the seeds of each definition, and the per-seed values
 * they come from. An infinite value in any seed makes the mean infinite; seeds where a value is
 * undecided (NaN: KL of a 2-D push-forward q) are left out of its mean, and a value undecided in
 * every seed is absent. The f-GAN fits add the trained Gaussian next to each divergence's optimum.
 */
import { STAT_KEYS, type CompareRow, type GaussianFitRow, type MeanSd, type SeedValues, type SummaryStats } from '../compareProtocol';
import { gaussianOptimum, type GaussianFit } from '../core/gaussianFit';
import { FGAN_FITS, fganFitPreset } from '../definition/presets';
import { presetLabel, type TrainSummary } from './headlessRun';

/** One definition × seed, as run or as read back from an `--out` folder. */
export interface CellResult {
  readonly definition: string;
  readonly seed: number;
  readonly summary?: TrainSummary;
  /** Why the cell failed, when it did. */
  readonly error?: string;
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
    ...(s.modes ? { modes: s.modes.covered } : {}), generator: s.generator, stepsPerSecond: value(s.stepsPerSecond), weightsChecksum: s.weightsChecksum,
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

/** Each optimum is a few hundred quadratures and never changes: computed once. */
const optima = new Map<string, GaussianFit>();

/**
 * For the f-GAN fits: the fitted Gaussian over seeds next to the exact optimum of the
 * divergence from the same start (core/gaussianFit.ts), as in the f-GAN paper's table.
 */
function fitOf(definition: string, cells: readonly CellResult[]): GaussianFitRow | undefined {
  const divergence = FGAN_FITS.divergences.find((n) => definition === presetLabel(fganFitPreset(n)));
  if (!divergence) return undefined;
  const fitted = cells.flatMap((c) => (c.summary && 'std' in c.summary.generator ? [c.summary.generator] : []));
  const mean = meanSd(fitted.map((g) => g.mean));
  const std = meanSd(fitted.map((g) => g.std));
  let optimum = optima.get(divergence);
  if (!optimum) {
    const found = gaussianOptimum(FGAN_FITS.target, divergence, FGAN_FITS.start);
    // Nelder–Mead's last digits are noise (a μ* of 0 comes out as ±3 × 10⁻⁹): six decimals are kept.
    const settled = (v: number): number => Math.round(v * 1e6) / 1e6;
    optimum = { mean: settled(found.mean), std: settled(found.std), value: found.value };
    optima.set(divergence, optimum);
  }
  return { divergence, ...(mean ? { mean } : {}), ...(std ? { std } : {}), optimum };
}

/** One row per definition, in the order definitions first appear among the cells; seeds in order within each. */
export function compareRows(cells: readonly CellResult[]): CompareRow[] {
  const groups = new Map<string, CellResult[]>();
  for (const c of cells) groups.set(c.definition, [...(groups.get(c.definition) ?? []), c]);
  return [...groups].map(([definition, group]) => {
    const sorted = [...group].sort((a, b) => a.seed - b.seed);
    const fit = fitOf(definition, sorted);
    return { definition, ...summaryStats(sorted), ...(fit ? { fit } : {}) };
  });
}
