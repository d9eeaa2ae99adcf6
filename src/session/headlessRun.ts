/**
 * One run to a fixed number of steps in its own worker, and its summary: what `gan-lens train`
 * prints, what every cell of a comparison is (CLI and panel alike), so a cell equals the same
 * run made alone. The summary's figures depend on the final weights only (the last snapshot
 * fits a fresh grid), and `weightsChecksum` says which weights those were.
 */
import { createHash } from 'node:crypto';
import { chanceNote, criticAtChance } from '../core/criticChance';
import { divergenceSymbol } from '../core/divergenceSymbols';
import { undecidedNote } from '../core/singularCases';
import { formatCount, formatValue } from '../numberFormat';
import { ALIGNMENT_KEYS, ALIGNMENT_NAMES, type AlignmentName, type BackendPreference, type Checkpoint, type DefinitionSource, type DefinitionSummary, type EnginePreference, type Problem, type Snapshot } from '../protocol';
import { TrainingSession } from './trainingSession';
import { bundledWorkerPath } from './workerPath';

/** What one run needs besides its definition. */
export interface RunOptions {
  readonly steps: number;
  /** Overrides the definition's seed. */
  readonly seed?: number;
  /** A snapshot every this many steps instead of 10 a second. */
  readonly every?: number;
  readonly latticeSide?: number;
  readonly latentSide?: number;
  readonly backend: BackendPreference;
  readonly engine: EnginePreference;
  /** RunSettings.kernelThreads. */
  readonly kernelThreads?: number;
}

/** Where the run's worker comes from and how much of its history is kept (CLI defaults). */
export interface RunHost {
  readonly workerPath?: string;
  readonly historyLength?: number;
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
  /** gap is null for a weight-clipped critic: it estimates K·W₁ with K unknown, so analytic − estimate means nothing. */
  readonly divergence: { readonly name: string; readonly symbol: string; readonly analytic: number | 'inf'; readonly estimate: number; readonly gap: number | 'inf' | null };
  readonly jsd: number;
  readonly kl: number | 'inf';
  readonly reverse_kl: number | 'inf';
  readonly wasserstein1: number;
  readonly dataDim: 1 | 2;
  /** 1-D: mean and std of the generated values; 2-D: mean [x, y] and covariance [[a, b], [b, c]]. */
  readonly generator: { readonly mean: number; readonly std: number } | { readonly mean: readonly [number, number]; readonly cov: readonly [readonly [number, number], readonly [number, number]] };
  /** Mixture targets in 2-D: components covered by Q (theory.md §7: half a component's weight within Mahalanobis distance 3). */
  readonly modes?: { readonly covered: number; readonly of: number };
  /**
   * 2-D: W₁ is exact transport on a coarser lattice of side², refreshed every few snapshots: the
   * step it was solved at, and how far it may lie from W₁ on the snapshot's latticeSide² lattice.
   */
  readonly wasserstein1Lattice?: { readonly side: number; readonly step: number; readonly coarseningBound: number; readonly latticeSide: number };
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
  /**
   * SHA-256 (first 16 hex digits) of the final checkpoint: both networks' weights and the
   * optimisers' state. Equal checksums are the same weights, bit for bit.
   */
  readonly weightsChecksum: string;
}

/** The four cosines of protocol.ts's AlignmentMetrics under short names; null = undefined. */
export type AlignmentSummary = { readonly [K in AlignmentName]: number | null };

export type RunOutcome =
  | { readonly ok: true; readonly summary: TrainSummary; readonly last: Snapshot }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export interface RunEvents {
  /** The run's session exists (its worker is starting). */
  readonly started?: (session: TrainingSession) => void;
  readonly snapshot?: (s: Snapshot, session: TrainingSession) => void;
  readonly log?: (level: string, message: string) => void;
  readonly loaded?: (summary: DefinitionSummary) => void;
  /** Stops the run: it then ends as a failure with the abort's reason. */
  readonly signal?: AbortSignal;
}

/** How a preset is named in tables and summaries (files are named by their path). */
export const presetLabel = (name: string): string => `preset ${name}`;

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

/** The checkpoint's tensors in order, names and shapes included: a change to any bit changes it. */
export function checkpointChecksum(tensors: Checkpoint['tensors']): string {
  const hash = createHash('sha256');
  for (const t of tensors) {
    hash.update(`${t.name}[${t.shape.join(',')}]`);
    hash.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return hash.digest('hex').slice(0, 16);
}

function summarize(s: Snapshot, session: TrainingSession, definition: string, seconds: number, weightsChecksum: string): TrainSummary {
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
    divergence: { name: session.summary?.estimating ?? '', symbol: divergenceSymbol(session.summary?.divergence), analytic: finiteOrInf(m.analytic), estimate: m.estimate, gap: session.summary?.lipschitz === 'weightClipping' ? null : finiteOrInf(m.analytic - m.estimate) },
    jsd: m.jsd,
    kl: finiteOrInf(m.kl),
    reverse_kl: finiteOrInf(m.reverseKl),
    wasserstein1: m.wasserstein1,
    ...planeFields(s),
    ...(verdict ? { criticAtChance: verdict.atChance } : {}),
    ...(note ? { note } : {}),
    alignment: alignmentSummary((k) => medianOrNull(history[k])),
    alignmentLast: alignmentSummary((k) => (Number.isFinite(m[k]) ? m[k] : null)),
    weightsChecksum,
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
    wasserstein1Lattice: { ...plane.wasserstein1, latticeSide: plane.x.count },
    ...(plane.singularNote ? { singular: plane.singularNote } : {}),
    ...(plane.unresolvedMass > 0 ? { undecided: undecidedNote(plane.unresolvedMass, (v) => formatValue(v, 2)) } : {}),
  };
}

/** How long the final checkpoint may take to arrive: it is a copy of a few thousand floats. */
const CHECKPOINT_WAIT_MS = 30_000;

/** One headless run to `opts.steps`, in its own worker. Never throws: a failure is an outcome. */
export async function trainOnce(source: DefinitionSource, label: string, opts: RunOptions & RunHost, on: RunEvents = {}): Promise<RunOutcome> {
  const session = new TrainingSession(source, {
    workerPath: opts.workerPath ?? bundledWorkerPath(),
    settings: {
      snapshotRate: 10, gridSize: 512, latentSamples: 20000, backend: opts.backend, engine: opts.engine, maxSteps: opts.steps,
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.every !== undefined ? { snapshotEvery: opts.every } : {}),
      ...(opts.latticeSide !== undefined ? { latticeSide: opts.latticeSide } : {}), ...(opts.latentSide !== undefined ? { latentSide: opts.latentSide } : {}),
      ...(opts.kernelThreads !== undefined ? { kernelThreads: opts.kernelThreads } : {}),
    },
    historyLength: opts.historyLength ?? 100_000,
    stepTimeLimitMs: 30_000,
  });
  // Timed from the loaded definition: worker start-up and loading are not training.
  let started = Date.now();
  session.on('loaded', ({ summary }) => {
    started = Date.now();
    on.loaded?.(summary);
  });
  session.on('log', (level, message) => on.log?.(level, message));
  session.on('snapshot', (s) => on.snapshot?.(s, session));
  on.started?.(session);
  let abort = (): void => undefined;
  const outcome = await new Promise<{ ok: true } | { ok: false; problems: readonly Problem[] }>((resolve) => {
    session.on('loadFailed', ({ problems }) => resolve({ ok: false, problems }));
    session.on('nonFinite', ({ step, what }) => resolve({ ok: false, problems: [{ severity: 'error', message: `${what} became NaN or infinite at step ${formatCount(step)}; training stopped with the last good weights` }] }));
    session.on('runError', ({ problem }) => resolve({ ok: false, problems: [problem] }));
    session.on('state', (state, reason) => {
      if (state === 'finished') resolve({ ok: true });
      else if (state === 'paused' && reason) resolve({ ok: false, problems: [{ severity: 'error', message: reason }] });
    });
    abort = () => resolve({ ok: false, problems: [{ severity: 'error', message: String(on.signal?.reason ?? 'stopped') }] });
    if (on.signal?.aborted) abort();
    else {
      on.signal?.addEventListener('abort', abort, { once: true });
      session.start();
    }
  });
  // One signal stops every cell of a comparison: each run takes its listener off when it ends.
  on.signal?.removeEventListener('abort', abort);
  const seconds = (Date.now() - started) / 1000;
  const checkpoint = outcome.ok ? await session.checkpointNow(CHECKPOINT_WAIT_MS) : undefined;
  await session.dispose();
  if (!outcome.ok) return outcome;
  const last = session.latest;
  if (!last) return { ok: false, problems: [{ severity: 'error', message: 'the run produced no snapshot' }] };
  if (!checkpoint) return { ok: false, problems: [{ severity: 'error', message: 'the worker did not send its final weights' }] };
  return { ok: true, summary: summarize(last, session, label, seconds, checkpointChecksum(checkpoint.tensors)), last };
}
