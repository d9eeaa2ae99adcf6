/**
 * The host's side of a run, shared by the extension and the CLI: owns the worker thread,
 * the run's history and its latest checkpoint. If the worker dies or stops answering, a new
 * one continues from the checkpoint; three deaths within a minute pause the run instead.
 */
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type {
  BackendName, Checkpoint, DefinitionSource, DefinitionSummary, EngineName, History, HostToWorker, Problem,
  ReloadMarker, RunSettings, RunState, Snapshot, SubStep, WorkerToHost,
} from '../protocol';
import { HistoryBuffer } from './history';
import { rowExtras } from '../metricsCsv';
import { CHECKPOINT_CAPACITY, FRAME_CAPACITY, ThinnedSteps, frameOf, type CheckpointHistory, type FrameHistory } from './fieldHistory';
import { WORKER_RESOURCE_LIMITS } from './workerPath';
import { describeThrownWithStack } from '../errors';
import { formatCount } from '../numberFormat';

export interface SessionOptions {
  /** The bundled worker entry (dist/worker.js). */
  readonly workerPath: string;
  readonly settings: RunSettings;
  readonly historyLength: number;
  /** A step or load taking longer than this replaces the worker. */
  readonly stepTimeLimitMs: number;
}

export interface SessionEvents {
  snapshot: [Snapshot];
  loaded: [{ version: number; summary: DefinitionSummary; restarted: boolean; warnings: readonly Problem[]; previous: History | undefined }];
  loadFailed: [{ version: number; problems: readonly Problem[] }];
  state: [RunState, string | undefined];
  nonFinite: [{ step: number; what: string }];
  runError: [{ step: number; problem: Problem }];
  marker: [ReloadMarker];
  recovered: [string];
  /** A checkpoint arrived from the worker (every few seconds, and on request). */
  checkpoint: [Checkpoint];
  log: ['info' | 'warn' | 'error', string];
}

/** What a run leaves behind to be continued later (after Stop, or in a new window: ../extension/runStore). */
export interface SavedRun {
  readonly summary: DefinitionSummary;
  readonly version: number;
  readonly history: History;
  readonly markers: readonly ReloadMarker[];
  readonly checkpoint: Checkpoint;
  readonly latest?: Snapshot;
}

/** How long Stop waits for the worker's last checkpoint before it ends the thread anyway. */
const STOP_CHECKPOINT_MS = 2000;

const DEATHS_TO_GIVE_UP = 3;
const DEATH_WINDOW_MS = 60_000;

let nextRunId = 1;

export class TrainingSession extends EventEmitter<SessionEvents> {
  readonly runId = nextRunId++;
  readonly history: HistoryBuffer;
  /** Downsampled 1-D fields of some snapshots, and some checkpoints: going back in time, branching. */
  readonly frames: FrameHistory = new ThinnedSteps(FRAME_CAPACITY);
  readonly checkpoints: CheckpointHistory = new ThinnedSteps(CHECKPOINT_CAPACITY);
  state: RunState = 'loading';
  summary: DefinitionSummary | undefined;
  backend: BackendName | undefined;
  engine: EngineName | undefined;
  version = 0;
  latest: Snapshot | undefined;
  private worker: Worker | undefined;
  private checkpoint: Checkpoint | undefined;
  /** The last source that loaded: a recovered worker starts from it, not from a broken edit. */
  private goodSource: DefinitionSource;
  private deaths: number[] = [];
  private lastHeard = Date.now();
  private waitingForLoad = true;
  /** When steps were asked of a paused run and the worker has not answered yet. */
  private stepRequestedAt: number | undefined;
  /** The speed limit set by the person (until a step, for a warm-up); a throttled run is silent between its steps. */
  private stepsPerSecond: number | null = null;
  private pacedUntil: number | undefined;
  private subSteps = false;
  private disposed = false;
  /** Watches the worker while there is one (not after Stop, nor before a restored run resumes). */
  private watchdog: NodeJS.Timeout | undefined;
  private readonly watchdogMs: number;
  private lastTick = Date.now();

  constructor(private source: DefinitionSource, private readonly options: SessionOptions) {
    super();
    this.goodSource = source;
    this.history = new HistoryBuffer(options.historyLength);
    this.watchdogMs = Math.min(1000, options.stepTimeLimitMs / 4);
  }

  get step(): number {
    return this.latest?.metrics.step ?? 0;
  }

  get threadId(): number | undefined {
    return this.worker?.threadId;
  }

  /** The step of the checkpoint a new worker would continue from, if there is one. */
  get checkpointStep(): number | undefined {
    return this.checkpoint?.step;
  }

  start(): void {
    this.spawn(this.source, undefined);
  }

  /**
   * A run continued from what an earlier one left (a window reload): stopped, with its history,
   * until resume() starts a worker from the checkpoint.
   */
  static restore(source: DefinitionSource, options: SessionOptions, saved: SavedRun): TrainingSession {
    const s = new TrainingSession(source, options);
    s.history.load(saved.history, saved.markers);
    s.summary = saved.summary;
    s.version = saved.version;
    s.checkpoint = { ...saved.checkpoint, runId: s.runId };
    s.checkpoints.offer(() => s.checkpoint);
    if (saved.latest) s.latest = { ...saved.latest, runId: s.runId };
    s.waitingForLoad = false;
    s.state = 'stopped';
    return s;
  }

  /** The definition in use: the last version that loaded. */
  get definition(): DefinitionSource {
    return this.goodSource;
  }

  /** What resume() would continue from, once a checkpoint exists. */
  saved(): SavedRun | undefined {
    const c = this.checkpoint;
    if (!c || !this.summary) return undefined;
    return { summary: this.summary, version: this.version, history: this.history.snapshot(), markers: this.history.markers(), checkpoint: c, ...(this.latest ? { latest: this.latest } : {}) };
  }

  pause(): void { this.send({ type: 'pause', runId: this.runId }); }
  resume(): void {
    if (!this.worker && !this.disposed) {
      // Stopped, restored, or paused after repeated worker deaths: go on from the checkpoint.
      this.deaths = [];
      // The steps from the checkpoint on are trained again (all of them without one).
      this.truncateFrom(this.checkpoint?.step ?? 0);
      this.spawn(this.goodSource, this.checkpoint);
      if (this.source !== this.goodSource) {
        // An edit saved while there was no worker (the person fixing what killed it) goes in as
        // a reload before any step of the old version runs (it may be what killed the workers):
        // it swaps in if it loads, else the run continues with the last good version.
        this.send({ type: 'pause', runId: this.runId });
        this.send({ type: 'reload', runId: this.runId, source: this.source });
        this.send({ type: 'resume', runId: this.runId });
      }
      return;
    }
    this.send({ type: 'resume', runId: this.runId });
  }
  stepBy(count: number): void {
    if (!this.worker && !this.disposed) {
      // A stopped run takes steps too: a worker from the checkpoint, paused before its first.
      this.resume();
      this.pause();
    }
    // Steps of a paused run are work the watchdog must see: a step stuck in the loss would
    // otherwise go unnoticed, since only a running or loading run is watched.
    if (this.worker && (this.state === 'paused' || this.state === 'finished')) {
      this.stepRequestedAt = Date.now();
      this.lastHeard = this.stepRequestedAt;
    }
    this.send({ type: 'step', runId: this.runId, count });
  }
  /**
   * At most `stepsPerSecond` (null: as fast as it goes); with `untilStep`, only until that step;
   * with `subSteps`, the rate counts half steps, each shown (slow motion).
   */
  setSpeed(stepsPerSecond: number | null, untilStep?: number, subSteps = false): void {
    this.stepsPerSecond = stepsPerSecond;
    this.pacedUntil = untilStep;
    this.subSteps = subSteps;
    this.send(this.speedMessage());
  }

  private speedMessage(): HostToWorker {
    return {
      type: 'setSpeed', runId: this.runId, stepsPerSecond: this.stepsPerSecond,
      ...(this.pacedUntil !== undefined ? { untilStep: this.pacedUntil } : {}), ...(this.subSteps ? { subSteps: true } : {}),
    };
  }

  /** Half a step of a paused run: the critic's updates, or the generator's. */
  subStep(phase: SubStep): void {
    if (!this.worker && !this.disposed) {
      this.resume();
      this.pause();
    }
    if (this.worker && (this.state === 'paused' || this.state === 'finished' || this.state === 'stopped')) {
      this.stepRequestedAt = Date.now();
      this.lastHeard = this.stepRequestedAt;
    }
    this.send({ type: 'subStep', runId: this.runId, phase });
  }

  /**
   * The worker's weights and optimiser state as they are now, or undefined when no checkpoint
   * of the current step arrives within `timeoutMs` (no worker, or one that died).
   */
  checkpointNow(timeoutMs: number): Promise<Checkpoint | undefined> {
    const step = this.step;
    return new Promise((resolve) => {
      const done = (c: Checkpoint | undefined): void => {
        clearTimeout(timer);
        this.off('checkpoint', arrived);
        resolve(c);
      };
      const arrived = (c: Checkpoint): void => {
        if (c.step >= step) done(c);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      this.on('checkpoint', arrived);
      this.send({ type: 'requestCheckpoint', runId: this.runId });
    });
  }

  /** Sends a new version of the definition; older versions arriving late are dropped by the worker. */
  reload(source: DefinitionSource): void {
    this.source = source;
    this.waitingForLoad = true;
    this.lastHeard = Date.now();
    this.send({ type: 'reload', runId: this.runId, source });
  }

  /**
   * Ends the worker thread, after a last checkpoint (waited for up to STOP_CHECKPOINT_MS), so
   * that resume() can continue where it stopped.
   */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (this.disposed || !worker) {
      if (!this.disposed && this.state !== 'stopped') this.setState('stopped', undefined);
      return;
    }
    if (this.state !== 'loading' && this.summary) {
      // Paused first: the checkpoint is then the last step trained, and the last snapshot shows it.
      this.send({ type: 'pause', runId: this.runId });
      await this.checkpointNow(STOP_CHECKPOINT_MS);
    }
    if (this.worker !== worker) return;
    this.send({ type: 'stop', runId: this.runId });
    this.worker = undefined;
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    await worker.terminate();
    this.setState('stopped', undefined);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  /** Drops what was recorded from `step` on: those steps are trained again. */
  private truncateFrom(step: number): void {
    this.history.truncateFrom(step);
    this.frames.truncateFrom(step);
    this.checkpoints.truncateFrom(step + 1);
  }

  /** The kept frame nearest to `step`, and the steps of all kept frames. */
  frameNear(step: number): { snapshot: Snapshot | undefined; steps: number[] } {
    return { snapshot: this.frames.nearest(step)?.snapshot, steps: this.frames.steps };
  }

  /**
   * Goes back to the last kept checkpoint at or before `step` and trains on from there in a new
   * worker, with the definition in use now: what the run would have done from that point. The
   * history after it is dropped (the caller keeps it as the previous run). Returns the step it
   * continues from, or undefined when no checkpoint is that early.
   */
  async branchFrom(step: number): Promise<number | undefined> {
    const c = this.checkpoints.atOrBefore(step);
    if (!c || this.disposed) return undefined;
    const paused = this.state === 'paused' || this.state === 'stopped';
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    this.checkpoint = c;
    this.truncateFrom(c.step);
    // The new worker's first snapshot is of the checkpoint's step; until then there is none.
    this.latest = undefined;
    this.deaths = [];
    this.spawn(this.goodSource, c);
    if (paused) this.send({ type: 'pause', runId: this.runId });
    return c.step;
  }

  /** Terminates the worker as if it had crashed (tests, and the watchdog). */
  async killWorker(): Promise<void> {
    await this.worker?.terminate();
  }

  private send(message: HostToWorker): void {
    this.worker?.postMessage(message);
  }

  private spawn(source: DefinitionSource, checkpoint: Checkpoint | undefined): void {
    // A heap limit: a loss file that allocates without end kills its worker (and the run
    // recovers) instead of growing the editor's process by gigabytes first.
    const worker = new Worker(this.options.workerPath, { workerData: { backend: this.options.settings.backend }, resourceLimits: WORKER_RESOURCE_LIMITS });
    this.worker = worker;
    if (!this.watchdog) {
      this.lastTick = Date.now();
      this.watchdog = setInterval(() => this.checkAlive(), this.watchdogMs);
      this.watchdog.unref();
    }
    this.lastHeard = Date.now();
    this.waitingForLoad = true;
    this.stepRequestedAt = undefined;
    worker.on('message', (m: WorkerToHost) => {
      if (worker === this.worker) this.receive(m);
    });
    // Whatever the loss file threw in the worker arrives here: read it without trusting it.
    worker.on('error', (e: unknown) => this.emit('log', 'error', `training worker error: ${describeThrownWithStack(e)}`));
    worker.on('exit', (code) => {
      if (worker === this.worker && !this.disposed) this.recover(`the training worker exited (code ${code})`);
    });
    worker.postMessage({ type: 'start', runId: this.runId, source, settings: this.options.settings, ...(checkpoint ? { checkpoint } : {}) } satisfies HostToWorker);
    // A replacement worker (after a death, or resumed after repeated deaths) keeps the person's speed limit.
    if (this.stepsPerSecond !== null) worker.postMessage(this.speedMessage());
  }

  private receive(m: WorkerToHost): void {
    this.lastHeard = Date.now();
    // The worker has answered a step request (a snapshot when the steps are done, or a state
    // change when one failed).
    if (m.type === 'snapshot' || m.type === 'state' || m.type === 'nonFinite' || m.type === 'runError') this.stepRequestedAt = undefined;
    switch (m.type) {
      case 'ready':
        this.backend = m.backend;
        break;
      case 'snapshot':
        if (m.snapshot.runId !== this.runId) return;
        this.latest = m.snapshot;
        this.engine = m.snapshot.engine;
        this.history.add(m.snapshot.metrics, rowExtras(m.snapshot));
        this.frames.offer(() => {
          const frame = frameOf(m.snapshot);
          return frame && { step: frame.metrics.step, snapshot: frame };
        });
        this.emit('snapshot', m.snapshot);
        this.send({ type: 'ack', runId: this.runId });
        break;
      case 'loaded': {
        if (m.runId !== this.runId) return;
        this.waitingForLoad = this.newerSourcePending(m.version);
        this.summary = m.summary;
        this.version = m.version;
        // A restart built new networks: the checkpoint held belongs to the old ones and would
        // not fit them if the worker died before sending a new one.
        if (m.restarted) this.checkpoint = undefined;
        this.goodSource = this.source.kind === 'file' && this.source.version === m.version ? this.source : this.goodSource;
        // A restarted run counts its steps from 0 again: its history starts over, and the old
        // curves go with the event, for the panel to show beside the new ones.
        const previous = m.restarted && this.history.length > 0 ? this.history.snapshot() : undefined;
        if (m.restarted) {
          this.history.clear();
          this.frames.clear();
          this.checkpoints.clear();
        }
        const marker = { step: m.restarted ? 0 : this.step, version: m.version, restarted: m.restarted, divergence: m.summary.divergence, objective: m.summary.effectiveObjective };
        if (m.version > 0) {
          this.history.addMarker(marker);
          this.emit('marker', marker);
        }
        this.emit('loaded', { version: m.version, summary: m.summary, restarted: m.restarted, warnings: m.warnings, previous });
        break;
      }
      case 'loadFailed':
        if (m.runId !== this.runId) return;
        this.waitingForLoad = this.newerSourcePending(m.version);
        this.emit('loadFailed', { version: m.version, problems: m.problems });
        break;
      case 'state':
        if (m.runId !== this.runId) return;
        this.setState(m.state, m.reason);
        break;
      case 'nonFinite':
        if (m.runId === this.runId) this.emit('nonFinite', { step: m.step, what: m.what });
        break;
      case 'runError':
        if (m.runId === this.runId) this.emit('runError', { step: m.step, problem: m.problem });
        break;
      case 'checkpoint':
        if (m.checkpoint.runId !== this.runId) return;
        this.checkpoint = m.checkpoint;
        this.checkpoints.offer(() => m.checkpoint);
        this.emit('checkpoint', m.checkpoint);
        break;
      case 'checked':
        break;
      case 'log':
        this.emit('log', m.level, m.message);
        break;
      default: {
        const unreachable: never = m;
        this.emit('log', 'warn', `unknown worker message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /**
   * Whether a version newer than the one just answered has been sent and not answered yet (two
   * quick saves, or the edit sent after a restarted worker's start): its load is still watched.
   */
  private newerSourcePending(answered: number): boolean {
    return this.source.kind === 'file' && this.source.version > answered;
  }

  private setState(state: RunState, reason: string | undefined): void {
    this.state = state;
    this.emit('state', state, reason);
  }

  /** A worker that stays silent while it should be training or loading is stuck in user code. */
  private checkAlive(): void {
    const now = Date.now();
    const sinceTick = now - this.lastTick;
    this.lastTick = now;
    if (this.disposed || !this.worker) return;
    if (sinceTick > 2 * this.watchdogMs + 100) {
      // This thread was blocked (a busy extension host, a long GC): the worker's messages are
      // queued behind this tick, unread, not missing. Give it a fresh limit from now.
      this.lastHeard = now;
      return;
    }
    const busy = this.state === 'running' || this.waitingForLoad || this.stepRequestedAt !== undefined;
    // A run throttled below one step per limit is silent between its steps by request.
    const allowed = this.options.stepTimeLimitMs + (this.stepsPerSecond ? 1000 / this.stepsPerSecond : 0);
    if (busy && now - this.lastHeard > allowed) {
      const worker = this.worker;
      this.recover(`the training worker did not answer for ${Math.round(this.options.stepTimeLimitMs / 1000)} s (an endless loop in the loss file?)`);
      void worker.terminate();
    }
  }

  private recover(why: string): void {
    const now = Date.now();
    this.deaths = [...this.deaths.filter((t) => now - t < DEATH_WINDOW_MS), now];
    this.worker = undefined;
    if (this.deaths.length >= DEATHS_TO_GIVE_UP) {
      this.emit('log', 'error', `${why}; ${DEATHS_TO_GIVE_UP} failures within a minute, the run is paused`);
      this.setState('paused', `${why}; the worker failed ${DEATHS_TO_GIVE_UP} times within a minute`);
      return;
    }
    const from = this.checkpoint ? `step ${formatCount(this.checkpoint.step)}` : 'the start';
    // The steps after the checkpoint are trained again: their old points would put the curves'
    // x axis out of order.
    this.truncateFrom(this.checkpoint?.step ?? 0);
    const message = `${why}; training continues in a new worker from ${from}`;
    this.emit('log', 'warn', message);
    this.emit('recovered', message);
    this.source = this.goodSource;
    const paused = this.state === 'paused';
    this.spawn(this.goodSource, this.checkpoint);
    // The new worker starts running; the person's pause carries over (spawn re-sends the speed).
    if (paused) this.send({ type: 'pause', runId: this.runId });
  }
}
