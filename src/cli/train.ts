/**
 * `gan-lens train`: the same worker as in VS Code, headless, with a progress bar and a final
 * table (or one JSON object with --json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SingleBar } from 'cli-progress';
import { PRESETS, presetNames } from '../definition/presets';
import { DEFINITION_FILE } from '../definition/loader';
import type { BackendPreference, DefinitionSource, DefinitionSummary, EnginePreference, Problem, Snapshot } from '../protocol';
import { ALIGNMENT_KEYS, ALIGNMENT_NAMES, type AlignmentName } from '../protocol';
import { TrainingSession } from '../session/trainingSession';
import { bundledWorkerPath } from '../session/workerPath';
import { chanceNote, criticAtChance } from '../core/criticChance';
import { divergenceSymbol } from '../core/divergenceSymbols';
import { undecidedNote } from '../core/singularCases';
import { formatCount, formatRate, formatValue } from '../numberFormat';
import { formatProblem, table } from './format';
import { metricsCsv, rowExtras } from '../metricsCsv';

export interface TrainOptions {
  readonly file?: string;
  readonly preset?: string;
  readonly steps: number;
  readonly seed?: number;
  readonly out?: string;
  readonly json?: boolean;
  /** A snapshot every this many steps instead of 10 a second. */
  readonly every?: number;
  readonly latticeSide?: number;
  readonly latentSide?: number;
  readonly backend: BackendPreference;
  readonly engine: EnginePreference;
}

export interface TrainSummary {
  readonly backend: string;
  readonly engine: string;
  readonly definition: string;
  readonly loss: string;
  /** The target's description. */
  readonly target: string;
  readonly steps: number;
  readonly seconds: number;
  readonly stepsPerSecond: number;
  /** What the critic estimates: `name` said in full, `symbol` as the charts write it (JSD, KL(P‖Q), W₁…). */
  readonly divergence: { readonly name: string; readonly symbol: string; readonly analytic: number | 'inf'; readonly estimate: number; readonly gap: number | 'inf' };
  readonly jsd: number;
  readonly kl: number | 'inf';
  readonly reverse_kl: number | 'inf';
  readonly wasserstein1: number;
  readonly dataDim: 1 | 2;
  /** 1-D: mean and std of the generated values; 2-D: mean [x, y] and covariance [[a, b], [b, c]]. */
  readonly generator: { readonly mean: number; readonly std: number } | { readonly mean: readonly [number, number]; readonly cov: readonly [readonly [number, number], readonly [number, number]] };
  /** Mixture targets in 2-D: components covered by Q (theory.md §7: half a component's weight within Mahalanobis distance 3). */
  readonly modes?: { readonly covered: number; readonly of: number };
  /** 2-D: W₁ is exact transport on a coarser lattice, refreshed every few snapshots. */
  readonly wasserstein1Lattice?: { readonly side: number; readonly step: number; readonly coarseningBound: number };
  /** 2-D: what a singular q or p means for the numbers. */
  readonly singular?: string;
  /** Why KL(P‖Q) and χ² are null (NaN) for a push-forward q, when they are. */
  readonly undecided?: string;
  /** Whether the critic's loss sat at its chance value over the last steps; absent for losses that have none. */
  readonly criticAtChance?: boolean;
  /** What the panel would say about the critic, if anything. */
  readonly note?: string;
  /** Median over the run's snapshots of each alignment (theory.md §8); null where it was undefined at every snapshot. */
  readonly alignment: AlignmentSummary;
  /** The last snapshot's alignments; null where undefined. */
  readonly alignmentLast: AlignmentSummary;
}

/** The four cosines of protocol.ts's AlignmentMetrics under short names; null = undefined. */
export type AlignmentSummary = { readonly [K in AlignmentName]: number | null };

/** How a run's definition is named in tables and summaries. */
export const sourceLabel = (source: DefinitionSource): string => (source.kind === 'file' ? path.relative(process.cwd(), source.path) : `preset ${source.name}`);

export function resolveSource(opts: Pick<TrainOptions, 'file' | 'preset'>): DefinitionSource | string {
  const name = opts.preset ?? (opts.file && !DEFINITION_FILE.test(opts.file) && opts.file in PRESETS ? opts.file : undefined);
  if (name !== undefined) return PRESETS[name] ? { kind: 'preset', name } : `unknown preset '${name}' (known: ${presetNames().join(', ')})`;
  if (!opts.file) return `give a loss definition file or --preset (known presets: ${presetNames().join(', ')})`;
  const file = path.resolve(opts.file);
  if (!fs.existsSync(file)) return `no such file: ${opts.file}`;
  return { kind: 'file', path: file, version: 1 };
}

const finiteOrInf = (x: number): number | 'inf' => (x === Infinity ? 'inf' : x);

/** Median of the defined (finite) values, or null when there are none. */
function medianOrNull(values: readonly number[]): number | null {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const h = v.length >> 1;
  return v.length % 2 ? v[h]! : 0.5 * (v[h - 1]! + v[h]!);
}

function alignmentSummary(value: (key: (typeof ALIGNMENT_KEYS)[number]) => number | null): AlignmentSummary {
  return Object.fromEntries(ALIGNMENT_KEYS.map((k, i) => [ALIGNMENT_NAMES[i], value(k)])) as AlignmentSummary;
}

function summarize(s: Snapshot, session: TrainingSession, definition: string, seconds: number): TrainSummary {
  const m = s.metrics;
  const chance = session.summary?.chance;
  const history = session.history.snapshot();
  const verdict = criticAtChance(history, chance);
  const note = chanceNote(verdict, chance, divergenceSymbol(session.summary?.divergence), (v) => formatValue(v));
  return {
    backend: s.backend,
    engine: s.engine,
    definition,
    loss: session.summary?.lossName ?? '',
    target: session.summary?.target ?? '',
    steps: m.step,
    seconds,
    stepsPerSecond: m.step / seconds,
    divergence: { name: session.summary?.estimating ?? '', symbol: divergenceSymbol(session.summary?.divergence), analytic: finiteOrInf(m.analytic), estimate: m.estimate, gap: finiteOrInf(m.analytic - m.estimate) },
    jsd: m.jsd,
    kl: finiteOrInf(m.kl),
    reverse_kl: finiteOrInf(m.reverseKl),
    wasserstein1: m.wasserstein1,
    ...planeFields(s),
    ...(verdict ? { criticAtChance: verdict.atChance } : {}),
    ...(note ? { note } : {}),
    alignment: alignmentSummary((k) => medianOrNull(history[k])),
    alignmentLast: alignmentSummary((k) => (Number.isFinite(m[k]) ? m[k] : null)),
  };
}

function planeFields(s: Snapshot): Pick<TrainSummary, 'dataDim' | 'generator' | 'modes' | 'wasserstein1Lattice' | 'singular' | 'undecided'> {
  const plane = s.plane;
  if (!plane) return { dataDim: 1, generator: { mean: s.generatorMean, std: s.generatorStd } };
  const [a, b, c] = plane.generatorCov;
  return {
    dataDim: 2,
    generator: { mean: plane.generatorMean, cov: [[a, b], [b, c]] },
    ...(plane.modes ? { modes: { covered: plane.modes.covered, of: plane.modes.of } } : {}),
    wasserstein1Lattice: plane.wasserstein1,
    ...(plane.singularNote ? { singular: plane.singularNote } : {}),
    ...(plane.unresolvedMass > 0 ? { undecided: undecidedNote(plane.unresolvedMass, (v) => formatValue(v, 2)) } : {}),
  };
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
    ...(s.note ? [['note', s.note]] : []),
  ]);
}

export function writeOutputs(dir: string, rows: readonly Snapshot[], summary: TrainSummary): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'metrics.csv'), metricsCsv(rows.map((s) => ({ metrics: s.metrics, ...rowExtras(s) })), summary.dataDim));
  fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
}

/** What one run needs besides its definition: TrainOptions without the output choices. */
export type RunOptions = Pick<TrainOptions, 'steps' | 'seed' | 'every' | 'latticeSide' | 'latentSide' | 'backend' | 'engine'>;

export type RunOutcome =
  | { readonly ok: true; readonly summary: TrainSummary; readonly rows: readonly Snapshot[] }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * One headless run to `steps`, in its own worker: what `gan-lens train` prints and what every
 * cell of `gan-lens compare` is, so a cell equals the same run made alone.
 */
export async function trainOnce(source: DefinitionSource, label: string, opts: RunOptions, on: {
  readonly snapshot?: (s: Snapshot, session: TrainingSession) => void;
  readonly log?: (level: string, message: string) => void;
  readonly loaded?: (summary: DefinitionSummary) => void;
  /** Stops the run: it then ends as a failure with the abort's reason. */
  readonly signal?: AbortSignal;
} = {}): Promise<RunOutcome> {
  const session = new TrainingSession(source, {
    workerPath: bundledWorkerPath(),
    settings: {
      snapshotRate: 10, gridSize: 512, latentSamples: 20000, backend: opts.backend, engine: opts.engine, maxSteps: opts.steps,
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.every !== undefined ? { snapshotEvery: opts.every } : {}),
      ...(opts.latticeSide !== undefined ? { latticeSide: opts.latticeSide } : {}), ...(opts.latentSide !== undefined ? { latentSide: opts.latentSide } : {}),
    },
    historyLength: 100_000,
    stepTimeLimitMs: 30_000,
  });
  const rows: Snapshot[] = [];
  // Timed from the loaded definition: worker start-up and loading are not training.
  let started = Date.now();
  session.on('loaded', ({ summary }) => {
    started = Date.now();
    on.loaded?.(summary);
  });
  session.on('log', (level, message) => on.log?.(level, message));
  session.on('snapshot', (s) => {
    rows.push(s);
    on.snapshot?.(s, session);
  });
  const outcome = await new Promise<{ ok: true } | { ok: false; problems: readonly Problem[] }>((resolve) => {
    session.on('loadFailed', ({ problems }) => resolve({ ok: false, problems }));
    session.on('nonFinite', ({ step, what }) => resolve({ ok: false, problems: [{ severity: 'error', message: `${what} became NaN or infinite at step ${formatCount(step)}; training stopped with the last good weights` }] }));
    session.on('runError', ({ problem }) => resolve({ ok: false, problems: [problem] }));
    session.on('state', (state, reason) => {
      if (state === 'finished') resolve({ ok: true });
      else if (state === 'paused' && reason) resolve({ ok: false, problems: [{ severity: 'error', message: reason }] });
    });
    const abort = (): void => resolve({ ok: false, problems: [{ severity: 'error', message: String(on.signal?.reason ?? 'stopped') }] });
    if (on.signal?.aborted) abort();
    else {
      on.signal?.addEventListener('abort', abort, { once: true });
      session.start();
    }
  });
  const seconds = (Date.now() - started) / 1000;
  await session.dispose();
  if (!outcome.ok) return outcome;
  const last = session.latest;
  if (!last) return { ok: false, problems: [{ severity: 'error', message: 'the run produced no snapshot' }] };
  return { ok: true, summary: summarize(last, session, label, seconds), rows };
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
  const outcome = await trainOnce(source, label, opts, {
    log: (level, message) => {
      if (level !== 'info') process.stderr.write(`${level}: ${message}\n`);
    },
    snapshot: (s, session) => {
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
  const { summary, rows } = outcome;
  if (opts.out) writeOutputs(opts.out, rows, summary);
  if (opts.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else process.stdout.write(summaryTable(summary).join('\n') + '\n');
  return 0;
}
