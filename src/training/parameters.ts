/**
 * The networks' parameters as one packed vector, with where each weight tensor lives in it,
 * and their seeded initial values. Both engines start from these, so a seed gives the same run
 * on the tfjs engine and the fused one, on every backend.
 */
import type { Rng } from '../core/rng';
import { mlpWidths, type AffineShape, type MlpShape, type NetworkShapes } from './networkShapes';

/** Where one weight tensor lives in the packed parameter vector. */
export interface Slot {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
}

export interface PackedParameters {
  readonly layout: readonly Slot[];
  readonly values: Float32Array;
}

function pack(parts: readonly { name: string; shape: number[]; values: Float32Array }[]): PackedParameters {
  const layout: Slot[] = [];
  let offset = 0;
  for (const p of parts) {
    layout.push({ name: p.name, shape: p.shape, offset, size: p.values.length });
    offset += p.values.length;
  }
  const values = new Float32Array(offset);
  parts.forEach((p, i) => values.set(p.values, layout[i]!.offset));
  return { layout, values };
}

function glorot(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const values = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < values.length; i++) values[i] = (2 * rng.next() - 1) * limit;
  return values;
}

/** w0, b0, w1, b1, …: Glorot-uniform weights ([fanIn, width], row-major) and zero biases. */
export function mlpParameters(rng: Rng, shape: MlpShape): PackedParameters {
  const parts: { name: string; shape: number[]; values: Float32Array }[] = [];
  let fanIn = shape.inputs;
  mlpWidths(shape).forEach((width, i) => {
    parts.push({ name: `w${i}`, shape: [fanIn, width], values: glorot(rng, fanIn, width) });
    parts.push({ name: `b${i}`, shape: [1, width], values: new Float32Array(width) });
    fanIn = width;
  });
  return pack(parts);
}

/** μ ([d]) and A ([d, d]) of x = μ + A·z; A is named sigma in 1-D, where it is σ. */
export function affineParameters(shape: AffineShape): PackedParameters {
  const d = shape.outputs;
  return pack([
    { name: 'mu', shape: [d], values: Float32Array.from(shape.mean) },
    { name: d === 1 ? 'sigma' : 'scale', shape: [d, shape.inputs], values: Float32Array.from(shape.scale) },
  ]);
}

export interface InitialParameters {
  readonly generator: PackedParameters;
  readonly critic: PackedParameters;
}

/** The generator's, then the critic's: the order the seeded RNG is drawn in. */
export function initialParameters(rng: Rng, shapes: NetworkShapes): InitialParameters {
  const g = shapes.generator;
  const generator = g.kind === 'affine' ? affineParameters(g) : mlpParameters(rng, g);
  return { generator, critic: mlpParameters(rng, shapes.critic) };
}

/** Name of the weight tensor holding packed index i, e.g. `critic/w1`. */
export function slotName(network: string, layout: readonly Slot[], index: number): string {
  const slot = layout.find((s) => index >= s.offset && index < s.offset + s.size);
  return `${network}/${slot?.name ?? '?'}`;
}
