/** Helpers for series over training steps. */

export interface MergedSteps {
  readonly x: number[];
  /** Index into the current run's columns for each x, or -1; null when x is the run's own steps. */
  readonly current: Int32Array | null;
  readonly previous: Int32Array | null;
}

/**
 * uPlot needs one shared, increasing x: the union of the current and previous runs' steps
 * (both already sorted), with an index map back into each.
 */
export function mergeSteps(current: readonly number[], previous?: readonly number[]): MergedSteps {
  if (!previous || previous.length === 0) return { x: current as number[], current: null, previous: previous ? new Int32Array(current.length).fill(-1) : null };
  const x: number[] = [];
  const ci: number[] = [];
  const pi: number[] = [];
  let i = 0;
  let j = 0;
  while (i < current.length || j < previous.length) {
    const a = i < current.length ? current[i]! : Infinity;
    const b = j < previous.length ? previous[j]! : Infinity;
    if (a === b) { x.push(a); ci.push(i++); pi.push(j++); }
    else if (a < b) { x.push(a); ci.push(i++); pi.push(-1); }
    else { x.push(b); ci.push(-1); pi.push(j++); }
  }
  return { x, current: Int32Array.from(ci), previous: Int32Array.from(pi) };
}

/**
 * Column values on the merged x. Non-finite values (and those `clip` rejects) become null,
 * which uPlot draws as a gap; steps the run has no point at become undefined, which uPlot
 * spans, so interleaving two runs' steps does not break either line.
 */
export function pick(col: readonly number[], index: Int32Array | null, clip?: (v: number) => number): (number | null | undefined)[] {
  const n = index ? index.length : col.length;
  const out = new Array<number | null | undefined>(n);
  for (let k = 0; k < n; k++) {
    const i = index ? index[k]! : k;
    if (i < 0) continue;
    let v = col[i]!;
    if (clip) v = clip(v);
    out[k] = Number.isFinite(v) ? v : null;
  }
  return out;
}
