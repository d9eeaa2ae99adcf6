/**
 * When the next timed snapshot is due: at the panel's rate, but never so often that snapshots
 * take more than SNAPSHOT_SHARE of the worker's time (a 2-D snapshot costs tens of ms, and the
 * worker trains and inspects on one thread). The worker's loop and the bench share this rule.
 */

/** Largest share of the worker's time that timed snapshots may take: the panel slows training by at most a third. */
export const SNAPSHOT_SHARE = 1 / 3;

/**
 * Largest share of its core a 2-D run's snapshot thread may take: on a two-core machine training
 * has one core, and half of the other stays free for the editor and the extension host.
 */
export const SNAPSHOT_THREAD_SHARE = 1 / 2;

export class SnapshotPacing {
  /** Moving average of one snapshot's cost (ms). */
  private cost = 0;

  constructor(private readonly share = SNAPSHOT_SHARE) {}

  /** Milliseconds from the start of one snapshot to the start of the next. */
  interval(snapshotsPerSecond: number): number {
    return Math.max(1000 / snapshotsPerSecond, this.cost / this.share);
  }

  took(ms: number): void {
    this.cost = this.cost === 0 ? ms : 0.8 * this.cost + 0.2 * ms;
  }
}
