/**
 * The training worker's side of its snapshot thread (./snapshotThread): timed snapshots of a
 * 2-D run are computed there, on a copy of the run that takes the weights at each request, while
 * training goes on. One request at a time; the caller skips a timed snapshot while one is in
 * flight. Snapshots that must show an exact step (the final one, a pause, `--every`) stay on the
 * training thread. A thread that fails, or takes longer than the limit, is ended: the run goes
 * back to snapshots on its own thread and says so once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BackendPreference, DefinitionSource, EngineName, RunSettings, Snapshot, SnapshotArgs, SnapshotThreadToTraining, TrainingToSnapshotThread } from '../protocol';
import { describeThrown } from '../errors';
import type { TrainingEngine } from './engine';

/** The snapshot thread's bundle, beside the training worker's (dist/). */
export function snapshotThreadPath(): string | undefined {
  const file = path.join(__dirname, 'snapshotThread.js');
  return fs.existsSync(file) ? file : undefined;
}

/** A snapshot that takes longer than this ends the thread (a loss that hangs in it, a wedged backend). */
const SNAPSHOT_LIMIT_MS = 30_000;

export interface OffloadEvents {
  /** computeMs: the snapshot thread's own time on it, which is what its share of a core bounds. */
  snapshot(s: Snapshot, computeMs: number): void;
  /** The thread is gone for good; timed snapshots return to the training thread. */
  failed(reason: string): void;
}

export class SnapshotOffload {
  private worker: Worker | undefined;
  private generation = 0;
  private loaded = false;
  private inFlight: ReturnType<typeof setTimeout> | undefined;
  private dead = false;

  constructor(file: string, backend: BackendPreference, private readonly events: OffloadEvents) {
    try {
      // The training worker's own heap limit: a loss that allocates without end ends this thread, not the process.
      this.worker = new Worker(file, { workerData: { backend }, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    } catch (e) {
      this.fail(`the snapshot thread did not start (${describeThrown(e)})`);
      return;
    }
    this.worker.on('message', (m: SnapshotThreadToTraining) => this.receive(m));
    this.worker.on('error', (e) => this.fail(`the snapshot thread failed (${describeThrown(e)})`));
    this.worker.on('exit', (code) => this.fail(`the snapshot thread exited (code ${code})`));
  }

  /** Ready for a request: loaded, alive and idle. */
  get ready(): boolean {
    return !this.dead && this.loaded && this.inFlight === undefined;
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Gives the thread the run's definition; requests wait until it has loaded. */
  load(source: DefinitionSource, seed: number, settings: RunSettings, engine: EngineName): void {
    if (this.dead || !this.worker) return;
    this.generation++;
    this.loaded = false;
    this.clearInFlight();
    this.send({ type: 'load', generation: this.generation, source, seed, settings, engine });
  }

  /** Asks for a snapshot of the run as it is now; false when the thread is not ready. */
  request(trainer: TrainingEngine, args: SnapshotArgs): boolean {
    if (!this.ready) return false;
    const generator = trainer.generatorParameters();
    const critic = trainer.criticParameters();
    const update = trainer.lastGeneratorUpdate();
    this.inFlight = setTimeout(() => this.fail(`a snapshot took more than ${SNAPSHOT_LIMIT_MS / 1000} s on the snapshot thread`), SNAPSHOT_LIMIT_MS);
    this.send({
      type: 'snapshot', generation: this.generation, args, generator, critic, step: trainer.step,
      ...(update ? { lastGeneratorUpdate: update } : {}),
    }, [generator.buffer as ArrayBuffer, critic.buffer as ArrayBuffer, ...(update ? [update.buffer as ArrayBuffer] : [])]);
    return true;
  }

  private send(m: TrainingToSnapshotThread, transfer: ArrayBuffer[] = []): void {
    this.worker?.postMessage(m, transfer);
  }

  private receive(m: SnapshotThreadToTraining): void {
    if (m.generation !== this.generation) {
      if (m.type === 'failed' && m.generation < 0) this.fail(m.reason);
      return;
    }
    switch (m.type) {
      case 'loaded':
        this.loaded = true;
        break;
      case 'snapshot':
        this.clearInFlight();
        this.events.snapshot(m.snapshot, m.computeMs);
        break;
      case 'failed':
        this.fail(m.reason);
        break;
      default: {
        const unreachable: never = m;
        throw new Error(`unhandled message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private clearInFlight(): void {
    if (this.inFlight !== undefined) clearTimeout(this.inFlight);
    this.inFlight = undefined;
  }

  private fail(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.dispose();
    this.events.failed(reason);
  }

  dispose(): void {
    this.clearInFlight();
    const w = this.worker;
    this.worker = undefined;
    this.dead = true;
    if (w) {
      w.removeAllListeners();
      void w.terminate();
    }
  }
}
