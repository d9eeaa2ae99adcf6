/**
 * A comparison: every definition × seed as its own headless run (trainOnce, so a cell equals
 * the run made alone), K at a time in worker threads of their own. Shared by `gan-lens compare`
 * and the compare panel. Before anything trains, each definition is checked once: definitions
 * of different dimensions are refused, and one that does not load fails its cells with its
 * message while the others run.
 */
import * as os from 'node:os';
import type { DataDim } from '../core/dataTarget';
import { FGAN_FITS, fganFitPreset, PRESETS } from '../definition/presets';
import { describeThrown } from '../errors';
import type { DefinitionSource, DefinitionSummary, Problem, Snapshot } from '../protocol';
import { checkDefinition } from './checkDefinition';
import type { CellResult } from './compareStats';
import { presetLabel, trainOnce, type RunHost, type RunOptions, type RunOutcome } from './headlessRun';
import { formatProblem } from './problemLine';
import type { TrainingSession } from './trainingSession';
import { bundledWorkerPath } from './workerPath';

export interface CompareDefinition {
  /** How tables name it (a path, or `preset <name>`). */
  readonly label: string;
  readonly source: DefinitionSource;
}

export interface CompareCell {
  /** Position in the plan's cells. */
  readonly index: number;
  /** Index into the plan's definitions. */
  readonly definition: number;
  readonly seed: number;
}

export type CompareSettings = Omit<RunOptions, 'seed'> & RunHost & {
  /** Runs at once. */
  readonly jobs: number;
  /** How long loading a definition for the check may take. */
  readonly checkTimeoutMs?: number;
};

export type ComparePlan =
  | { readonly ok: false; readonly reason: string }
  | {
    readonly ok: true;
    readonly definitions: readonly CompareDefinition[];
    /** In the order of layoutCells. */
    readonly cells: readonly CompareCell[];
    /** The dimension every definition that loaded shares (undefined when none loaded). */
    readonly dataDim: DataDim | undefined;
    /** Per definition: why it did not load, or undefined. */
    readonly failures: readonly (string | undefined)[];
  };

export interface CompareHooks {
  /** A cell's run has started: its session (and worker) exists. */
  readonly started?: (cell: CompareCell, session: TrainingSession) => void;
  readonly loaded?: (cell: CompareCell, summary: DefinitionSummary) => void;
  readonly snapshot?: (cell: CompareCell, s: Snapshot, session: TrainingSession) => void;
  /** A cell ended by itself (finished or failed); `outcome` is absent for a cell whose definition did not load. */
  readonly done?: (cell: CompareCell, result: CellResult, outcome: RunOutcome | undefined) => void;
}

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

/** Runs at once by default: one per core. */
export const defaultJobs = (): number => Math.max(1, os.availableParallelism());

/** Runs `task(i)` for i in [0, count), at most `jobs` at a time, in order of i. */
async function inPool(count: number, jobs: number, task: (i: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < count && !signal?.aborted; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, count)) }, lane));
}

const problemText = (problems: readonly Problem[], label: string): string => problems.map((p) => formatProblem(p, label)).join('; ') || 'the definition could not be loaded';

/** A preset's dimension on the host: a preset is GAN Lens's own code, not the person's. */
function presetDimension(name: string): { dataDim: DataDim } | { problem: string } {
  const preset = PRESETS[name];
  if (!preset) return { problem: `unknown preset '${name}'` };
  try {
    return { dataDim: preset.build().dataDim };
  } catch (e) {
    return { problem: describeThrown(e) };
  }
}

/** Seed-major: every definition's first seed comes before any second seed, so each definition shows early. */
export function layoutCells(definitions: number, seeds: readonly number[]): CompareCell[] {
  return seeds.flatMap((seed, s) => Array.from({ length: definitions }, (_, d) => ({ index: s * definitions + d, definition: d, seed })));
}

/** Checks every definition (files in worker threads, `jobs` at a time) and lays out the cells. */
export async function planCompare(definitions: readonly CompareDefinition[], seeds: readonly number[], settings: CompareSettings, signal?: AbortSignal): Promise<ComparePlan> {
  const dims: (DataDim | undefined)[] = new Array(definitions.length).fill(undefined);
  const failures: (string | undefined)[] = new Array(definitions.length).fill(undefined);
  const workerPath = settings.workerPath ?? bundledWorkerPath();
  await inPool(definitions.length, settings.jobs, async (i) => {
    const { label, source } = definitions[i]!;
    if (source.kind === 'preset') {
      const found = presetDimension(source.name);
      if ('dataDim' in found) dims[i] = found.dataDim;
      else failures[i] = `${label}: ${found.problem}`;
      return;
    }
    const checked = await checkDefinition(source, workerPath, settings.backend, settings.checkTimeoutMs ?? 15_000, signal);
    if (checked.dataDim !== undefined) dims[i] = checked.dataDim;
    else failures[i] = problemText(checked.problems.filter((p) => p.severity === 'error'), label);
  }, signal);
  if (signal?.aborted) return { ok: false, reason: String(signal.reason ?? 'stopped') };
  const first = dims.findIndex((d) => d !== undefined);
  const other = dims.findIndex((d) => d !== undefined && d !== dims[first]);
  if (other >= 0) {
    return { ok: false, reason: `${definitions[other]!.label} is ${dims[other]}-D but ${definitions[first]!.label} is ${dims[first]}-D: compare definitions of one dimension` };
  }
  return { ok: true, definitions, cells: layoutCells(definitions.length, seeds), dataDim: dims[first], failures };
}

/**
 * Runs the plan's cells. Returns each cell's result in the plan's order; a cell that the signal
 * stopped (running or not yet started) has none.
 */
export async function runCompare(plan: Extract<ComparePlan, { ok: true }>, settings: CompareSettings, hooks: CompareHooks = {}, signal?: AbortSignal): Promise<(CellResult | undefined)[]> {
  const results: (CellResult | undefined)[] = new Array(plan.cells.length).fill(undefined);
  // A definition that did not load fails each of its cells at once, with the check's message.
  for (const cell of plan.cells) {
    const failure = plan.failures[cell.definition];
    if (failure === undefined) continue;
    results[cell.index] = { definition: plan.definitions[cell.definition]!.label, seed: cell.seed, error: failure };
    hooks.done?.(cell, results[cell.index]!, undefined);
  }
  const runnable = plan.cells.filter((c) => plan.failures[c.definition] === undefined);
  await inPool(runnable.length, settings.jobs, async (k) => {
    const cell = runnable[k]!;
    const { label, source } = plan.definitions[cell.definition]!;
    // Several runs at once already fill the cores: each keeps its products on its own thread.
    const kernelThreads = settings.jobs > 1 ? 1 : settings.kernelThreads;
    const outcome = await trainOnce(source, label, { ...settings, seed: cell.seed, ...(kernelThreads !== undefined ? { kernelThreads } : {}) }, {
      ...(signal ? { signal } : {}),
      started: (session) => hooks.started?.(cell, session),
      loaded: (summary) => hooks.loaded?.(cell, summary),
      snapshot: (s, session) => hooks.snapshot?.(cell, s, session),
    });
    if (!outcome.ok && signal?.aborted) return;
    const result: CellResult = outcome.ok ? { definition: label, seed: cell.seed, summary: outcome.summary } : { definition: label, seed: cell.seed, error: problemText(outcome.problems, label) };
    results[cell.index] = result;
    hooks.done?.(cell, result, outcome);
  }, signal);
  return results;
}

/** A built-in definition as a comparison names it. */
export const presetDefinition = (name: string): CompareDefinition => ({ label: presetLabel(name), source: { kind: 'preset', name } });

/** The f-GAN paper's experiment (Nowozin et al. 2016 §4): one Gaussian fit per f-divergence of the catalog. */
export const fganFitDefinitions = (): CompareDefinition[] => FGAN_FITS.divergences.map((d) => presetDefinition(fganFitPreset(d)));
