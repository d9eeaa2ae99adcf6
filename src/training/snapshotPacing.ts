/**
 * When the next timed snapshot is due: at the panel's rate, but never so often that snapshots
 * take more than SNAPSHOT_SHARE of the worker's time (a 2-D snapshot costs tens of ms, and the
 * worker trains and inspects on one thread). The worker's loop and the bench share this rule.
 */
import { availableParallelism } from 'node:os';

/**
 * Largest share of the worker's time that timed snapshots may take, so that the panel slows
 * training by at most a third: a little under a third, because training runs a little slower
 * just after a snapshot (its caches refill, the kernel's second thread wakes).
 */
export const SNAPSHOT_SHARE = 0.3;
/**
 * With a speed limit that leaves the worker idle, training and snapshots together may take this
 * share of its time: a slow run (the warm-up) is drawn in more detail, and a fast limit keeps
 * SNAPSHOT_SHARE so that the rate still holds.
 */
export const BUSY_SHARE = 0.6;

/** The snapshots' share of the worker's time when training at `stepsPerSecond` takes `stepMs` a step (null: Max). */
export function snapshotShare(stepsPerSecond: number | null, stepMs: number): number {
  if (stepsPerSecond === null || !(stepMs > 0)) return SNAPSHOT_SHARE;
  return Math.max(SNAPSHOT_SHARE, BUSY_SHARE - (stepsPerSecond * stepMs) / 1000);
}

/**
 * Largest share of its core a 2-D run's snapshot thread may take: on a machine of two or three
 * cores training has one, and half of another stays free for the editor and the extension host;
 * with four or more, the snapshot thread may have a core of its own.
 */
export const SNAPSHOT_THREAD_SHARE = availableParallelism() >= 4 ? 1 : 1 / 2;

/**
 * Kernel threads for a run's training by default: a 2-D run's snapshot thread takes the second
 * core of a machine with fewer than four, so training keeps to one rather than share that core
 * with it: the panel's snapshots come more often (measured: 17 % more, for 20 % fewer steps,
 * docs/benchmarks.md), and the editor keeps more of that core; undefined leaves the engine's default.
 */
export function trainingKernelThreads(dataDim: number, snapshotThread: boolean | undefined): number | undefined {
  return dataDim === 2 && snapshotThread !== false && availableParallelism() < 4 ? 1 : undefined;
}

/**
 * Kernel threads of the snapshot thread's copy of the run: two where it has cores of its own
 * (four or more: a 2-D snapshot on two takes about two thirds of its time on one,
 * docs/benchmarks.md), else one, so that beside training it takes half a core, not two threads.
 */
export function snapshotKernelThreads(): number {
  return SNAPSHOT_THREAD_SHARE === 1 ? 2 : 1;
}

export class SnapshotPacing {
  /** Moving average of one snapshot's cost (ms). */
  private cost = 0;

  constructor(private readonly share = SNAPSHOT_SHARE) {}

  /**
   * Milliseconds from the start of one snapshot to the start of the next; `share` is the part of
   * the thread's time snapshots may take (more than a third when a speed limit leaves it idle).
   */
  interval(snapshotsPerSecond: number, share = this.share): number {
    return Math.max(1000 / snapshotsPerSecond, this.cost / share);
  }

  took(ms: number): void {
    // A cost that is not a time would stop the snapshots (NaN) or let them run unpaced.
    if (!(ms >= 0 && ms < Infinity)) return;
    this.cost = this.cost === 0 ? ms : 0.8 * this.cost + 0.2 * ms;
  }
}
