/**
 * Element-wise maps written as plain loops: Float32Array.from / Float64Array.from with a map
 * function cost a call per element, which on a snapshot's lattices and point sets (16,384 cells,
 * every frame) and an oracle's bins (every step) is a measurable share of the work.
 */

/** k·v as float32. */
export function scaledFloat32(v: ArrayLike<number>, k: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = k * v[i]!;
  return out;
}

/** g(a_i, b_i) for each i. */
export function mapPairs(a: ArrayLike<number>, b: ArrayLike<number>, g: (a: number, b: number) => number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = g(a[i]!, b[i]!);
  return out;
}
