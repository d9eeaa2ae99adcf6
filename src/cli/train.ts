/**
 * `gan-lens train`: the same worker as in VS Code, headless, with a progress bar and a final
 * table (or one JSON object with --json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SingleBar } from 'cli-progress';
import { PRESETS, presetNames } from '../definition/presets';
import { DEFINITION_FILE } from '../definition/loader';
import type { DefinitionSource } from '../protocol';
import { ALIGNMENT_NAMES, type AlignmentName } from '../protocol';
import { presetLabel, trainOnce, type RunOptions, type TrainSummary } from '../session/headlessRun';
import { formatProblem } from '../session/problemLine';
import { divergenceSymbol } from '../core/divergenceSymbols';
import { formatCount, formatRate, formatValue } from '../numberFormat';
import { table } from './format';
import { metricsCsv, metricsRow, type MetricsRow } from '../metricsCsv';

/** metrics.csv's rows are built by ../metricsCsv, the writer the panel's Export Run uses too. */

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
    ...(w ? [['W₁ lattice', `${w.side}×${w.side} cells, exact transport, at step ${formatCount(w.step)}${w.side < w.latticeSide ? ` (within ${formatValue(w.coarseningBound, 3)} of W₁ on the ${w.latticeSide}×${w.latticeSide} lattice)` : ''}`]] : []),
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
    ['  gap', s.divergence.gap === null ? 'none: weight clipping scales the estimate by an unknown K' : n(s.divergence.gap)],
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

export function writeOutputs(dir: string, rows: readonly MetricsRow[], summary: TrainSummary): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'metrics.csv'), metricsCsv(rows, summary.dataDim));
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
