/**
 * Every message that crosses a thread or webview boundary: host ↔ training worker and
 * host ↔ inspector webview. One discriminated union per direction, tagged by `type`;
 * messages about a run carry its `runId` so that stale ones can be dropped.
 *
 * This module is imported by the host, the worker and the webview, so it must stay free of
 * Node, DOM and vscode imports.
 */
import type { CriticChance } from './core/criticChance';
import type { DataDim } from './core/dataTarget';
import type { SingularCase } from './core/divergences2d';

// Each enum once, as a list the validators on both sides check against.
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const BACKEND_PREFERENCES = ['auto', ...BACKEND_NAMES] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];
export const ENGINE_NAMES = ['tfjs', 'fused'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
export const ENGINE_PREFERENCES = ['auto', 'fused', 'tfjs'] as const;
export type EnginePreference = (typeof ENGINE_PREFERENCES)[number];
export const CRITIC_OUTPUT_KINDS = ['discriminator', 'fgan', 'wasserstein', 'score'] as const;
export const RUN_STATES = ['loading', 'running', 'paused', 'stopped', 'finished', 'failed'] as const;
export type RunState = (typeof RUN_STATES)[number];
export const WEBVIEW_COMMANDS = ['pause', 'resume', 'step', 'stepCritic', 'stepGenerator', 'reset', 'stop', 'train'] as const;
/** The two halves of a training step, as GAN Lab shows them: the critic's updates, then the generator's. */
export const SUB_STEPS = ['critic', 'generator'] as const;
export type SubStep = (typeof SUB_STEPS)[number];
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];
/** Formats the webview draws a chart in. */
export const CHART_FORMATS = ['png', 'svg'] as const;
export type ChartFormat = (typeof CHART_FORMATS)[number];
export const BANNER_LEVELS = ['info', 'warning', 'error'] as const;
/** How a Wasserstein critic is kept Lipschitz: a gradient penalty makes its gap estimate W₁ itself, weight clipping K·W₁ with K unknown. */
export const LIPSCHITZ_METHODS = ['gradientPenalty', 'weightClipping'] as const;
export type LipschitzMethod = (typeof LIPSCHITZ_METHODS)[number];
export type BannerLevel = (typeof BANNER_LEVELS)[number];

/**
 * The Speed control: steps per second, null for Max, 'warmUp': WARM_UP's rate for the first
 * steps of a run (JSD falling from log 2 is over within a second at Max), then Max; or
 * 'slowMotion': one sub-step at a time (the critic's update, then the generator's), each shown.
 */
export type Speed = number | null | 'warmUp' | 'slowMotion';
export const WARM_UP = { stepsPerSecond: 200, untilStep: 2000 } as const;
export const SLOW_MOTION = { subStepsPerSecond: 1.5 } as const;
/** The most steps per second a person can ask for. */
export const MAX_STEPS_PER_SECOND = 1e7;

export function isSpeed(v: unknown): v is Speed {
  return v === null || v === 'warmUp' || v === 'slowMotion' || (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= MAX_STEPS_PER_SECOND);
}

/** Whether `value` is one of `list`, narrowing it to the list's type. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

/** Where a GAN definition comes from. */
export type DefinitionSource =
  | { readonly kind: 'file'; readonly path: string; readonly version: number; readonly text?: string }
  | { readonly kind: 'preset'; readonly name: string };

export interface RunSettings {
  /** Snapshots per second posted by the worker (upper bound). */
  readonly snapshotRate: number;
  /**
   * A snapshot at every multiple of this many steps instead, and at no other step (CLI
   * --every): the recorded steps no longer depend on the machine's speed.
   */
  readonly snapshotEvery?: number;
  /** Points of the plotting grid. */
  readonly gridSize: number;
  /** Latent quantiles (1-D latent) or samples used to compute q. */
  readonly latentSamples: number;
  /** 2-D: cells per side of the lattice (default 128). */
  readonly latticeSide?: number;
  /** 2-D: side m of the m × m latent quantile lattice (or √ of the Monte Carlo sample count) that gives q (default 256). */
  readonly latentSide?: number;
  readonly backend: BackendPreference;
  readonly engine: EnginePreference;
  /** Stop by itself after this many steps (CLI); undefined = run until stopped. */
  readonly maxSteps?: number;
  /** Overrides the definition's seed (CLI --seed). */
  readonly seed?: number;
  /** Start paused (tests, "Step Training"). */
  readonly startPaused?: boolean;
  /** 2-D: timed snapshots on a thread of their own beside training (default true; ganLens.snapshotThread). */
  readonly snapshotThread?: boolean;
  /**
   * Threads the fused kernel's products may use (default: two where there are two cores, but one
   * for a 2-D run whose snapshot thread takes the second core; snapshotPacing.ts). A comparison
   * running several runs at once gives each one, so they do not fight over cores.
   */
  readonly kernelThreads?: number;
}

/** A problem found while loading a definition file, positioned in that file when possible. */
export interface Problem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly file?: string;
  /** 1-based line and column, as editors print them. */
  readonly line?: number;
  readonly column?: number;
}

/** What the host and the panel need to know about a loaded definition (no functions). */
export interface DefinitionSummary {
  readonly lossName: string;
  /** What the critic estimates, said exactly, e.g. "2·JSD (f-GAN Jensen–Shannon)". */
  readonly estimating: string;
  readonly divergence: string;
  /** Label of what the generator effectively descends at the optimal critic. */
  readonly effectiveObjective: string;
  readonly criticOutput: CriticOutputKind;
  readonly target: string;
  readonly dataDim: DataDim;
  readonly generator: string;
  readonly critic: string;
  /** Changes when the target, networks, optimiser or seed change: such a change restarts. */
  readonly structureKey: string;
  readonly lossKey: string;
  /** The critic's loss when it cannot tell P from Q; absent for losses without one (WGAN, custom). */
  readonly chance?: CriticChance;
  /** Wasserstein critics only. */
  readonly lipschitz?: LipschitzMethod;
}

/**
 * How the critic's output on the grid is plotted: a discriminator D ∈ (0,1) against D*,
 * an f-GAN critic T = g_f(V) against T* = f′(p/q), or a Wasserstein critic f_w against the
 * Kantorovich potential (1-D).
 */
export type CriticOutputKind = (typeof CRITIC_OUTPUT_KINDS)[number];

/**
 * What the generator really descends (theory.md §8, src/training/alignment.ts): cosines in
 * [−1, 1], +1 when the generator moves to decrease the divergence; NaN = undefined (a zero or
 * infinite gradient, or a functional not known for the loss).
 */
export interface AlignmentMetrics {
  /** cos(∇θ L_G, ∇θ D): does the loss's gradient follow the divergence the critic estimates? */
  readonly alignmentDivergence: number;
  /** cos(∇θ L_G, ∇θ E): does it follow what theory says the loss descends at the optimal critic? */
  readonly alignmentEffective: number;
  /** cos(−Δθ, ∇θ D): did the optimiser's last generator update decrease the divergence? */
  readonly alignmentUpdate: number;
  /** q-weighted cos in x of the critic's force −∂ₓℓ_G and the exact force −∂ₓφ on each sample. */
  readonly alignmentForce: number;
}

export const ALIGNMENT_KEYS = ['alignmentDivergence', 'alignmentEffective', 'alignmentUpdate', 'alignmentForce'] as const satisfies readonly (keyof AlignmentMetrics)[];
/** The same, as the CLI's JSON names them (`alignment: { divergence, … }`), in the same order. */
export const ALIGNMENT_NAMES = ['divergence', 'effective', 'update', 'force'] as const;
export type AlignmentName = (typeof ALIGNMENT_NAMES)[number];

export interface ScalarMetrics extends AlignmentMetrics {
  readonly step: number;
  /** Analytic value of the divergence the critic estimates, from p and q. */
  readonly analytic: number;
  /** The critic's estimate by quadrature on the grid (steady, not minibatch noise). */
  readonly estimate: number;
  /** The same estimate on the last minibatch. */
  readonly minibatchEstimate: number;
  /** Analytic value of what the generator effectively descends. */
  readonly effective: number;
  readonly criticLoss: number;
  readonly generatorLoss: number;
  readonly criticGradNorm: number;
  readonly generatorGradNorm: number;
  readonly jsd: number;
  readonly kl: number;
  readonly reverseKl: number;
  readonly wasserstein1: number;
}

export const SCALAR_KEYS = [
  'step', 'analytic', 'estimate', 'minibatchEstimate', 'effective', 'criticLoss', 'generatorLoss',
  'criticGradNorm', 'generatorGradNorm', 'jsd', 'kl', 'reverseKl', 'wasserstein1', ...ALIGNMENT_KEYS,
] as const satisfies readonly (keyof ScalarMetrics)[];

/** One axis of the 2-D lattice: `count` cells of equal width between lo and hi. */
export interface PlaneAxis {
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
}

/** How W₁ was obtained for this snapshot: exact transport on a lattice of `side`² cells, computed at `step`. */
export interface PlaneWasserstein {
  readonly side: number;
  /** The step whose q it was computed for (it is refreshed every few snapshots). */
  readonly step: number;
  /** |W₁ on the snapshot's lattice − value| ≤ bound, from merging cells (units of x). */
  readonly coarseningBound: number;
}

/** Mode coverage of a mixture target (theory.md §7), one entry per component. */
export interface PlaneModes {
  readonly covered: number;
  readonly of: number;
  /** Q's mass within Mahalanobis distance 3 of each component's mean. */
  readonly massNear: Float32Array;
  /** Each component's weight and mean, row-major [of, 2]. */
  readonly weights: Float32Array;
  readonly means: Float32Array;
}

/** What a 2-D snapshot shows beyond the scalars; arrays are per cell, cell (i, j) at i + x.count·j. */
export interface PlaneSnapshot {
  readonly x: PlaneAxis;
  readonly y: PlaneAxis;
  /** Densities (per unit area): cell mass / cell area. */
  readonly p: Float32Array;
  readonly q: Float32Array;
  /** Critic output at the cell centres (D, T or f_w according to criticOutput). */
  readonly critic: Float32Array;
  /** Optimal critic at the cell centres; empty for Wasserstein critics and singular pairs. */
  readonly optimalCritic: Float32Array;
  /** Some generated points, row-major [n, 2], for a scatter. */
  readonly samples: Float32Array;
  /** Some points drawn from the target, row-major [n, 2], for a scatter (the same points every snapshot of a run). */
  readonly realSamples: Float32Array;
  /**
   * Forces on generated points, row-major [n, 4] as (x, y, fx, fy): −∂ₓ of each point's own
   * generator loss through the critic, the direction the generator loss pushes that sample.
   * Unscaled (units of loss per unit x); the panel scales them to stay readable.
   */
  readonly forces: Float32Array;
  /**
   * −∂ₓφ at the same points, row-major [n, 2]: the force the exact divergence being estimated
   * would put on each (theory.md §8); empty when it is not defined (W₁, an infinite φ).
   */
  readonly exactForces: Float32Array;
  /**
   * Where the divergence being estimated lives: each cell's term Q·f(P/Q) of the sum divided by
   * the cell's area (a signed density; it integrates to the analytic value). Empty for W₁ and for
   * singular pairs, where no such sum is the divergence.
   */
  readonly contribution: Float32Array;
  /** P's mass in cells the generator's lattice leaves without any q: where KL(P‖Q) and χ² are not decided (0 when none). */
  readonly unresolvedMass: number;
  readonly generatorMean: readonly [number, number];
  /** Covariance of the generated points [[a, b], [b, c]] as [a, b, c]. */
  readonly generatorCov: readonly [number, number, number];
  readonly singular: SingularCase;
  /** Says exactly what a singular case means for the numbers; empty when none. */
  readonly singularNote: string;
  /** Mixture targets: components covered by Q (theory.md §7) of all. */
  readonly modes?: PlaneModes;
  readonly wasserstein1: PlaneWasserstein;
}

export interface Snapshot {
  readonly runId: number;
  /** Version of the definition file in use. */
  readonly version: number;
  readonly metrics: ScalarMetrics;
  readonly stepsPerSecond: number;
  /** V8 heap in use by the worker's isolate (bytes); the wasm backend's memory is not included. */
  readonly workerHeapBytes: number;
  readonly backend: BackendName;
  readonly engine: EngineName;
  /** True when it was computed on the run's snapshot thread (2-D), beside training rather than between its steps. */
  readonly offThread?: boolean;
  /** Name of the estimator of q, e.g. "push-forward of 20,000 latent quantiles". */
  readonly qEstimator: string;
  readonly dataDim: DataDim;
  /** 1-D: the generated values' mean and standard deviation (NaN in 2-D: see plane). */
  readonly generatorMean: number;
  readonly generatorStd: number;
  /** 1-D: the plotting grid and the curves on it; empty in 2-D. */
  readonly x: Float32Array;
  readonly p: Float32Array;
  readonly q: Float32Array;
  /** Critic output on the grid (D, T or f_w according to the definition's criticOutput). */
  readonly critic: Float32Array;
  /**
   * Optimal critic on the grid: D*, T*, or for a Wasserstein critic the Kantorovich potential
   * f* (f*′ = sign(F_Q − F_P), defined up to a constant); empty where there is none.
   */
  readonly optimalCritic: Float32Array;
  /** 1-D: forces on some generated samples (the 2-D ones are in plane). */
  readonly forces?: LineForces;
  /** 1-D data from a 1-D latent: x = G(z) at some latent points (a q-spike is where G is flat). */
  readonly generatorMap?: GeneratorMap;
  /** 2-D only. */
  readonly plane?: PlaneSnapshot;
  /** The snapshot follows a sub-step: only that player changed since the one before. */
  readonly subStep?: SubStep;
}

/**
 * 1-D forces at some generated samples, sorted by x: −∂ₓℓ_G through the critic and −∂ₓφ of the
 * exact divergence being estimated (empty when not defined), each in its own units.
 */
export interface LineForces {
  readonly x: Float32Array;
  readonly critic: Float32Array;
  readonly exact: Float32Array;
}

/** The generator's map at some latent points, both sorted by z (a 1-D latent). */
export interface GeneratorMap {
  readonly z: Float32Array;
  readonly x: Float32Array;
}

/** Everything needed to continue a run in a fresh worker. */
export interface Checkpoint {
  readonly runId: number;
  readonly step: number;
  readonly version: number;
  /** Weights and optimiser slots, in the order the trainer restores them. */
  readonly tensors: readonly { readonly name: string; readonly shape: number[]; readonly data: Float32Array }[];
}

// ---- host → worker -------------------------------------------------------------------

/** One training step's scalars, as the engine reports them. */
export interface StepStats {
  readonly step: number;
  readonly criticLoss: number;
  readonly generatorLoss: number;
  readonly criticGradNorm: number;
  readonly generatorGradNorm: number;
  readonly minibatchEstimate: number;
}

/** What a snapshot is labelled with besides the networks: RunInspector.snapshot's arguments. */
export interface SnapshotArgs {
  readonly runId: number;
  readonly version: number;
  readonly backend: BackendName;
  readonly stats: StepStats | undefined;
  readonly stepsPerSecond: number;
}

// ---- training worker ↔ its snapshot thread (2-D snapshots run beside training) -------

export type TrainingToSnapshotThread =
  /** A copy of the run's definition to inspect; `generation` tags everything until the next load. */
  | { readonly type: 'load'; readonly generation: number; readonly source: DefinitionSource; readonly seed: number; readonly settings: RunSettings; readonly engine: EngineName }
  | {
    readonly type: 'snapshot'; readonly generation: number; readonly args: SnapshotArgs;
    readonly generator: Float32Array; readonly critic: Float32Array; readonly step: number; readonly lastGeneratorUpdate?: Float32Array;
  };

export type SnapshotThreadToTraining =
  | { readonly type: 'loaded'; readonly generation: number }
  /** computeMs: the thread's own time on it (taking the weights and inspecting), without the messages' and the training loop's delays. */
  | { readonly type: 'snapshot'; readonly generation: number; readonly snapshot: Snapshot; readonly computeMs: number }
  | { readonly type: 'failed'; readonly generation: number; readonly reason: string };

export type HostToWorker =
  | { readonly type: 'start'; readonly runId: number; readonly source: DefinitionSource; readonly settings: RunSettings; readonly checkpoint?: Checkpoint }
  | { readonly type: 'reload'; readonly runId: number; readonly source: DefinitionSource }
  | { readonly type: 'pause'; readonly runId: number }
  | { readonly type: 'resume'; readonly runId: number }
  | { readonly type: 'step'; readonly runId: number; readonly count: number }
  /**
   * At most `stepsPerSecond` (null: Max); with `untilStep`, only until that step, then Max; with
   * `subSteps`, the rate counts sub-steps, each followed by a snapshot (slow motion).
   */
  | { readonly type: 'setSpeed'; readonly runId: number; readonly stepsPerSecond: number | null; readonly untilStep?: number; readonly subSteps?: boolean }
  /** One half of a step while paused: the critic's updates, or the generator's (which completes the step). */
  | { readonly type: 'subStep'; readonly runId: number; readonly phase: SubStep }
  | { readonly type: 'requestCheckpoint'; readonly runId: number }
  /** The host has taken the last snapshot: snapshots are never posted faster than it reads them. */
  | { readonly type: 'ack'; readonly runId: number }
  | { readonly type: 'stop'; readonly runId: number }
  /** Load, validate and dry-run a definition without training (`gan-lens check`). */
  | { readonly type: 'check'; readonly requestId: number; readonly source: DefinitionSource };

// ---- worker → host -------------------------------------------------------------------

export type WorkerToHost =
  | { readonly type: 'ready'; readonly backend: BackendName }
  | { readonly type: 'loaded'; readonly runId: number; readonly version: number; readonly summary: DefinitionSummary; readonly restarted: boolean; readonly warnings: readonly Problem[] }
  | { readonly type: 'loadFailed'; readonly runId: number; readonly version: number; readonly problems: readonly Problem[] }
  | { readonly type: 'snapshot'; readonly snapshot: Snapshot }
  | { readonly type: 'state'; readonly runId: number; readonly state: RunState; readonly step: number; readonly reason?: string }
  | { readonly type: 'nonFinite'; readonly runId: number; readonly step: number; readonly what: string }
  /** The definition threw during training; the run is paused with the last good weights. */
  | { readonly type: 'runError'; readonly runId: number; readonly step: number; readonly problem: Problem }
  /** `dataDim` when the definition loaded (problems are then warnings only). */
  | { readonly type: 'checked'; readonly requestId: number; readonly problems: readonly Problem[]; readonly dataDim?: DataDim }
  | { readonly type: 'checkpoint'; readonly checkpoint: Checkpoint }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };

// ---- host → webview ------------------------------------------------------------------

export interface RunInfo {
  readonly runId: number;
  readonly title: string;
  readonly file?: string;
  readonly version: number;
  readonly summary?: DefinitionSummary;
  readonly backend?: BackendName;
  readonly engine?: EngineName;
  readonly state: RunState;
  /** The Speed control's setting, which the host keeps for every run of the window. */
  readonly speed?: Speed;
}

/** Which run a previous-run curve came from: the panel overlays it only on the same divergence. */
export interface PreviousSource {
  readonly divergence: string;
  /** The target's description: a curve of another target is not comparable either. */
  readonly target: string;
  /** File (or preset) and version, as the legend names the curve. */
  readonly label: string;
}

/** The source of a run's curves as a previous run, once its definition has loaded. */
export function previousSourceOf(run: RunInfo | undefined): PreviousSource | undefined {
  return run?.summary ? { divergence: run.summary.divergence, target: run.summary.target, label: `${run.file ?? run.title} v${run.version}` } : undefined;
}

/** Scalar history, column-wise: one array per key of ScalarMetrics, all of equal length. */
export type History = { readonly [K in keyof ScalarMetrics]: readonly number[] };

export interface ReloadMarker {
  readonly step: number;
  readonly version: number;
  readonly restarted: boolean;
  /**
   * What the version loaded here estimates and descends (summary.divergence and
   * effectiveObjective): after a loss swap, points before it are of another quantity.
   */
  readonly divergence?: string;
  readonly objective?: string;
}

export type HostToWebview =
  | { readonly type: 'run'; readonly run: RunInfo; readonly history: History; readonly markers: readonly ReloadMarker[]; readonly previous?: History; readonly previousFrom?: PreviousSource }
  | { readonly type: 'snapshot'; readonly snapshot: Snapshot }
  | { readonly type: 'runInfo'; readonly run: RunInfo }
  | { readonly type: 'marker'; readonly runId: number; readonly marker: ReloadMarker }
  | { readonly type: 'banner'; readonly level: BannerLevel; readonly message: string | null }
  /** A kept frame of the run's fields (downsampled) nearest to the step asked for, and the steps of all kept frames. */
  | { readonly type: 'frame'; readonly runId: number; readonly steps: readonly number[]; readonly snapshot?: Snapshot }
  /** Asks the webview for every chart as PNG or SVG; it answers with one 'export' per chart. */
  | { readonly type: 'requestExport'; readonly format: ChartFormat }
  | { readonly type: 'empty'; readonly message: string };

// ---- webview → host ------------------------------------------------------------------

export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'command'; readonly command: WebviewCommand; readonly count?: number }
  | { readonly type: 'setSpeed'; readonly speed: Speed }
  /** Time travel: the fields kept nearest to a step; and training again from the checkpoint at or before one. */
  | { readonly type: 'requestFrame'; readonly step: number }
  | { readonly type: 'branch'; readonly step: number }
  | { readonly type: 'export'; readonly format: ChartFormat; readonly name: string; readonly data: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a message from the webview against the protocol. The webview is a browser page;
 * anything it sends is treated as untrusted input.
 */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  if (!isRecord(value)) return undefined;
  switch (value['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'command': {
      const command = value['command'];
      const count = value['count'];
      if (!isOneOf(WEBVIEW_COMMANDS, command)) return undefined;
      if (count !== undefined && !(Number.isInteger(count) && (count as number) >= 1 && (count as number) <= 1_000_000)) return undefined;
      return count === undefined ? { type: 'command', command } : { type: 'command', command, count: count as number };
    }
    case 'setSpeed': {
      const speed = value['speed'];
      return isSpeed(speed) ? { type: 'setSpeed', speed } : undefined;
    }
    case 'requestFrame':
    case 'branch': {
      const step = value['step'];
      if (!(Number.isInteger(step) && (step as number) >= 0 && (step as number) <= Number.MAX_SAFE_INTEGER)) return undefined;
      return { type: value['type'], step: step as number };
    }
    case 'export': {
      const { format, name, data } = value;
      if (!isOneOf(CHART_FORMATS, format) || typeof name !== 'string' || typeof data !== 'string') return undefined;
      if (!/^[\w.-]{1,80}$/.test(name) || data.length > 50_000_000) return undefined;
      return { type: 'export', format, name, data };
    }
    default:
      return undefined;
  }
}

export type MutableHistory = { -readonly [K in keyof ScalarMetrics]: number[] };

export function emptyHistory(): MutableHistory {
  const h = {} as MutableHistory;
  for (const k of SCALAR_KEYS) h[k] = [];
  return h;
}

/**
 * VS Code JSON-encodes webview messages (typed arrays travel beside the JSON, intact), so NaN
 * and ±Infinity in plain numbers would arrive as null: a KL of +∞ would read as "no value".
 * The host sends them as `{ $nonFinite: 'NaN' | 'Infinity' | '-Infinity' }` and the webview
 * turns them back before checking the message.
 */
export function encodeNonFinite(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $nonFinite: String(value) };
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(encodeNonFinite);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = encodeNonFinite(v);
  return out;
}

const NON_FINITE: ReadonlyMap<unknown, number> = new Map([['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]]);

export function decodeNonFinite(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(decodeNonFinite);
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$nonFinite') {
    const n = NON_FINITE.get((value as { $nonFinite: unknown }).$nonFinite);
    if (n !== undefined) return n;
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = decodeNonFinite((value as Record<string, unknown>)[k]);
  return out;
}
