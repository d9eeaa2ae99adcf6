/**
 * A comparison of several definitions × several seeds: the table both the CLI and the compare
 * panel show (mean ± sd over seeds per definition), and every message between the host and the
 * compare panel. Imported by the host and the webview, so free of Node, DOM and vscode imports,
 * like protocol.ts.
 */
import type { DataDim } from './core/dataTarget';
import { isOneOf, type PlaneAxis, type ScalarMetrics } from './protocol';

// ---- the table ----------------------------------------------------------------------------

/** The per-seed figures a definition's row is the mean ± sd of (names as in the CLI's JSON). */
export const STAT_KEYS = ['divergence', 'jsd', 'kl', 'reverse_kl', 'wasserstein1', 'modes', 'stepsPerSecond'] as const;
export type StatKey = (typeof STAT_KEYS)[number];

export interface MeanSd {
  readonly mean: number;
  readonly sd: number;
  /** Seeds the figure is over. */
  readonly n: number;
}

/** 1-D: mean and std of the generated values; 2-D: mean [x, y] and covariance [[a, b], [b, c]]. */
export type GeneratorMoments =
  | { readonly mean: number; readonly std: number }
  | { readonly mean: readonly [number, number]; readonly cov: readonly [readonly [number, number], readonly [number, number]] };

export interface SeedValues {
  readonly seed: number;
  readonly divergence: number;
  readonly jsd: number;
  readonly kl: number;
  readonly reverse_kl: number;
  readonly wasserstein1: number;
  readonly modes?: number;
  readonly generator: GeneratorMoments;
  readonly stepsPerSecond: number;
  /** The final weights' checksum: equal for a cell and the same run made alone. */
  readonly weightsChecksum: string;
}

export interface SummaryStats {
  readonly loss?: string;
  readonly target?: string;
  /** The symbol of the divergence the definition's critic estimates (JSD, KL(P‖Q), W₁…). */
  readonly divergenceName?: string;
  /** Mixture targets in 2-D: how many modes there are. */
  readonly modes?: number;
  readonly seeds: readonly SeedValues[];
  readonly failed: readonly { readonly seed: number; readonly error: string }[];
  readonly summary: Partial<Record<StatKey, MeanSd>>;
}

/** The f-GAN fits experiment: the trained Gaussian over seeds next to the divergence's exact optimum from the same start. */
export interface GaussianFitRow {
  /** The f-divergence's machine name (kl, reverse_kl, …). */
  readonly divergence: string;
  readonly mean?: MeanSd;
  readonly std?: MeanSd;
  readonly optimum: { readonly mean: number; readonly std: number; readonly value: number };
}

/** One definition's row: its label, the mean ± sd over its seeds, and its fit in the f-GAN experiment. */
export interface CompareRow extends SummaryStats {
  readonly definition: string;
  readonly fit?: GaussianFitRow;
}

/** The targets of the rows, when they are not all one: their divergences are then not on one scale. */
export function mixedTargets(rows: readonly Pick<CompareRow, 'target'>[]): string[] | undefined {
  const targets = [...new Set(rows.map((r) => r.target).filter((t): t is string => t !== undefined))];
  return targets.length > 1 ? targets : undefined;
}

// ---- the panel's state ----------------------------------------------------------------------

export const COMPARE_KINDS = ['runs', 'fganFits'] as const;
export type CompareKind = (typeof COMPARE_KINDS)[number];
/** checking: the definitions load once, for their dimension and errors, before any training. */
export const COMPARE_STATES = ['checking', 'running', 'finished', 'stopped', 'refused'] as const;
export type CompareState = (typeof COMPARE_STATES)[number];
export const CELL_STATES = ['queued', 'loading', 'running', 'finished', 'failed', 'stopped'] as const;
export type CellState = (typeof CELL_STATES)[number];
/** The curves the panel overlays, one per cell: keys of ScalarMetrics (analytic = each definition's own divergence). */
export const CURVE_KEYS = ['analytic', 'jsd', 'kl', 'reverseKl', 'wasserstein1'] as const satisfies readonly (keyof ScalarMetrics)[];
export type CurveKey = (typeof CURVE_KEYS)[number];

export interface CompareInfo {
  /** Changes with every comparison: messages of an older one are dropped. */
  readonly id: number;
  readonly kind: CompareKind;
  readonly title: string;
  readonly steps: number;
  readonly seeds: readonly number[];
  readonly state: CompareState;
  /** Why it was refused or stopped, or what it is waiting for. */
  readonly message?: string;
  readonly dataDim?: DataDim;
  /** The definitions in the table's order; cell k belongs to definition `cells[k].definition`. */
  readonly definitions: readonly string[];
}

export interface CellInfo {
  /** Index into CompareInfo.definitions. */
  readonly definition: number;
  readonly seed: number;
  readonly state: CellState;
  readonly step: number;
  /** Why the cell failed. */
  readonly error?: string;
}

/** One cell's curves over steps, column-wise, all of one length. */
export type CellCurves = { readonly [K in 'step' | CurveKey]: readonly number[] };
export type CurvePoint = { readonly [K in 'step' | CurveKey]: number };

/** What the density chart (1-D) or the small multiples (2-D) show of a finished cell. */
export type CellFinal =
  | { readonly dataDim: 1; readonly x: Float32Array; readonly p: Float32Array; readonly q: Float32Array }
  | {
    readonly dataDim: 2; readonly x: PlaneAxis; readonly y: PlaneAxis; readonly p: Float32Array; readonly q: Float32Array;
    /** Mixture targets: the modes' means, row-major [of, 2], and how many Q covers. */
    readonly modes?: { readonly means: Float32Array; readonly covered: number; readonly of: number };
  };

// ---- host → compare panel ---------------------------------------------------------------------

export type HostToCompare =
  /** Everything: sent on 'ready' and when a comparison starts. */
  | { readonly type: 'compare'; readonly compare: CompareInfo; readonly cells: readonly CellInfo[]; readonly curves: readonly CellCurves[]; readonly finals: readonly (CellFinal | null)[]; readonly rows: readonly CompareRow[] }
  | { readonly type: 'state'; readonly id: number; readonly state: CompareState; readonly message?: string; readonly dataDim?: DataDim }
  | { readonly type: 'cell'; readonly id: number; readonly index: number; readonly cell: CellInfo }
  | { readonly type: 'point'; readonly id: number; readonly index: number; readonly point: CurvePoint }
  | { readonly type: 'final'; readonly id: number; readonly index: number; readonly final: CellFinal }
  | { readonly type: 'rows'; readonly id: number; readonly rows: readonly CompareRow[] }
  | { readonly type: 'empty'; readonly message: string };

// ---- compare panel → host ---------------------------------------------------------------------

/** What the panel's buttons ask the host to start (the palette's commands of the same names). */
export const COMPARE_PANEL_COMMANDS = ['compareRuns', 'compareFganFits'] as const;
export type ComparePanelCommand = (typeof COMPARE_PANEL_COMMANDS)[number];

export type CompareToHost =
  | { readonly type: 'ready' }
  /** Stop every run of the comparison. */
  | { readonly type: 'stop' }
  | { readonly type: 'command'; readonly command: ComparePanelCommand };

/** Checks a message from the compare panel: anything a webview sends is untrusted input. */
export function parseCompareMessage(value: unknown): CompareToHost | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  switch ((value as Record<string, unknown>)['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'stop':
      return { type: 'stop' };
    case 'command': {
      const command = (value as Record<string, unknown>)['command'];
      return isOneOf(COMPARE_PANEL_COMMANDS, command) ? { type: 'command', command } : undefined;
    }
    default:
      return undefined;
  }
}
