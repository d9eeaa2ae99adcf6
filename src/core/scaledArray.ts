/**
 * k·v as float32, in a loop: Float32Array.from with a map function costs a call per element,
 * which on a snapshot's lattices and point sets is a measurable share of the frame.
 */
export function scaledFloat32(v: ArrayLike<number>, k: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = k * v[i]!;
  return out;
}
