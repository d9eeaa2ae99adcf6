/**
 * The worker's side of one run: the step loop, pause/step/speed, snapshots at a bounded rate,
 * loss swaps and restarts on reload, checkpoints, and the NaN guard. The loop yields to the
 * event loop between slices so that host messages (pause, stop) are seen within milliseconds.
 */
import type { BackendName, Checkpoint, DefinitionSource, DefinitionSummary, HostToWorker, Problem, RunSettings, RunState, Snapshot, SnapshotArgs, SubStep, WorkerToHost } from '../protocol';
import { describeThrown } from '../errors';
import { lossKey, structureKey } from '../definition/definitionKeys';
import type { GanDefinition } from '../definition/types';
import type { Tf } from './backend';
import { createEngine } from './createEngine';
import { resolveDefinition } from './definitionSource';
import { NonFiniteError, type StepStats, type TrainingEngine } from './engine';
import { RunInspector, summarize } from './inspector';
import { formatCount } from '../numberFormat';
import { snapshotBuffers } from './snapshotBuffers';
import { SnapshotOffload, snapshotThreadPath } from './snapshotOffload';
import { SNAPSHOT_THREAD_SHARE, SnapshotPacing, snapshotShare, trainingKernelThreads } from './snapshotPacing';
import { StepPacer } from './stepPacer';

type Post = (message: WorkerToHost, transfer?: ArrayBuffer[]) => void;

/** Longest stretch of training before the loop yields to messages. */
const SLICE_MS = 10;
const CHECKPOINT_EVERY_MS = 3000;

export class TrainingRun {
  private trainer: TrainingEngine | undefined;
  private inspector: RunInspector | undefined;
  private state: RunState = 'loading';
  private version = 0;
  private stepBudget = 0;
  private pacer = new StepPacer(null, 0);
  /** The step from which the pacer's limit ends (a warm-up), or undefined. */
  private pacedUntil: number | undefined;
  /** Slow motion: the pacer counts sub-steps, and this one comes next. */
  private subSteps: SubStep | undefined;
  private awaitingAck = false;
  private lastSnapshot = 0;
  /** The step of the last snapshot posted: an older one from the snapshot thread is dropped. */
  private lastPostedStep = -1;
  /** 2-D: timed snapshots on a thread of their own (./snapshotOffload), while it works. */
  private offload: SnapshotOffload | undefined;
  private lastCheckpoint = 0;
  private lastStats: StepStats | undefined;
  private locate: (e: unknown) => Problem = (e) => ({ severity: 'error', message: describeThrown(e) });
  private timer: NodeJS.Immediate | NodeJS.Timeout | undefined;
  /** Recent (time, step) pairs: steps/s over the last two seconds. */
  private readonly rate: { window: { t: number; step: number }[] } = { window: [] };

  constructor(
    private readonly tf: Tf,
    private readonly backend: BackendName,
    readonly runId: number,
    private readonly settings: RunSettings,
    private readonly post: Post,
  ) {}

  async start(source: DefinitionSource, checkpoint?: Checkpoint): Promise<void> {
    this.setState('loading');
    const resolved = await resolveDefinition(this.tf, source);
    const version = source.kind === 'file' ? source.version : 0;
    if (!resolved.ok) {
      this.post({ type: 'loadFailed', runId: this.runId, version, problems: resolved.problems });
      this.setState('failed', resolved.problems[0]?.message);
      return;
    }
    const seed = this.settings.seed;
    this.install(seed === undefined ? resolved.definition : { ...resolved.definition, seed }, version, resolved.locate, source);
    if (checkpoint) await this.trainer!.restoreState(checkpoint.tensors, checkpoint.step);
    this.post({ type: 'loaded', runId: this.runId, version, summary: this.summary(), restarted: false, warnings: resolved.warnings });
    this.setState(this.settings.startPaused ? 'paused' : 'running');
    this.postSnapshot();
    this.schedule();
  }

  private install(definition: GanDefinition, version: number, locate: (e: unknown) => Problem, source: DefinitionSource): void {
    this.disposeModel();
    this.trainer = createEngine(this.tf, definition, this.settings.engine, this.warn, this.settings.kernelThreads ?? trainingKernelThreads(definition.dataDim, this.settings.snapshotThread));
    this.inspector = new RunInspector(this.trainer, this.settings);
    this.offloadTo(source);
    this.version = version;
    this.locate = locate;
    this.lastStats = undefined;
    this.lastPostedStep = -1;
    this.rate.window = [];
  }

  async handle(m: Exclude<HostToWorker, { type: 'start' } | { type: 'check' }>): Promise<void> {
    switch (m.type) {
      case 'pause':
        if (this.state === 'running') {
          this.setState('paused');
          // The panel shows the step the run paused at, not the last timed snapshot before it.
          this.postSnapshot();
        }
        break;
      case 'resume':
        if (this.state === 'paused' || this.state === 'finished') {
          this.setState('running');
          this.schedule();
        }
        break;
      case 'step':
        if (this.state === 'paused' || this.state === 'finished') {
          this.stepBudget += m.count;
          this.schedule();
        }
        break;
      case 'setSpeed':
        this.pacer = new StepPacer(m.stepsPerSecond, performance.now());
        this.pacedUntil = m.untilStep;
        this.subSteps = m.subSteps ? 'critic' : undefined;
        // The steps run since the last snapshot (dozens at full speed) would otherwise show
        // only with the next slow step, seconds later.
        if (this.state === 'running') this.postSnapshot();
        break;
      case 'subStep':
        if ((this.state === 'paused' || this.state === 'finished') && this.trainer) this.subStep(this.trainer, m.phase);
        break;
      case 'ack':
        this.awaitingAck = false;
        break;
      case 'requestCheckpoint':
        await this.postCheckpoint();
        break;
      case 'reload':
        await this.reload(m.source);
        break;
      case 'stop':
        this.setState('stopped');
        this.dispose();
        break;
      default: {
        const unreachable: never = m;
        throw new Error(`unhandled message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** A loss-only change is swapped in between two steps; anything structural restarts. */
  private async reload(source: DefinitionSource): Promise<void> {
    const version = source.kind === 'file' ? source.version : this.version + 1;
    if (version < this.version) return;
    const resolved = await resolveDefinition(this.tf, source);
    if (!resolved.ok) {
      this.post({ type: 'loadFailed', runId: this.runId, version, problems: resolved.problems });
      return;
    }
    const current = this.trainer?.definition;
    const restarted = !current || structureKey(current) !== structureKey(resolved.definition);
    if (restarted) {
      this.install(resolved.definition, version, resolved.locate, source);
    } else if (lossKey(current) !== lossKey(resolved.definition)) {
      this.trainer!.replaceLoss(resolved.definition);
      // The snapshot thread's copy takes the new loss too.
      this.offloadTo(source);
    }
    this.version = version;
    this.locate = resolved.locate;
    this.post({ type: 'loaded', runId: this.runId, version, summary: this.summary(), restarted, warnings: resolved.warnings });
    if (this.state === 'failed') this.setState('running');
    this.postSnapshot();
    this.schedule();
  }

  /** The loaded definition as the host and panel see it, with the loss's chance value. */
  private summary(): DefinitionSummary {
    const trainer = this.trainer!;
    const chance = trainer.loss.chance;
    return { ...summarize(trainer), ...(chance ? { chance } : {}) };
  }

  private readonly warn = (message: string): void => this.post({ type: 'log', level: 'warn', message });

  private setState(state: RunState, reason?: string): void {
    this.state = state;
    this.post({ type: 'state', runId: this.runId, state, step: this.trainer?.step ?? 0, ...(reason !== undefined ? { reason } : {}) });
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const wantsSteps = this.state === 'running' || this.stepBudget > 0;
    if (!wantsSteps || !this.trainer) return;
    const delay = this.pacer.delay(performance.now());
    const run = (): void => {
      this.timer = undefined;
      this.slice();
      this.schedule();
    };
    this.timer = delay === 0 ? setImmediate(run) : setTimeout(run, delay);
  }

  private slice(): void {
    const trainer = this.trainer;
    if (!trainer) return;
    const started = performance.now();
    const maxSteps = this.settings.maxSteps;
    if (this.pacedUntil !== undefined && trainer.step >= this.pacedUntil) {
      this.pacer = new StepPacer(null, started);
      this.pacedUntil = undefined;
    }
    const pacer = this.pacer;
    if (this.subSteps && this.state === 'running') {
      // Slow motion: one sub-step per token, each shown.
      if (pacer.due(performance.now()) >= 1 && this.subStep(trainer, this.subSteps)) {
        pacer.took(1);
        this.subSteps = this.subSteps === 'critic' ? 'generator' : 'critic';
      }
      return;
    }
    const every = this.settings.snapshotEvery;
    // Snapshots by step are all posted, read or not: the steps recorded are the point.
    // On the snapshot thread a snapshot costs training nothing; its own share of a core bounds it. On
    // this thread, a speed limit that leaves it idle lets snapshots use that time (a slow run drawn in detail).
    const snapshotInterval = every !== undefined ? Infinity
      : this.offload?.alive ? this.offloadPacing.interval(this.settings.snapshotRate)
        : this.snapshotPacing.interval(this.settings.snapshotRate, snapshotShare(pacer.rate, this.stepMs));
    let stepped = 0;
    while ((this.state === 'running' || this.stepBudget > 0) && pacer.due(performance.now()) >= 1) {
      if (!this.trainOne(trainer)) return;
      pacer.took(1);
      stepped++;
      if (this.stepBudget > 0) this.stepBudget--;
      if (maxSteps !== undefined && trainer.step >= maxSteps) {
        this.stepBudget = 0;
        // The grid (or lattice) follows the generator from snapshot to snapshot, and when snapshots
        // fall depends on the clock: a fresh one makes the final numbers a function of the weights
        // alone, so a run repeated with the same seed reports the same figures.
        this.inspector = new RunInspector(trainer, this.settings);
        this.postSnapshot();
        this.setState('finished');
        return;
      }
      if (every !== undefined && trainer.step % every === 0) this.postSnapshot();
      const now = performance.now();
      if (now - started > SLICE_MS || now - this.lastSnapshot >= snapshotInterval) break;
    }
    const now = performance.now();
    if (stepped > 0) this.stepMs = 0.9 * this.stepMs + 0.1 * ((now - started) / stepped);
    if (now - this.lastSnapshot >= snapshotInterval && !this.awaitingAck) this.postTimedSnapshot();
    if (this.stepBudget === 0 && this.state !== 'running') this.postSnapshot();
    if (Date.now() - this.lastCheckpoint > CHECKPOINT_EVERY_MS) void this.postCheckpoint();
  }

  /** Half a step, then a snapshot that says which half; false when it failed (the run is paused). */
  private subStep(trainer: TrainingEngine, phase: SubStep): boolean {
    const ok = this.guarded(trainer, () => {
      if (phase === 'critic') trainer.trainCritic();
      else this.lastStats = trainer.trainGenerator();
    });
    if (ok) this.postSnapshot(phase);
    return ok;
  }

  /** One step; on a non-finite value or an exception, pauses with the weights untouched. */
  private trainOne(trainer: TrainingEngine): boolean {
    return this.guarded(trainer, () => {
      this.lastStats = trainer.trainStep();
    });
  }

  private guarded(trainer: TrainingEngine, train: () => void): boolean {
    try {
      train();
      return true;
    } catch (e) {
      this.stepBudget = 0;
      // The panel shows the last good state the run is paused at.
      this.postSnapshot();
      if (e instanceof NonFiniteError) {
        this.post({ type: 'nonFinite', runId: this.runId, step: e.step, what: e.what });
        this.setState('paused', e.message);
      } else {
        const problem = this.locate(e);
        this.post({ type: 'runError', runId: this.runId, step: trainer.step + 1, problem });
        this.setState('paused', `step ${formatCount(trainer.step + 1)}: ${problem.message}`);
      }
      return false;
    }
  }

  private lastSnapshotFailure = '';
  /** Moving average of a training step's time (ms), for the snapshots' share under a speed limit. */
  private stepMs = 0;
  private readonly snapshotPacing = new SnapshotPacing();
  private readonly offloadPacing = new SnapshotPacing(SNAPSHOT_THREAD_SHARE);

  private stepsPerSecondNow(step: number): number {
    const now = performance.now();
    const w = this.rate.window;
    w.push({ t: now, step });
    while (w.length > 2 && now - w[0]!.t > 2000) w.shift();
    const first = w[0]!;
    return now > first.t ? ((step - first.step) * 1000) / (now - first.t) : 0;
  }

  private snapshotArgs(trainer: TrainingEngine): SnapshotArgs {
    return { runId: this.runId, version: this.version, backend: this.backend, stats: this.lastStats, stepsPerSecond: this.stepsPerSecondNow(trainer.step) };
  }

  /** 2-D runs inspect on a thread of their own when one can start (dist/snapshotThread.js beside this bundle). */
  private offloadTo(source: DefinitionSource): void {
    const trainer = this.trainer;
    if (!trainer || trainer.target.dataDim !== 2 || this.settings.snapshotThread === false) {
      this.offload?.dispose();
      this.offload = undefined;
      return;
    }
    if (!this.offload?.alive) {
      const file = snapshotThreadPath();
      if (!file) return;
      this.offload = new SnapshotOffload(file, this.settings.backend, {
        snapshot: (s, computeMs) => this.postOffloaded(s, computeMs),
        failed: (reason) => this.warn(`2-D snapshots are back on the training thread, which slows training: ${reason}`),
      });
    }
    this.offload.load(source, trainer.definition.seed, this.settings, trainer.name);
  }

  /** A timed snapshot: on the snapshot thread while it is alive (skipped while it is busy), else here. */
  private postTimedSnapshot(): void {
    const trainer = this.trainer;
    if (!trainer) return;
    if (this.offload?.alive) {
      // Busy or still loading: try again one interval later rather than at every step.
      this.lastSnapshot = performance.now();
      this.offload.request(trainer, this.snapshotArgs(trainer));
      return;
    }
    this.postSnapshot();
  }

  private postOffloaded(s: Snapshot, computeMs: number): void {
    // The thread's own time, not the round trip: the reply waits for this loop's slice of training
    // (up to SLICE_MS) and the messages, time in which the snapshot thread uses no core.
    this.offloadPacing.took(computeMs);
    // A snapshot posted here meanwhile (a pause, a reload) is newer, and the host has not taken it yet.
    if (s.runId !== this.runId || this.awaitingAck || s.metrics.step < this.lastPostedStep) return;
    this.send(s);
  }

  private send(snapshot: Snapshot): void {
    this.awaitingAck = true;
    this.lastPostedStep = snapshot.metrics.step;
    this.post({ type: 'snapshot', snapshot }, snapshotBuffers(snapshot));
  }

  private postSnapshot(subStep?: SubStep): void {
    const trainer = this.trainer;
    const inspector = this.inspector;
    if (!trainer || !inspector) return;
    this.lastSnapshot = performance.now();
    let snapshot: ReturnType<RunInspector['snapshot']>;
    try {
      snapshot = inspector.snapshot(this.snapshotArgs(trainer));
      if (subStep) snapshot = { ...snapshot, subStep };
    } catch (e) {
      // What the panel shows failed, not training: say so once and keep the run (restarting the worker would not help).
      const reason = describeThrown(e);
      if (reason !== this.lastSnapshotFailure) this.warn(`the snapshot at step ${formatCount(trainer.step)} could not be computed (${reason}); training continues`);
      this.lastSnapshotFailure = reason;
      return;
    }
    this.send(snapshot);
    this.snapshotPacing.took(performance.now() - this.lastSnapshot);
  }

  private async postCheckpoint(): Promise<void> {
    const trainer = this.trainer;
    if (!trainer) return;
    this.lastCheckpoint = Date.now();
    const step = trainer.step;
    const tensors = await trainer.saveState();
    if (trainer !== this.trainer) return;
    this.post({ type: 'checkpoint', checkpoint: { runId: this.runId, step, version: this.version, tensors } }, tensors.map((t) => t.data.buffer as ArrayBuffer));
  }

  private disposeModel(): void {
    this.trainer?.dispose();
    this.trainer = undefined;
    this.inspector = undefined;
  }

  dispose(): void {
    this.offload?.dispose();
    this.offload = undefined;
    if (this.timer !== undefined) {
      clearImmediate(this.timer as NodeJS.Immediate);
      clearTimeout(this.timer as NodeJS.Timeout);
      this.timer = undefined;
    }
    this.disposeModel();
  }
}
