/**
 * The one training run of the window: starts it from a definition file or a preset, reloads
 * the file as it is edited, turns loader problems into diagnostics and tells the panel and the
 * status bar what happens. The run itself (worker, history, checkpoints) is a TrainingSession.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { previousSourceOf, SLOW_MOTION, WARM_UP, type DefinitionSource, type History, type HostToWebview, type PreviousSource, type Problem, type ReloadMarker, type RunInfo, type Snapshot, type Speed, type SubStep } from '../protocol';
import { DEFINITION_FILE } from '../definition/loader';
import { TrainingSession, type SessionOptions } from '../session/trainingSession';
import type { StoredRun } from '../session/savedRun';
import type { RunStore } from './runStore';
import { readConfig } from './config';
import { DefinitionDiagnostics } from './diagnostics';
import { Disposable } from './dispose';
import { formatCount } from '../numberFormat';
import { describeThrown } from '../errors';

export type RunTarget = { readonly kind: 'file'; readonly uri: vscode.Uri } | { readonly kind: 'preset'; readonly name: string };

export class RunController extends Disposable {
  private session: TrainingSession | undefined;
  private target: RunTarget | undefined;
  private previous: History | undefined;
  private previousFrom: PreviousSource | undefined;
  /** The loaded version's source: on a restart it becomes the previous run's. */
  private currentFrom: PreviousSource | undefined;
  /** Version of the run's definition file: 1 when training starts, +1 on every reload. */
  private version = 0;
  private reloadTimer: NodeJS.Timeout | undefined;
  /** The Speed control's setting, kept for every run of the window; new windows start with the warm-up setting. */
  private speed: Speed = readConfig().warmUp ? 'warmUp' : null;
  private banner: Banner | undefined;
  private readonly diagnostics = this.register(new DefinitionDiagnostics());
  private readonly messages = this.register(new vscode.EventEmitter<HostToWebview>());
  /** Everything the panel needs to know, already in protocol form. */
  readonly onMessage = this.messages.event;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Run state, step or summary changed (status bar, context keys). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly workerPath: string, private readonly log: vscode.LogOutputChannel, private readonly store?: RunStore) {
    super();
    this.register(vscode.workspace.onDidSaveTextDocument((doc) => {
      if (readConfig().reload === 'onSave') this.maybeReload(doc);
    }));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => {
      const config = readConfig();
      if (config.reload !== 'onType' || !this.isRunning(e.document.uri)) return;
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => this.maybeReload(e.document), config.reloadDelayMs);
    }));
    this.register({ dispose: () => clearTimeout(this.reloadTimer) });
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (this.banner?.kind === 'trust') this.setBanner('info', null);
    }));
  }

  get current(): TrainingSession | undefined {
    return this.session;
  }

  get currentTarget(): RunTarget | undefined {
    return this.target;
  }

  /** True when `uri` is the file of the current run. */
  isRunning(uri: vscode.Uri): boolean {
    return this.target?.kind === 'file' && this.target.uri.toString() === uri.toString() && this.session !== undefined;
  }

  runInfo(): RunInfo | undefined {
    const s = this.session;
    const t = this.target;
    if (!s || !t) return undefined;
    return {
      runId: s.runId,
      title: t.kind === 'file' ? path.basename(t.uri.fsPath) : `preset: ${t.name}`,
      ...(t.kind === 'file' ? { file: vscode.workspace.asRelativePath(t.uri) } : {}),
      version: s.version,
      ...(s.summary ? { summary: s.summary } : {}),
      ...(s.backend ? { backend: s.backend } : {}),
      ...(s.engine ? { engine: s.engine } : {}),
      state: s.state,
      speed: this.speed,
    };
  }

  /** What a freshly opened panel needs: the whole run so far. */
  replay(): HostToWebview[] {
    const run = this.runInfo();
    const s = this.session;
    if (!run || !s) return [{ type: 'empty', message: 'No training run. Open a *.gan.ts file and run "GAN: Train GAN", or start a preset.' }];
    const out: HostToWebview[] = [{ type: 'run', run, history: s.history.snapshot(), markers: s.history.markers(), ...(this.previous ? { previous: this.previous } : {}), ...(this.previousFrom ? { previousFrom: this.previousFrom } : {}) }];
    if (s.latest) out.push({ type: 'snapshot', snapshot: s.latest });
    out.push({ type: 'banner', level: this.banner?.level ?? 'info', message: this.banner?.message ?? null });
    return out;
  }

  /** Tells the panel why a loss definition file does not run in this workspace. */
  explainUntrusted(): void {
    this.setBanner('warning', 'This workspace is not trusted, so its loss definition files are not run. Trust the workspace, or train a built-in preset.', 'trust');
  }

  async train(target: RunTarget): Promise<void> {
    if (target.kind === 'file' && !vscode.workspace.isTrusted) {
      this.explainUntrusted();
      throw new Error('loss definition files run only in trusted workspaces; train a built-in preset instead');
    }
    const source = await this.sourceFor(target);
    await this.disposeSession(true);
    // Versions count per run from 1: the panel shows them, the worker drops older ones.
    this.version = 1;
    this.target = target;
    const session = new TrainingSession(source, this.sessionOptions());
    this.session = session;
    this.applySpeed(session);
    this.wire(session, target);
    this.setBanner('info', null);
    session.start();
    this.postRun();
  }

  private sessionOptions(): SessionOptions {
    const config = readConfig();
    return {
      workerPath: this.workerPath,
      settings: { snapshotRate: config.snapshotRate, gridSize: config.gridSize, latentSamples: config.latentSamples, latticeSide: config.latticeSide, latentSide: config.latentSide, snapshotThread: config.snapshotThread, backend: config.backend, engine: config.engine },
      historyLength: config.historyLength,
      stepTimeLimitMs: config.stepTimeLimitMs,
    };
  }

  /** The run as the store keeps it, once it has a checkpoint. */
  private stored(): StoredRun | undefined {
    const t = this.target;
    const run = this.session?.saved();
    if (!t || !run) return undefined;
    return { target: t.kind === 'file' ? { kind: 'file', uri: t.uri.toString() } : t, speed: this.speed, run };
  }

  /** Saves the run for the next window now (deactivation, tests). */
  saveRun(): Promise<void> {
    return this.store?.save(this.stored()) ?? Promise.resolve();
  }

  /**
   * Continues the run the last window left (a reload, or VS Code closed): stopped at its last
   * checkpoint, with its curves, until Resume. Nothing happens when there is none, when a run
   * already exists, or when its file is gone or may not run here (an untrusted workspace).
   */
  async restore(): Promise<boolean> {
    const stored = await this.store?.load();
    if (!stored || this.session) return false;
    const target: RunTarget = stored.target.kind === 'file' ? { kind: 'file', uri: vscode.Uri.parse(stored.target.uri) } : stored.target;
    if (target.kind === 'file' && !vscode.workspace.isTrusted) return false;
    let source: DefinitionSource;
    try {
      source = await this.sourceFor(target);
    } catch (e) {
      this.log.info(`the last run was not restored: ${describeThrown(e)}`);
      return false;
    }
    if (this.session) return false;
    this.version = stored.run.version;
    this.speed = stored.speed;
    this.target = target;
    const session = TrainingSession.restore(source.kind === 'file' ? { ...source, version: stored.run.version } : source, this.sessionOptions(), stored.run);
    this.session = session;
    this.applySpeed(session);
    this.wire(session, target);
    this.currentFrom = previousSourceOf(this.runInfo());
    const step = formatCount(stored.run.checkpoint.step);
    this.setBanner('info', `Restored after the window reloaded: stopped at step ${step}, its last checkpoint. Resume continues from there.`, 'restore');
    this.log.info(`restored the last run at step ${step}`);
    this.postRun();
    return true;
  }

  private async sourceFor(target: RunTarget): Promise<DefinitionSource> {
    if (target.kind === 'preset') return { kind: 'preset', name: target.name };
    const doc = await vscode.workspace.openTextDocument(target.uri);
    return { kind: 'file', path: target.uri.fsPath, version: 1, text: doc.getText() };
  }

  private wire(session: TrainingSession, target: RunTarget): void {
    const file = target.kind === 'file' ? target.uri : undefined;
    session.on('snapshot', (snapshot: Snapshot) => {
      this.messages.fire({ type: 'snapshot', snapshot });
      this.changed.fire();
    });
    session.on('loaded', ({ version, warnings, restarted, previous }) => {
      if (file) this.diagnostics.show(file, warnings);
      if (restarted) {
        this.log.info(`version ${version}: the target, networks or optimiser changed; the run restarted`);
        if (previous) [this.previous, this.previousFrom] = [previous, this.currentFrom];
      } else if (version > 1) this.log.info(`version ${version}: loss swapped into the running training at step ${formatCount(session.step)}`);
      // A good version ends a load error; a recovery notice stays until the next run.
      if (this.banner?.kind === 'load') this.setBanner('info', null);
      this.currentFrom = previousSourceOf(this.runInfo());
      this.postRunInfo();
    });
    session.on('loadFailed', ({ version, problems }) => {
      if (version < this.version && version !== 0) return;
      if (file) this.diagnostics.show(file, problems);
      const first = problems[0];
      const message = first ? oneLine(first) : 'the definition could not be loaded';
      const running = session.summary !== undefined;
      this.setBanner('error', running ? `${message} — training continues with the last good version.` : message, 'load');
      this.log.error(`loading version ${version} failed: ${problems.map(oneLine).join('; ')}`);
    });
    session.on('marker', (marker: ReloadMarker) => this.messages.fire({ type: 'marker', runId: session.runId, marker }));
    session.on('state', (state, reason) => {
      if (reason && (state === 'paused' || state === 'failed')) this.setBanner('error', reason, 'state');
      // Resumed after a pause for a reason (NaN, repeated worker deaths): the reason is past.
      else if (state === 'running' && (this.banner?.kind === 'state' || this.banner?.kind === 'restore')) this.setBanner('info', null);
      this.postRunInfo();
    });
    session.on('nonFinite', ({ step, what }) => {
      const message = `${what} became NaN or infinite at step ${formatCount(step)}. The run is paused with the last good weights; change the loss or resume.`;
      this.log.error(message);
      void vscode.window.showErrorMessage(`GAN Lens: ${message}`, 'Show Log').then((choice) => choice && this.log.show());
    });
    session.on('runError', ({ step, problem }) => {
      if (file) this.diagnostics.show(file, [problem]);
      this.log.error(`step ${formatCount(step)}: ${oneLine(problem)}`);
    });
    session.on('recovered', (message) => {
      this.setBanner('warning', message, 'recovery');
      void vscode.window.showWarningMessage(`GAN Lens: ${message}`, 'Show Log').then((choice) => choice && this.log.show());
    });
    session.on('log', (level, message) => this.log[level === 'warn' ? 'warn' : level](message));
    session.on('checkpoint', () => this.store?.saveSoon(() => (this.session === session ? this.stored() : undefined)));
  }

  private maybeReload(doc: vscode.TextDocument): void {
    if (!this.isRunning(doc.uri) || !DEFINITION_FILE.test(doc.uri.fsPath)) return;
    this.session?.reload({ kind: 'file', path: doc.uri.fsPath, version: ++this.version, text: doc.getText() });
  }

  pause(): void { this.session?.pause(); }
  resume(): void { this.session?.resume(); }
  step(count: number): void { this.session?.stepBy(count); }
  setSpeed(speed: Speed): void {
    this.speed = speed;
    if (this.session) this.applySpeed(this.session);
    this.postRunInfo();
  }

  private applySpeed(session: TrainingSession): void {
    const speed = this.speed;
    if (speed === 'warmUp') session.setSpeed(WARM_UP.stepsPerSecond, WARM_UP.untilStep);
    else if (speed === 'slowMotion') session.setSpeed(SLOW_MOTION.subStepsPerSecond, undefined, true);
    else session.setSpeed(speed);
  }

  /** Half a step (the critic's updates, or the generator's), the run paused first. */
  subStep(phase: SubStep): void {
    this.session?.pause();
    this.session?.subStep(phase);
  }

  togglePause(): void {
    if (this.session?.state === 'running') this.pause();
    else this.resume();
  }

  async reset(): Promise<void> {
    if (this.target) await this.train(this.target);
  }

  /** Ends the worker after a last checkpoint; the run stays, and Resume continues it. */
  async stop(): Promise<void> {
    const s = this.session;
    if (!s) return;
    await s.stop();
    if (this.session === s) await this.saveRun();
    this.postRunInfo();
  }

  /** The kept frame nearest to `step`, as the panel's time travel asks for it. */
  frameNear(step: number): HostToWebview | undefined {
    const s = this.session;
    if (!s) return undefined;
    const { snapshot, steps } = s.frameNear(step);
    return { type: 'frame', runId: s.runId, steps, ...(snapshot ? { snapshot } : {}) };
  }

  /**
   * "Branch from here": trains again from the last kept checkpoint at or before `step`, with
   * the definition in use now; the run's curves so far stay as the previous run.
   */
  async branchFrom(step: number): Promise<void> {
    const s = this.session;
    if (!s) return;
    const before = s.history.snapshot();
    const from = this.runInfo();
    const at = await s.branchFrom(step);
    if (at === undefined) {
      this.setBanner('warning', `No checkpoint is kept at or before step ${formatCount(step)}: the run cannot branch there.`, 'state');
      return;
    }
    this.previous = before;
    this.previousFrom = from?.summary ? { divergence: from.summary.divergence, target: from.summary.target, label: `${from.title} before the branch at step ${formatCount(at)}` } : undefined;
    this.log.info(`branched from the checkpoint at step ${formatCount(at)} (asked for ${formatCount(step)})`);
    this.setBanner('info', `Branched: training again from step ${formatCount(at)}, the nearest checkpoint at or before step ${formatCount(step)}. The dotted curve is the run before the branch.`, 'branch');
    this.postRun();
  }

  /** What the user is told is training, e.g. "non-saturating.gan.ts (step 12,345)". */
  describeCurrent(): string | undefined {
    const run = this.runInfo();
    return run && `${run.title} (step ${formatCount(this.session?.step ?? 0)})`;
  }

  private async disposeSession(keepAsPrevious: boolean): Promise<void> {
    const s = this.session;
    if (!s) return;
    if (keepAsPrevious && s.history.length > 0) [this.previous, this.previousFrom] = [s.history.snapshot(), previousSourceOf(this.runInfo())];
    await s.stop();
    await s.dispose();
    s.removeAllListeners();
    this.changed.fire();
  }

  /** The panel was closed: with ganLens.pauseWhenPanelClosed a running run pauses rather than keep a core busy unseen. */
  panelClosed(): void {
    if (!readConfig().pauseWhenPanelClosed || this.session?.state !== 'running') return;
    this.pause();
    this.log.info('the inspector was closed: training paused (ganLens.pauseWhenPanelClosed)');
  }

  private setBanner(level: Banner['level'], message: string | null, kind: Banner['kind'] = 'load'): void {
    this.banner = message === null ? undefined : { level, message, kind };
    this.messages.fire({ type: 'banner', level, message });
  }

  private postRun(): void {
    for (const m of this.replay()) this.messages.fire(m);
    this.changed.fire();
  }

  private postRunInfo(): void {
    const run = this.runInfo();
    if (run) this.messages.fire({ type: 'runInfo', run });
    this.changed.fire();
  }

  override dispose(): void {
    void this.disposeSession(false);
    super.dispose();
  }
}

/** The panel's one-line message; `kind` decides what clears it. */
interface Banner {
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly kind: 'load' | 'state' | 'recovery' | 'trust' | 'restore' | 'branch';
}

function oneLine(p: Problem): string {
  const where = p.line !== undefined ? `${p.file ? path.basename(p.file) : ''}:${p.line}:${p.column ?? 1}: ` : '';
  return `${where}${p.message.split('\n')[0]}`;
}
