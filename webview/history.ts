import { SCALAR_KEYS, type History, type PreviousSource, type ReloadMarker, type ScalarMetrics } from '../src/protocol';

type Key = keyof ScalarMetrics;
export type Columns = { [K in Key]: number[] };

/**
 * Upper bound on points kept here. The host already bounds and downsamples its history; this
 * only protects a panel left open for days from unbounded growth between replays.
 */
const MAX_POINTS = 20_000;

function emptyColumns(): Columns {
  const c = {} as Columns;
  for (const k of SCALAR_KEYS) c[k] = [];
  return c;
}

function copyColumns(h: History): Columns {
  const c = {} as Columns;
  for (const k of SCALAR_KEYS) {
    const src = h[k];
    const dst = new Array<number>(src.length);
    // JSON turns NaN/Infinity into null; keep them as NaN so they plot as gaps.
    for (let i = 0; i < src.length; i++) dst[i] = typeof src[i] === 'number' ? src[i]! : NaN;
    c[k] = dst;
  }
  return c;
}

function sliceColumns(c: Columns, from: number, to: number): Columns {
  const out = emptyColumns();
  for (const k of SCALAR_KEYS) out[k] = c[k].slice(from, to);
  return out;
}

/** Index of the last point whose step is below its predecessor's, or -1. */
function lastDecrease(steps: readonly number[]): number {
  for (let i = steps.length - 1; i > 0; i--) if (steps[i]! < steps[i - 1]!) return i;
  return -1;
}

/** Sorts by step and drops duplicate steps (uPlot needs strictly increasing x). */
function normalise(c: Columns): Columns {
  const steps = c.step;
  let sorted = true;
  for (let i = 1; i < steps.length && sorted; i++) sorted = steps[i]! > steps[i - 1]!;
  if (sorted) return c;
  const order = steps.map((_, i) => i).filter((i) => Number.isFinite(steps[i])).sort((a, b) => steps[a]! - steps[b]!);
  const keep = order.filter((i, j) => j === order.length - 1 || steps[i] !== steps[order[j + 1]!]);
  const out = emptyColumns();
  for (const k of SCALAR_KEYS) out[k] = keep.map((i) => c[k][i]!);
  return out;
}

/** Scalar metrics over steps for the current run, plus its reload markers and the previous run. */
export class RunHistory {
  columns: Columns = emptyColumns();
  previous: Columns | null = null;
  /** What the previous run estimated; null when unknown (then it is not overlaid). */
  previousFrom: PreviousSource | null = null;
  /** The source the current columns began with, and the newest one the host named. */
  private columnsFrom: PreviousSource | null = null;
  private source: PreviousSource | null = null;
  markers: ReloadMarker[] = [];
  /** Bumped on every change so charts rebuild their data only when needed. */
  revision = 0;

  get length(): number {
    return this.columns.step.length;
  }

  get latest(): ScalarMetrics | null {
    const n = this.length;
    if (n === 0) return null;
    const m = {} as { [K in Key]: number };
    for (const k of SCALAR_KEYS) m[k] = this.columns[k][n - 1]!;
    return m;
  }

  /** The run's source as the host names it; kept for the columns it is current for. */
  setSource(source: PreviousSource | undefined): void {
    this.source = source ?? null;
    // On a restart the new source arrives before the new steps: it is the next columns'.
    if (this.length === 0 || !this.columnsFrom) this.columnsFrom = this.source;
  }

  reset(history?: History, markers: readonly ReloadMarker[] = [], previous?: History, previousFrom?: PreviousSource): void {
    let columns = history ? copyColumns(history) : emptyColumns();
    let before: Columns | null = null;
    // Steps that go backwards mean the run restarted inside this history: the part before
    // the last restart is the previous run, not points to interleave with the current one.
    const restartAt = lastDecrease(columns.step);
    if (restartAt > 0) {
      before = sliceColumns(columns, 0, restartAt);
      columns = sliceColumns(columns, restartAt, columns.step.length);
    }
    this.columns = normalise(columns);
    this.previous = previous ? normalise(copyColumns(previous)) : before && normalise(before);
    this.previousFrom = previous ? previousFrom ?? null : null;
    this.columnsFrom = this.source;
    // Markers arrive in the order they happened; those before the last restart belong to
    // the previous run's steps.
    let lastRestart = -1;
    markers.forEach((m, i) => { if (m.restarted) lastRestart = i; });
    this.markers = markers.slice(Math.max(0, lastRestart)).sort((a, b) => a.step - b.step);
    this.revision++;
  }

  append(m: ScalarMetrics): void {
    const steps = this.columns.step;
    const last = steps.length > 0 ? steps[steps.length - 1]! : -Infinity;
    if (m.step < last) {
      // The run restarted (steps begin again): what we have becomes the previous run.
      this.previous = this.columns;
      this.previousFrom = this.columnsFrom;
      this.columnsFrom = this.source;
      this.columns = emptyColumns();
    } else if (m.step === last) {
      // The same step again (the host re-sends its newest snapshot after a replay).
      for (const k of SCALAR_KEYS) this.columns[k].pop();
    }
    for (const k of SCALAR_KEYS) this.columns[k].push(m[k]);
    if (this.columns.step.length > MAX_POINTS) this.decimate();
    this.revision++;
  }

  addMarker(marker: ReloadMarker): void {
    if (this.markers.some((m) => m.step === marker.step && m.version === marker.version)) return;
    // After a restart, earlier reload markers refer to the previous run's steps.
    if (marker.restarted) this.markers = [];
    this.markers.push(marker);
    this.markers.sort((a, b) => a.step - b.step);
    this.revision++;
  }

  /** Halves the older half of the points, so memory stays bounded and recent detail stays. */
  private decimate(): void {
    const n = this.length;
    const half = Math.floor(n / 2);
    const keep: number[] = [];
    for (let i = 0; i < half; i += 2) keep.push(i);
    for (let i = half; i < n; i++) keep.push(i);
    for (const k of SCALAR_KEYS) {
      const col = this.columns[k];
      this.columns[k] = keep.map((i) => col[i]!);
    }
  }
}
