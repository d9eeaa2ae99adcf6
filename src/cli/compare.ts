/**
 * `gan-lens compare`: several definitions × several seeds, each cell a `gan-lens train` run
 * (trainOnce, the same code path, so a cell equals the run made alone), K at a time in their
 * own worker threads, one progress bar for all. Prints mean ± sd over seeds per definition;
 * `--json` and `--out` keep every seed's values. `--merge` combines the `--out` folders of
 * separate invocations (a sweep run as a job array) into one table.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { DataDim } from '../core/dataTarget';
import { formatCount, formatValue } from '../numberFormat';
import type { DefinitionSource } from '../protocol';
import { formatProblem, table } from './format';
import { resolveSource, sourceLabel, trainOnce, writeOutputs, type RunOptions, type TrainSummary } from './train';
import { meanSd, summaryStats, type MeanSd, type SummaryStats } from './compareStats';
import type { FDivergenceName } from '../core/divergences';
import { divergenceSymbol } from '../core/divergenceSymbols';
import { gaussianOptimum, type GaussianFit } from '../core/gaussianFit';
import { fganFitPreset, FGAN_FITS } from '../definition/presets';

export interface CompareOptions extends RunOptions {
  readonly definitions: readonly string[];
  /** A built-in comparison: `fgan-fits` (every f-divergence fitting a Gaussian model, with each one's exact optimum). */
  readonly preset?: string;
  readonly seeds: readonly number[];
  readonly jobs: number;
  readonly out?: string;
  readonly json?: boolean;
}

/** One definition × seed, as run or as read back from an `--out` folder. */
export interface CellResult {
  readonly definition: string;
  readonly seed: number;
  readonly summary?: TrainSummary;
  /** Why the cell failed, when it did. */
  readonly error?: string;
}

const COMPARE_CSV = 'compare.csv';
const CELL_SUMMARY = 'summary.json';
/** A failed cell's folder holds this instead of summary.json: {definition, seed, error}. */
const CELL_FAILURE = 'failed.json';

/** `1,2,3` (those seeds), `5` (seeds 1 to 5) or `4..9` (a range, for one job of an array). */
export function parseSeeds(text: string): number[] {
  const t = text.trim();
  const range = /^(\d+)\.\.(\d+)$/.exec(t);
  const seeds = range ? Array.from({ length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) }, (_, i) => Number(range[1]) + i)
    : t.includes(',') ? t.split(',').filter((s) => s.trim() !== '').map(Number)
      : Array.from({ length: Number(t) }, (_, i) => i + 1);
  if (seeds.length === 0 || !seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31)) {
    throw new RangeError(`seeds must be a list (1,2,3), a count (5) or a range (4..9) of non-negative integers, got "${text}"`);
  }
  return [...new Set(seeds)];
}

/** A folder name for a definition: its file name without .gan.ts, or the preset's name. */
const slug = (label: string): string => path.basename(label.replace(/^preset /, '')).replace(/\.gan\.[mc]?[jt]s$/, '').replace(/[^\w.-]+/g, '_');

export const COMPARE_PRESETS = ['fgan-fits'] as const;

export async function runCompareCommand(opts: CompareOptions): Promise<number> {
  if (opts.preset !== undefined && !(COMPARE_PRESETS as readonly string[]).includes(opts.preset)) {
    console.error(`gan-lens compare: unknown comparison '${opts.preset}' (known: ${COMPARE_PRESETS.join(', ')})`);
    return 2;
  }
  const definitions = [...opts.definitions, ...(opts.preset === 'fgan-fits' ? FGAN_FITS.divergences.map(fganFitPreset) : [])];
  const sources: { label: string; source: DefinitionSource; folder: string }[] = [];
  for (const d of definitions) {
    const source = resolveSource({ file: d });
    if (typeof source === 'string') {
      console.error(`gan-lens compare: ${source}`);
      return 2;
    }
    const label = sourceLabel(source);
    if (sources.some((s) => s.label === label)) continue;
    // Two files of one name in different folders get folders of their own.
    const base = slug(label);
    const taken = sources.filter((s) => s.folder === base || s.folder.startsWith(`${base}-`)).length;
    sources.push({ label, source, folder: taken === 0 ? base : `${base}-${taken + 1}` });
  }
  const cells = sources.flatMap(({ label, source, folder }) => opts.seeds.map((seed) => ({ label, source, seed, folder })));
  const progress = new SingleBar({
    format: 'compare {bar} {done}/{cells} runs | {step}/{steps} steps | {running} running',
    stream: process.stderr, hideCursor: true, noTTYOutput: true, notTTYSchedule: 3000, barsize: 30,
  });
  const steps = new Map<number, number>();
  let done = 0;
  const total = cells.length * opts.steps;
  const payload = () => ({ done, cells: cells.length, step: formatCount([...steps.values()].reduce((a, b) => a + b, 0)), steps: formatCount(total), running: steps.size - done });
  progress.start(total, 0, payload());
  const update = () => progress.update([...steps.values()].reduce((a, b) => a + b, 0), payload());

  // Definitions of different dimensions cannot share a table: the first load that disagrees stops every run.
  const stop = new AbortController();
  const dims = new Map<string, DataDim>();
  let mismatch: string | undefined;
  const results: CellResult[] = new Array(cells.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < cells.length && !stop.signal.aborted; i = next++) {
      const c = cells[i]!;
      steps.set(i, 0);
      const outcome = await trainOnce(c.source, c.label, { ...opts, seed: c.seed }, {
        signal: stop.signal,
        loaded: (summary) => {
          dims.set(c.label, summary.dataDim);
          const other = [...dims].find(([, d]) => d !== summary.dataDim);
          if (other && !mismatch) {
            mismatch = `${c.label} is ${summary.dataDim}-D but ${other[0]} is ${other[1]}-D: compare definitions of one dimension`;
            stop.abort(mismatch);
          }
        },
        snapshot: (s) => {
          steps.set(i, s.metrics.step);
          update();
        },
      });
      done++;
      steps.set(i, opts.steps);
      update();
      results[i] = outcome.ok ? { definition: c.label, seed: c.seed, summary: outcome.summary }
        : { definition: c.label, seed: c.seed, error: outcome.problems.map((p) => formatProblem(p, c.label)).join('; ') };
      if (opts.out) {
        const dir = path.join(opts.out, c.folder, `seed-${c.seed}`);
        if (outcome.ok) writeOutputs(dir, outcome.rows, outcome.summary);
        else {
          fs.mkdirSync(dir, { recursive: true });
          fs.writeFileSync(path.join(dir, CELL_FAILURE), JSON.stringify(results[i], null, 2) + '\n');
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs, cells.length)) }, worker));
  progress.stop();
  if (mismatch) {
    console.error(`gan-lens compare: ${mismatch}`);
    return 2;
  }
  return report(results.filter((r) => r !== undefined), opts);
}

/** Reads the cells that `--out` folders hold (DIR/<definition>/seed-<s>/summary.json) and reports them as one comparison. */
export function runMergeCommand(dirs: readonly string[], opts: Pick<CompareOptions, 'out' | 'json'>): number {
  const cells: CellResult[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) {
      console.error(`gan-lens compare --merge: no such folder: ${dir}`);
      return 2;
    }
    for (const def of fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      for (const seedDir of fs.readdirSync(path.join(dir, def.name)).filter((n) => /^seed-\d+$/.test(n))) {
        const cell = path.join(dir, def.name, seedDir);
        const seed = Number(seedDir.slice('seed-'.length));
        if (fs.existsSync(path.join(cell, CELL_SUMMARY))) {
          const summary = JSON.parse(fs.readFileSync(path.join(cell, CELL_SUMMARY), 'utf8')) as TrainSummary;
          cells.push({ definition: summary.definition, seed, summary });
        } else if (fs.existsSync(path.join(cell, CELL_FAILURE))) {
          const failure = JSON.parse(fs.readFileSync(path.join(cell, CELL_FAILURE), 'utf8')) as CellResult;
          cells.push({ definition: failure.definition, seed, error: String(failure.error) });
        }
      }
    }
  }
  if (cells.length === 0) {
    console.error(`gan-lens compare --merge: no runs found in ${dirs.join(', ')}`);
    return 2;
  }
  const unique = new Map(cells.map((c) => [`${c.definition}\u0000${c.seed}`, c]));
  return report([...unique.values()], opts);
}

function report(cells: readonly CellResult[], opts: Pick<CompareOptions, 'out' | 'json'>): number {
  const groups = new Map<string, CellResult[]>();
  for (const c of cells) groups.set(c.definition, [...(groups.get(c.definition) ?? []), c]);
  const runs = [...groups].map(([definition, group]) => ({ definition, ...summaryStats(group.sort((a, b) => a.seed - b.seed)), ...fitOf(definition, group) }));
  if (opts.out) {
    fs.mkdirSync(opts.out, { recursive: true });
    fs.writeFileSync(path.join(opts.out, COMPARE_CSV), compareCsv(cells));
  }
  const failed = cells.filter((c) => c.error !== undefined);
  if (opts.json) process.stdout.write(JSON.stringify({ runs }, (_k, v: unknown) => (v === Infinity ? 'inf' : v)) + '\n');
  else {
    process.stdout.write(compareTable(runs).join('\n') + '\n');
    if (runs.some((r) => r.fit)) process.stdout.write('\n' + fitTable(runs).join('\n') + '\n');
    const targets = new Set(runs.map((r) => r.target).filter((t) => t !== undefined));
    if (targets.size > 1) process.stdout.write(`note: the definitions train on different targets (${[...targets].join('; ')}): their divergences are not on one scale\n`);
    for (const f of failed) process.stderr.write(`failed: ${f.definition} seed ${f.seed}: ${f.error}\n`);
  }
  return failed.length > 0 ? 1 : 0;
}

function compareTable(runs: readonly ({ definition: string } & SummaryStats)[]): string[] {
  const pm = (s: { mean: number; sd: number } | undefined): string => (s === undefined ? '—'
    : !Number.isFinite(s.mean) ? formatValue(s.mean) : `${formatValue(s.mean, 4)} ± ${formatValue(s.sd, 2)}`);
  const twoD = runs.some((r) => r.modes !== undefined);
  const header = ['definition', 'loss', 'seeds', 'divergence of the loss', 'JSD', 'KL(P‖Q)', 'KL(Q‖P)', 'W₁', ...(twoD ? ['modes'] : []), 'steps/s'];
  return table([header, ...runs.map((r) => [
    r.definition, r.loss ?? '—', `${r.seeds.length}${r.failed.length ? ` (+${r.failed.length} failed)` : ''}`,
    r.divergenceName ? `${r.divergenceName} ${pm(r.summary.divergence)}` : '—', pm(r.summary.jsd), pm(r.summary.kl), pm(r.summary.reverse_kl), pm(r.summary.wasserstein1),
    ...(twoD ? [r.modes ? `${pm(r.summary.modes)} of ${r.modes}` : '—'] : []), pm(r.summary.stepsPerSecond),
  ])]);
}

/**
 * For the f-GAN fits: the fitted Gaussian over seeds next to the exact optimum of the
 * divergence from the same start (core/gaussianFit.ts), as in the f-GAN paper's table.
 */
function fitOf(definition: string, cells: readonly CellResult[]): { fit?: { divergence: FDivergenceName; mean?: MeanSd; std?: MeanSd; optimum: GaussianFit } } {
  const divergence = FGAN_FITS.divergences.find((n) => definition === `preset ${fganFitPreset(n)}`);
  if (!divergence) return {};
  const fitted = cells.flatMap((c) => (c.summary && 'std' in c.summary.generator ? [c.summary.generator] : []));
  const mean = meanSd(fitted.map((g) => g.mean));
  const std = meanSd(fitted.map((g) => g.std));
  return { fit: { divergence, ...(mean ? { mean } : {}), ...(std ? { std } : {}), optimum: gaussianOptimum(FGAN_FITS.target, divergence, FGAN_FITS.start) } };
}

function fitTable(runs: readonly { definition: string; fit?: ReturnType<typeof fitOf>['fit'] }[]): string[] {
  const pm = (s: MeanSd | undefined): string => (s ? `${formatValue(s.mean, 4)} ± ${formatValue(s.sd, 2)}` : '—');
  const rows = runs.flatMap((r) => (r.fit ? [[divergenceSymbol(r.fit.divergence), pm(r.fit.mean), pm(r.fit.std), formatValue(r.fit.optimum.mean, 4), formatValue(r.fit.optimum.std, 4), formatValue(r.fit.optimum.value, 4)]] : []));
  return table([['fitted by', 'μ (trained)', 'σ (trained)', 'μ* (optimum)', 'σ* (optimum)', 'D at the optimum'], ...rows]);
}

const CSV_COLUMNS = ['definition', 'seed', 'status', 'divergence_name', 'divergence', 'jsd', 'kl', 'reverse_kl', 'wasserstein1', 'modes_covered', 'modes_of', 'steps_per_second', 'message'] as const;

const csvCell = (v: string | number | undefined): string => {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
};
const num = (v: number | 'inf' | null | undefined): number | undefined => (v === 'inf' ? Infinity : v === null ? NaN : v);

function compareCsv(cells: readonly CellResult[]): string {
  const rows = cells.map((c) => {
    const s = c.summary;
    return [c.definition, c.seed, c.error === undefined ? 'ok' : 'failed', s?.divergence.symbol, num(s?.divergence.analytic), s?.jsd, num(s?.kl), num(s?.reverse_kl), s?.wasserstein1,
      s?.modes?.covered, s?.modes?.of, s?.stepsPerSecond, c.error].map(csvCell).join(',');
  });
  return [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

export const defaultJobs = (): number => Math.max(1, os.availableParallelism());
