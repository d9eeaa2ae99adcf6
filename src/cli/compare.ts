/**
 * `gan-lens compare`: several definitions × several seeds, each cell a `gan-lens train` run
 * (session/compareRuns.ts: the same code path, so a cell equals the run made alone), K at a time
 * in their own worker threads, one progress bar for all. Prints mean ± sd over seeds per
 * definition; `--json` and `--out` keep every seed's values. `--merge` combines the `--out`
 * folders of separate invocations (a sweep run as a job array) into one table.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SingleBar } from 'cli-progress';
import { mixedTargets, type CompareRow } from '../compareProtocol';
import { divergenceSymbol } from '../core/divergenceSymbols';
import { formatCount, formatMeanSd, formatValue } from '../numberFormat';
import { compareRows, type CellResult } from '../session/compareStats';
import { fganFitDefinitions, planCompare, runCompare, type CompareDefinition } from '../session/compareRuns';
import type { RunOptions, TrainSummary } from '../session/headlessRun';
import { table } from './format';
import { metricsRow, type MetricsRow } from '../metricsCsv';
import { resolveSource, sourceLabel, writeOutputs } from './train';

export interface CompareOptions extends Omit<RunOptions, 'seed'> {
  readonly definitions: readonly string[];
  /** A built-in comparison: `fgan-fits` (every f-divergence fitting a Gaussian model, with each one's exact optimum). */
  readonly preset?: string;
  readonly seeds: readonly number[];
  readonly jobs: number;
  readonly out?: string;
  readonly json?: boolean;
}

const COMPARE_CSV = 'compare.csv';
const CELL_SUMMARY = 'summary.json';
/** A failed cell's folder holds this instead of summary.json: {definition, seed, error}. */
const CELL_FAILURE = 'failed.json';

/** A folder name for a definition: its file name without .gan.ts, or the preset's name. */
const slug = (label: string): string => path.basename(label.replace(/^preset /, '')).replace(/\.gan\.[mc]?[jt]s$/, '').replace(/[^\w.-]+/g, '_');

export const COMPARE_PRESETS = ['fgan-fits'] as const;

export async function runCompareCommand(opts: CompareOptions): Promise<number> {
  if (opts.preset !== undefined && !(COMPARE_PRESETS as readonly string[]).includes(opts.preset)) {
    console.error(`gan-lens compare: unknown comparison '${opts.preset}' (known: ${COMPARE_PRESETS.join(', ')})`);
    return 2;
  }
  const given: CompareDefinition[] = [];
  for (const d of opts.definitions) {
    const source = resolveSource({ file: d });
    if (typeof source === 'string') {
      console.error(`gan-lens compare: ${source}`);
      return 2;
    }
    given.push({ label: sourceLabel(source), source });
  }
  const definitions: (CompareDefinition & { folder: string })[] = [];
  for (const { label, source } of [...given, ...(opts.preset === 'fgan-fits' ? fganFitDefinitions() : [])]) {
    if (definitions.some((s) => s.label === label)) continue;
    // Two files of one name in different folders get folders of their own.
    const base = slug(label);
    const taken = definitions.filter((s) => s.folder === base || s.folder.startsWith(`${base}-`)).length;
    definitions.push({ label, source, folder: taken === 0 ? base : `${base}-${taken + 1}` });
  }
  const plan = await planCompare(definitions, opts.seeds, opts);
  if (!plan.ok) {
    console.error(`gan-lens compare: ${plan.reason}`);
    return 2;
  }
  const progress = new SingleBar({
    format: 'compare {bar} {done}/{cells} runs | {step}/{steps} steps | {running} running',
    stream: process.stderr, hideCursor: true, noTTYOutput: true, notTTYSchedule: 3000, barsize: 30,
  });
  const cells = plan.cells.length;
  const steps = new Map<number, number>();
  const rows = new Map<number, MetricsRow[]>();
  let done = 0;
  const total = cells * opts.steps;
  const stepsDone = (): number => [...steps.values()].reduce((a, b) => a + b, 0);
  const payload = () => ({ done, cells, step: formatCount(stepsDone()), steps: formatCount(total), running: steps.size - done });
  progress.start(total, 0, payload());
  const update = () => progress.update(stepsDone(), payload());
  const results = await runCompare(plan, opts, {
    started: (cell) => {
      steps.set(cell.index, 0);
      rows.set(cell.index, []);
    },
    snapshot: (cell, s) => {
      steps.set(cell.index, s.metrics.step);
      rows.get(cell.index)?.push(metricsRow(s));
      update();
    },
    done: (cell, result, outcome) => {
      done++;
      steps.set(cell.index, opts.steps);
      update();
      const cellRows = rows.get(cell.index) ?? [];
      rows.delete(cell.index);
      if (!opts.out) return;
      const dir = path.join(opts.out, definitions[cell.definition]!.folder, `seed-${cell.seed}`);
      if (outcome?.ok) writeOutputs(dir, cellRows, outcome.summary);
      else {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, CELL_FAILURE), JSON.stringify(result, null, 2) + '\n');
      }
    },
  });
  progress.stop();
  // Definition-major, as the table reads, whatever order the cells ran in.
  const ordered = results.filter((r): r is CellResult => r !== undefined).sort((a, b) => labelOrder(definitions, a) - labelOrder(definitions, b) || a.seed - b.seed);
  return report(ordered, opts);
}

const labelOrder = (definitions: readonly CompareDefinition[], r: CellResult): number => definitions.findIndex((d) => d.label === r.definition);

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
  const runs = compareRows(cells);
  if (opts.out) {
    fs.mkdirSync(opts.out, { recursive: true });
    fs.writeFileSync(path.join(opts.out, COMPARE_CSV), compareCsv(cells));
  }
  const failed = cells.filter((c) => c.error !== undefined);
  if (opts.json) process.stdout.write(JSON.stringify({ runs }, (_k, v: unknown) => (v === Infinity ? 'inf' : v)) + '\n');
  else {
    process.stdout.write(compareTable(runs).join('\n') + '\n');
    if (runs.some((r) => r.fit)) process.stdout.write('\n' + fitTable(runs).join('\n') + '\n');
    const targets = mixedTargets(runs);
    if (targets) process.stdout.write(`note: the definitions train on different targets (${targets.join('; ')}): their divergences are not on one scale\n`);
    for (const f of failed) process.stderr.write(`failed: ${f.definition} seed ${f.seed}: ${f.error}\n`);
  }
  return failed.length > 0 ? 1 : 0;
}

function compareTable(runs: readonly CompareRow[]): string[] {
  const pm = formatMeanSd;
  const twoD = runs.some((r) => r.modes !== undefined);
  const header = ['definition', 'loss', 'seeds', 'divergence of the loss', 'JSD', 'KL(P‖Q)', 'KL(Q‖P)', 'W₁', ...(twoD ? ['modes'] : []), 'steps/s'];
  return table([header, ...runs.map((r) => [
    r.definition, r.loss ?? '—', `${r.seeds.length}${r.failed.length ? ` (+${r.failed.length} failed)` : ''}`,
    r.divergenceName ? `${r.divergenceName} ${pm(r.summary.divergence)}` : '—', pm(r.summary.jsd), pm(r.summary.kl), pm(r.summary.reverse_kl), pm(r.summary.wasserstein1),
    ...(twoD ? [r.modes ? `${pm(r.summary.modes)} of ${r.modes}` : '—'] : []), pm(r.summary.stepsPerSecond),
  ])]);
}

function fitTable(runs: readonly CompareRow[]): string[] {
  const pm = formatMeanSd;
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
