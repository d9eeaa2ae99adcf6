/**
 * The window's comparison (one at a time, as there is one run): checks the definitions and runs
 * every definition × seed through session/compareRuns.ts, the machinery `gan-lens compare` uses,
 * and keeps what the compare panel shows: each cell's state, curves and final densities, and the
 * table. The panel is told of every change; Stop stops every run and waits for their threads.
 */
import * as vscode from 'vscode';
import { CURVE_KEYS, type CellFinal, type CellInfo, type CellCurves, type CompareInfo, type CompareKind, type CompareRow, type CompareState, type CurvePoint, type HostToCompare } from '../compareProtocol';
import type { Snapshot } from '../protocol';
import { defaultJobs, layoutCells, planCompare, runCompare, type CompareCell, type CompareDefinition, type CompareSettings } from '../session/compareRuns';
import { compareRows, type CellResult } from '../session/compareStats';
import type { HistoryBuffer } from '../session/history';
import type { TrainingSession } from '../session/trainingSession';
import { readConfig } from './config';
import { Disposable } from './dispose';

export interface CompareRequest {
  readonly kind: CompareKind;
  readonly title: string;
  readonly definitions: readonly CompareDefinition[];
  readonly seeds: readonly number[];
  readonly steps: number;
}

interface Cell {
  info: CellInfo;
  session?: TrainingSession;
  history?: HistoryBuffer;
  final?: CellFinal;
  result?: CellResult;
}

let nextId = 1;

const point = (s: Snapshot): CurvePoint => {
  const m = s.metrics;
  return { step: m.step, analytic: m.analytic, jsd: m.jsd, kl: m.kl, reverseKl: m.reverseKl, wasserstein1: m.wasserstein1 };
};

/** What the panel draws of a finished run: q (and p) on its grid or lattice. */
function finalOf(s: Snapshot): CellFinal {
  const plane = s.plane;
  if (!plane) return { dataDim: 1, x: s.x, p: s.p, q: s.q };
  const modes = plane.modes;
  return { dataDim: 2, x: plane.x, y: plane.y, p: plane.p, q: plane.q, ...(modes ? { modes: { means: modes.means, covered: modes.covered, of: modes.of } } : {}) };
}

function curvesOf(history: HistoryBuffer | undefined): CellCurves {
  const h = history?.snapshot();
  return { step: h?.step ?? [], ...Object.fromEntries(CURVE_KEYS.map((k) => [k, h?.[k] ?? []])) } as CellCurves;
}

export class CompareController extends Disposable {
  private info: CompareInfo | undefined;
  private cells: Cell[] = [];
  private rows: CompareRow[] = [];
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private readonly live = new Set<TrainingSession>();
  private readonly messages = this.register(new vscode.EventEmitter<HostToCompare>());
  /** Everything the compare panel needs to know, in protocol form. */
  readonly onMessage = this.messages.event;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** The comparison started, changed state or ended (context keys). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly workerPath: string, private readonly log: vscode.LogOutputChannel) {
    super();
  }

  get current(): CompareInfo | undefined {
    return this.info;
  }

  /** Whether runs are being checked or trained. */
  get active(): boolean {
    return this.info?.state === 'checking' || this.info?.state === 'running';
  }

  /** Each cell's state, in the panel's order (tests). */
  get cellStates(): readonly CellInfo[] {
    return this.cells.map((c) => c.info);
  }

  /** The sessions whose workers are training now (tests: Stop must end every one). */
  get liveSessions(): readonly TrainingSession[] {
    return [...this.live];
  }

  /** What a freshly opened panel needs: the whole comparison so far. */
  replay(): HostToCompare[] {
    const info = this.info;
    if (!info) return [{ type: 'empty', message: 'No comparison yet. Run "GAN: Compare Runs…" to train several loss definitions × seeds side by side, or "GAN: Compare f-GAN Fits".' }];
    return [{
      type: 'compare', compare: info, cells: this.cells.map((c) => c.info), curves: this.cells.map((c) => curvesOf(c.history)),
      finals: this.cells.map((c) => c.final ?? null), rows: this.rows,
    }];
  }

  /** Replaces the current comparison with a new one; returns once it has started. */
  async start(request: CompareRequest): Promise<void> {
    if (!vscode.workspace.isTrusted && request.definitions.some((d) => d.source.kind === 'file')) {
      throw new Error('loss definition files run only in trusted workspaces; compare built-in presets (GAN: Compare f-GAN Fits) instead');
    }
    await this.stop();
    // One row per definition: a definition named twice is one definition.
    const definitions = request.definitions.filter((d, i) => request.definitions.findIndex((e) => e.label === d.label) === i);
    if (definitions.length === 0 || request.seeds.length === 0) throw new Error('a comparison needs at least one definition and one seed');
    request = { ...request, definitions };
    const id = nextId++;
    this.info = { id, kind: request.kind, title: request.title, steps: request.steps, seeds: request.seeds, state: 'checking', definitions: request.definitions.map((d) => d.label) };
    this.cells = layoutCells(request.definitions.length, request.seeds).map((c) => ({ info: { definition: c.definition, seed: c.seed, state: 'queued', step: 0 } }));
    this.rows = [];
    const abort = new AbortController();
    this.abort = abort;
    this.post();
    this.changed.fire();
    this.running = this.run(id, request, abort.signal).catch((e: unknown) => {
      this.log.error(`comparison ${request.title}: ${String(e)}`);
      if (this.info?.id === id) this.setState('stopped', String(e));
    });
  }

  /** Stops every run of the comparison and waits until their worker threads have ended. */
  async stop(): Promise<void> {
    this.abort?.abort('stopped');
    await this.running;
  }

  private settings(request: CompareRequest): CompareSettings {
    const config = readConfig();
    return {
      steps: request.steps, jobs: defaultJobs(), backend: config.backend, engine: config.engine,
      latticeSide: config.latticeSide, latentSide: config.latentSide, workerPath: this.workerPath, historyLength: config.historyLength,
    };
  }

  private async run(id: number, request: CompareRequest, signal: AbortSignal): Promise<void> {
    const settings = this.settings(request);
    const plan = await planCompare(request.definitions, request.seeds, settings, signal);
    if (!plan.ok) {
      this.markStopped();
      this.setState(signal.aborted ? 'stopped' : 'refused', plan.reason);
      if (!signal.aborted) void vscode.window.showErrorMessage(`GAN Lens: ${plan.reason}`);
      return;
    }
    this.setState('running', undefined, plan.dataDim);
    const results = await runCompare(plan, settings, {
      started: (cell, session) => {
        this.live.add(session);
        Object.assign(this.cells[cell.index]!, { session, history: session.history });
        this.setCell(cell, { state: 'loading' });
        // A replaced worker retrains from its checkpoint: the curve's last points go; the panel gets it again whole.
        session.on('recovered', () => this.post());
      },
      loaded: (cell) => this.setCell(cell, { state: 'running' }),
      snapshot: (cell, s) => {
        this.cells[cell.index]!.info = { ...this.cells[cell.index]!.info, step: s.metrics.step };
        this.messages.fire({ type: 'point', id, index: cell.index, point: point(s) });
      },
      done: (cell, result, outcome) => {
        const c = this.cells[cell.index]!;
        c.result = result;
        if (outcome?.ok) {
          c.final = finalOf(outcome.last);
          this.messages.fire({ type: 'final', id, index: cell.index, final: c.final });
        }
        if (c.session) this.live.delete(c.session);
        this.setCell(cell, result.error === undefined ? { state: 'finished', step: request.steps } : { state: 'failed', error: result.error });
        this.rows = compareRows(this.cells.map((x) => x.result).filter((r): r is CellResult => r !== undefined).sort((a, b) => order(request, a) - order(request, b) || a.seed - b.seed));
        this.messages.fire({ type: 'rows', id, rows: this.rows });
      },
    }, signal);
    this.live.clear();
    const stopped = results.some((r) => r === undefined);
    this.markStopped();
    this.setState(stopped ? 'stopped' : 'finished', stopped ? 'Stopped: the runs that had not finished were ended.' : undefined);
  }

  /** Cells that never reached an end of their own were stopped. */
  private markStopped(): void {
    this.cells.forEach((c, index) => {
      if (c.info.state !== 'finished' && c.info.state !== 'failed') this.setCell({ index }, { state: 'stopped' });
    });
  }

  private setCell(cell: Pick<CompareCell, 'index'>, change: Partial<CellInfo>): void {
    const c = this.cells[cell.index]!;
    c.info = { ...c.info, ...change };
    if (this.info) this.messages.fire({ type: 'cell', id: this.info.id, index: cell.index, cell: c.info });
  }

  private setState(state: CompareState, message?: string, dataDim = this.info?.dataDim): void {
    if (!this.info) return;
    // A state without a message clears the last one.
    this.info = { ...this.info, state, message, ...(dataDim !== undefined ? { dataDim } : {}) };
    this.messages.fire({ type: 'state', id: this.info.id, state, ...(message !== undefined ? { message } : {}), ...(dataDim !== undefined ? { dataDim } : {}) });
    this.changed.fire();
  }

  private post(): void {
    for (const m of this.replay()) this.messages.fire(m);
  }

  override dispose(): void {
    this.abort?.abort('stopped');
    super.dispose();
  }
}

/** Definition-major, as the table reads. */
const order = (request: CompareRequest, r: CellResult): number => request.definitions.findIndex((d) => d.label === r.definition);
