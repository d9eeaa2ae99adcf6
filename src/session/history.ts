/**
 * Scalar history of a run in fixed memory: when full, every other point is dropped and only
 * every `stride`-th new point is kept, so a million-step run keeps its curve's shape in the
 * same space as a short one.
 */
import { SCALAR_KEYS, emptyHistory, type History, type ReloadMarker, type ScalarMetrics } from '../protocol';
import type { MetricsRow, RowExtras } from '../metricsCsv';

/** Extras of a point that came without them (a history restored from a saved run). */
const NO_EXTRAS: RowExtras = { stepsPerSecond: NaN, generator: [] };

export class HistoryBuffer {
  private columns = emptyHistory();
  /** What metrics.csv writes beside each point's scalars (steps/s, the generator's columns). */
  private extras: RowExtras[] = [];
  private stride = 1;
  private seen = 0;
  private readonly markerList: ReloadMarker[] = [];

  constructor(private readonly capacity: number) {
    if (!(capacity >= 4)) throw new RangeError(`history capacity must be at least 4, got ${capacity}`);
  }

  add(point: ScalarMetrics, extras: RowExtras = NO_EXTRAS): void {
    const steps = this.columns.step;
    if (steps.length > 0 && steps[steps.length - 1] === point.step) {
      // The same step again (a snapshot at a pause): the newer values replace the point.
      for (const k of SCALAR_KEYS) this.columns[k][steps.length - 1] = point[k];
      this.extras[steps.length - 1] = extras;
      return;
    }
    const keep = this.seen % this.stride === 0;
    this.seen++;
    if (!keep) return;
    for (const k of SCALAR_KEYS) this.columns[k].push(point[k]);
    this.extras.push(extras);
    if (this.columns.step.length >= this.capacity) {
      for (const k of SCALAR_KEYS) this.columns[k] = this.columns[k].filter((_, i) => i % 2 === 0);
      this.extras = this.extras.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }

  /**
   * Drops the points from `step` on: after a worker died, its run continues from a checkpoint
   * and those steps are trained again.
   */
  truncateFrom(step: number): void {
    const steps = this.columns.step;
    let keep = steps.length;
    while (keep > 0 && steps[keep - 1]! >= step) keep--;
    if (keep === steps.length) return;
    for (const k of SCALAR_KEYS) this.columns[k] = this.columns[k].slice(0, keep);
    this.extras = this.extras.slice(0, keep);
  }

  /** Replaces the contents with a saved history (a run continued in a new window). */
  load(history: History, markers: readonly ReloadMarker[]): void {
    this.clear();
    for (let i = 0; i < history.step.length; i++) {
      const point = {} as { -readonly [K in keyof ScalarMetrics]: number };
      for (const k of SCALAR_KEYS) point[k] = history[k][i] ?? NaN;
      this.add(point);
    }
    for (const m of markers) this.addMarker(m);
  }

  /** Empties the buffer for a restarted run, whose steps begin again at 0. */
  clear(): void {
    this.columns = emptyHistory();
    this.extras = [];
    this.stride = 1;
    this.seen = 0;
    this.markerList.length = 0;
  }

  addMarker(marker: ReloadMarker): void {
    this.markerList.push(marker);
    if (this.markerList.length > this.capacity) this.markerList.shift();
  }

  get length(): number {
    return this.columns.step.length;
  }

  get lastStep(): number {
    return this.columns.step[this.columns.step.length - 1] ?? 0;
  }

  /** A copy: the caller may post it across a boundary. */
  snapshot(): History {
    const copy = emptyHistory();
    for (const k of SCALAR_KEYS) copy[k] = [...this.columns[k]];
    return copy;
  }

  /** The points as metrics.csv rows (../metricsCsv). */
  rows(): MetricsRow[] {
    return this.columns.step.map((_, i) => {
      const metrics = {} as { -readonly [K in keyof ScalarMetrics]: number };
      for (const k of SCALAR_KEYS) metrics[k] = this.columns[k][i]!;
      return { metrics, ...(this.extras[i] ?? NO_EXTRAS) };
    });
  }

  markers(): readonly ReloadMarker[] {
    return [...this.markerList];
  }
}
