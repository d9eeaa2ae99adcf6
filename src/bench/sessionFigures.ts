/**
 * Figures that need the real worker: reload latency (a changed file handed to the running
 * training → the new loss is in use) and memory over a long run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { DefinitionSource } from '../protocol';
import { TrainingSession, type SessionOptions } from '../session/trainingSession';
import { bundledWorkerPath } from '../session/workerPath';
import { PANEL_SNAPSHOTS_PER_SECOND } from './planeFrameCost';
import { spread, type Spread } from './stats';

const options = (maxSteps?: number): SessionOptions => ({
  workerPath: bundledWorkerPath(),
  settings: { snapshotRate: PANEL_SNAPSHOTS_PER_SECOND, gridSize: 512, latentSamples: 20000, backend: 'auto', engine: 'auto', ...(maxSteps ? { maxSteps } : {}) },
  historyLength: 2000,
  stepTimeLimitMs: 30_000,
});

function untilStep(session: TrainingSession, step: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (session.step >= step) {
        session.off('snapshot', check);
        resolve();
      } else if (session.state === 'failed' || session.state === 'paused') reject(new Error(`run ${session.state} at step ${session.step}`));
    };
    session.on('snapshot', check);
    check();
  });
}

export async function measureReloadLatency(exampleFile: string, reloads: number): Promise<Spread> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-bench-'));
  const file = path.join(dir, 'reload.gan.ts');
  const text = fs.readFileSync(exampleFile, 'utf8');
  const session = new TrainingSession({ kind: 'file', path: file, version: 1, text }, options());
  try {
    session.start();
    await untilStep(session, 50);
    const times: number[] = [];
    for (let i = 0; i < reloads; i++) {
      const edited = i % 2 === 0 ? text.replace('losses.nonSaturating()', 'losses.minimax()') : text;
      const loaded = once(session, 'loaded');
      const started = performance.now();
      session.reload({ kind: 'file', path: file, version: i + 2, text: edited });
      const [event] = (await loaded) as [{ restarted: boolean }];
      times.push(performance.now() - started);
      if (event.restarted) throw new Error('a loss-only edit restarted the run');
      await untilStep(session, session.step + 10);
    }
    return spread(times);
  } finally {
    await session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface MemoryPoint {
  readonly step: number;
  readonly hostRssMiB: number;
  readonly workerHeapMiB: number;
}

/** Process RSS (host and worker share the process) and the worker's heap at the given steps of a run of `source` (1-D: the non-saturating preset). */
export async function measureMemory(checkpoints: readonly number[], onProgress: (step: number) => void, source: DefinitionSource = { kind: 'preset', name: 'non-saturating' }): Promise<MemoryPoint[]> {
  const last = Math.max(...checkpoints);
  const session = new TrainingSession(source, options(last));
  const points: MemoryPoint[] = [];
  try {
    session.start();
    for (const step of [...checkpoints].sort((a, b) => a - b)) {
      const timer = setInterval(() => onProgress(session.step), 2000);
      await untilStep(session, step).finally(() => clearInterval(timer));
      const s = session.latest!;
      points.push({ step: s.metrics.step, hostRssMiB: process.memoryUsage.rss() / 2 ** 20, workerHeapMiB: s.workerHeapBytes / 2 ** 20 });
    }
    return points;
  } finally {
    await session.dispose();
  }
}

export const LAG_RESOLUTION_MS = 10;

export interface HostLag {
  readonly seconds: number;
  readonly snapshotsPerSecond: number;
  readonly stepsPerSecond: number;
  /** Intervals between the 10 ms sampling ticks, ms (as Node records them: lag + 10 ms). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * The event-loop lag of the thread that runs the session (in VS Code, the extension host)
 * while the worker trains at full speed and streams snapshots: what GAN Lens's host-side code
 * costs that thread. VS Code's own serialisation of the messages to the webview is not in it.
 */
export async function measureHostLag(seconds: number, source: DefinitionSource = { kind: 'preset', name: 'non-saturating' }): Promise<HostLag> {
  const session = new TrainingSession(source, options());
  try {
    session.start();
    await untilStep(session, 50);
    let snapshots = 0;
    const count = (): void => void snapshots++;
    session.on('snapshot', count);
    const firstStep = session.step;
    const histogram = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    histogram.enable();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    histogram.disable();
    const elapsed = (performance.now() - started) / 1000;
    session.off('snapshot', count);
    const ms = (ns: number): number => ns / 1e6;
    return {
      seconds: elapsed,
      snapshotsPerSecond: snapshots / elapsed,
      stepsPerSecond: (session.step - firstStep) / elapsed,
      p50Ms: ms(histogram.percentile(50)),
      p99Ms: ms(histogram.percentile(99)),
      maxMs: ms(histogram.max),
    };
  } finally {
    await session.dispose();
  }
}

/** A 2-D run in the real worker for a while: its training rate and the snapshots the host received. */
export interface PlaneSessionRate {
  readonly snapshotThread: boolean;
  /** RunSettings.kernelThreads when set (absent: the default, and in older results). */
  readonly kernelThreads?: number;
  /** Snapshots per second asked for (absent in older results: the panel's 30). */
  readonly snapshotRate?: number;
  readonly stepsPerSecond: number;
  readonly snapshotsPerSecond: number;
  /** Of those, computed on the snapshot thread. */
  readonly offThreadShare: number;
}

/**
 * examples/ring-of-8.gan.ts trained for `seconds` in a TrainingSession at `snapshotRate`
 * snapshots/s (the panel's 30 by default), with and without the snapshot thread
 * (RunSettings.snapshotThread): what the panel gets in 2-D and what it costs training.
 */
export async function measurePlaneSession(exampleFile: string, seconds: number, snapshotThread: boolean, kernelThreads?: number, snapshotRate = PANEL_SNAPSHOTS_PER_SECOND): Promise<PlaneSessionRate> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-bench-'));
  const text = fs.readFileSync(exampleFile, 'utf8');
  const base = options();
  const session = new TrainingSession({ kind: 'file', path: path.join(dir, 'ring.gan.ts'), version: 1, text }, { ...base, settings: { ...base.settings, snapshotRate, snapshotThread, ...(kernelThreads !== undefined ? { kernelThreads } : {}) } });
  let snapshots = 0;
  let offThread = 0;
  try {
    session.start();
    await untilStep(session, 200);
    const count = (s: { offThread?: boolean }): void => {
      snapshots++;
      if (s.offThread) offThread++;
    };
    session.on('snapshot', count);
    const from = session.step;
    const started = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const elapsed = (performance.now() - started) / 1000;
    session.off('snapshot', count);
    return { snapshotThread, ...(kernelThreads !== undefined ? { kernelThreads } : {}), snapshotRate, stepsPerSecond: (session.step - from) / elapsed, snapshotsPerSecond: snapshots / elapsed, offThreadShare: snapshots ? offThread / snapshots : 0 };
  } finally {
    await session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
