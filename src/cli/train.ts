/**
 * `gan-lens train`: the same worker as in VS Code, headless, with a progress bar and a final
 * table (or one JSON object with --json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SingleBar } from 'cli-progress';
import { PRESETS, presetNames } from '../definition/presets';
import { DEFINITION_FILE } from '../definition/loader';
import type { DefinitionSource, Snapshot } from '../protocol';
import { ALIGNMENT_KEYS, ALIGNMENT_NAMES, SCALAR_KEYS, type AlignmentName, type ScalarMetrics } from '../protocol';
import { presetLabel, trainOnce, type RunOptions, type TrainSummary } from '../session/headlessRun';
import { formatProblem } from '../session/problemLine';
import { divergenceSymbol } from '../core/divergenceSymbols';
import { formatCount, formatRate, formatValue } from '../numberFormat';
import { table } from './format';

export interface TrainOptions extends RunOptions {
  readonly file?: string;
  readonly preset?: string;
  readonly out?: string;
  readonly json?: boolean;
}

/** How a run's definition is named in tables and summaries. */
export const sourceLabel = (source: DefinitionSource): string => (source.kind === 'file' ? path.relative(process.cwd(), source.path) : presetLabel(source.name));

export function resolveSource(opts: Pick<TrainOptions, 'file' | 'preset'>): DefinitionSource | string {
  const name = opts.preset ?? (opts.file && !DEFINITION_FILE.test(opts.file) && opts.file in PRESETS ? opts.file : undefined);
  if (name !== undefined) return PRESETS[name] ? { kind: 'preset', name } : `unknown preset '${name}' (known: ${presetNames().join(', ')})`;
  if (!opts.file) return `give a loss definition file or --preset (known presets: ${presetNames().join(', ')})`;
  const file = path.resolve(opts.file);
  if (!fs.existsSync(file)) return `no such file: ${opts.file}`;
  return { kind: 'file', path: file, version: 1 };
}

function generatorRows(s: TrainSummary, n: (x: number) => string): string[][] {
  const g = s.generator;
  if ('std' in g) return [['generator mean', n(g.mean)], ['generator std', n(g.std)]];
  const w = s.wasserstein1Lattice;
  return [
    ['generator mean', `(${n(g.mean[0])}, ${n(g.mean[1])})`],
    ['generator cov', `[[${n(g.cov[0][0])}, ${n(g.cov[0][1])}], [${n(g.cov[1][0])}, ${n(g.cov[1][1])}]]`],
    ...(s.modes ? [['modes covered', `${s.modes.covered} of ${s.modes.of}`]] : []),
    ...(w ? [['W₁ lattice', `${w.side}×${w.side} cells, exact transport, at step ${formatCount(w.step)} (within ${formatValue(w.coarseningBound, 3)} of the full lattice's)`]] : []),
    ...(s.singular ? [['singular', s.singular]] : []),
    ...(s.undecided ? [['undecided', s.undecided]] : []),
  ];
}

/** What each alignment answers, as the table's rows say it (docs/theory.md §8 of the project). */
const ALIGNMENT_LABELS: Readonly<Record<AlignmentName, string>> = {
  divergence: 'loss ∇ vs divergence ∇',
  effective: 'loss ∇ vs objective ∇',
  update: 'last update vs divergence ∇',
  force: 'critic vs exact force',
};

function alignmentRows(s: TrainSummary): string[][] {
  const c = (v: number | null): string => (v === null ? 'undefined' : formatValue(v, 3));
  return [
    ['alignment (cos)', 'median over snapshots, last'],
    ...ALIGNMENT_NAMES.map((k) => [`  ${ALIGNMENT_LABELS[k]}`, `${c(s.alignment[k])}, ${c(s.alignmentLast[k])}`]),
  ];
}

function summaryTable(s: TrainSummary): string[] {
  const n = (x: number | 'inf'): string => formatValue(x === 'inf' ? Infinity : x, 6);
  return table([
    ['backend', `${s.backend} (engine: ${s.engine})`],
    ['definition', s.definition],
    ['loss', s.loss],
    ['steps', formatCount(s.steps)],
    ['seconds', formatValue(s.seconds, 3)],
    ['steps/s', formatRate(s.stepsPerSecond)],
    ['estimated', s.divergence.name],
    ['  analytic', n(s.divergence.analytic)],
    ['  critic estimate', n(s.divergence.estimate)],
    ['  gap', n(s.divergence.gap)],
    ['JSD', n(s.jsd)],
    ['KL(P‖Q)', n(s.kl)],
    ['KL(Q‖P)', n(s.reverse_kl)],
    ['W₁', n(s.wasserstein1)],
    ...generatorRows(s, n),
    ...alignmentRows(s),
    ['weights', `${s.weightsChecksum} (SHA-256 of the final weights and optimiser state)`],
    ...(s.note ? [['note', s.note]] : []),
  ]);
}

/** What metrics.csv keeps of a snapshot: its scalars and the generator's moments, not its grids. */
export interface MetricsRow {
  readonly metrics: ScalarMetrics;
  readonly stepsPerSecond: number;
  readonly generatorMean: number;
  readonly generatorStd: number;
  readonly planeMean?: readonly [number, number];
  readonly modesCovered?: number;
}

export function metricsRow(s: Snapshot): MetricsRow {
  return {
    metrics: s.metrics, stepsPerSecond: s.stepsPerSecond, generatorMean: s.generatorMean, generatorStd: s.generatorStd,
    ...(s.plane ? { planeMean: s.plane.generatorMean } : {}), ...(s.plane?.modes ? { modesCovered: s.plane.modes.covered } : {}),
  };
}

/** The generator's columns of metrics.csv: mean and std in 1-D; the mean's coordinates and the modes covered in 2-D (theory.md §7). */
function generatorCsvColumns(dataDim: number): readonly { name: string; value: (s: MetricsRow) => number }[] {
  if (dataDim === 1) return [{ name: 'generatorMean', value: (s) => s.generatorMean }, { name: 'generatorStd', value: (s) => s.generatorStd }];
  return [
    { name: 'generatorMeanX', value: (s) => s.planeMean?.[0] ?? NaN },
    { name: 'generatorMeanY', value: (s) => s.planeMean?.[1] ?? NaN },
    { name: 'modesCovered', value: (s) => s.modesCovered ?? NaN },
  ];
}

export function writeOutputs(dir: string, rows: readonly MetricsRow[], summary: TrainSummary): void {
  const generatorColumns = generatorCsvColumns(summary.dataDim);
  fs.mkdirSync(dir, { recursive: true });
  const lines = [[...SCALAR_KEYS, 'stepsPerSecond', ...generatorColumns.map((c) => c.name)].join(',')];
  // An undefined alignment is an empty cell: NaN there would read as a failed computation.
  const cell = (k: (typeof SCALAR_KEYS)[number], v: number): number | string => ((ALIGNMENT_KEYS as readonly string[]).includes(k) && !Number.isFinite(v) ? '' : v);
  for (const s of rows) lines.push([...SCALAR_KEYS.map((k) => cell(k, s.metrics[k])), s.stepsPerSecond, ...generatorColumns.map((c) => c.value(s))].join(','));
  fs.writeFileSync(path.join(dir, 'metrics.csv'), lines.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
}

export async function runTrainCommand(opts: TrainOptions): Promise<number> {
  const source = resolveSource(opts);
  if (typeof source === 'string') {
    console.error(`gan-lens train: ${source}`);
    return 2;
  }
  const label = sourceLabel(source);
  const bar = new SingleBar({
    format: 'training {bar} {step}/{steps} steps | {sps} steps/s | {name} {analytic} | {backend}',
    stream: process.stderr,
    hideCursor: true,
    // Without a terminal (CI logs) print a line every few seconds instead of redrawing.
    noTTYOutput: true,
    notTTYSchedule: 3000,
    barsize: 30,
  });
  let barStarted = false;
  const rows: MetricsRow[] = [];
  const outcome = await trainOnce(source, label, opts, {
    log: (level, message) => {
      if (level !== 'info') process.stderr.write(`${level}: ${message}\n`);
    },
    snapshot: (s, session) => {
      rows.push(metricsRow(s));
      const payload = {
        step: formatCount(s.metrics.step), steps: formatCount(opts.steps), sps: formatRate(s.stepsPerSecond),
        name: divergenceSymbol(session.summary?.divergence), analytic: formatValue(s.metrics.analytic), backend: s.backend,
      };
      if (!barStarted) {
        bar.start(opts.steps, s.metrics.step, payload);
        barStarted = true;
      } else bar.update(s.metrics.step, payload);
    },
  });
  if (barStarted) bar.stop();
  if (!outcome.ok) {
    for (const p of outcome.problems) console.error(formatProblem(p, source.kind === 'file' ? source.path : label));
    return 1;
  }
  const { summary } = outcome;
  if (opts.out) writeOutputs(opts.out, rows, summary);
  if (opts.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else process.stdout.write(summaryTable(summary).join('\n') + '\n');
  return 0;
}
