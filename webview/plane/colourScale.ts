/**
 * Colour scales for the 2-D maps: a 256-entry lookup table sampled from one of
 * d3-scale-chromatic's perceptually uniform, colour-blind-safe interpolators, and the mapping
 * from a value to an entry (linear, square-root or log, clamped to the domain). No DOM here:
 * the maps paint ImageData with `paint`, the tests run in Node.
 */
import { interpolateCividis, interpolatePuOr, interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';

export const LUT_SIZE = 256;
/** Entry returned for a value that has no colour (NaN, or masked out). */
export const NO_VALUE = -1;

export const SCALE_TRANSFORMS = ['linear', 'sqrt', 'log'] as const;
export type ScaleTransform = (typeof SCALE_TRANSFORMS)[number];

/** d3's interpolators return '#rrggbb' (the sampled schemes) or 'rgb(r, g, b)' (the interpolated ones). */
export function parseColour(css: string): [number, number, number] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (hex) return [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16)];
  const rgb = /^rgb\(\s*(\d+),\s*(\d+),\s*(\d+)\s*\)$/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`not a colour an interpolator returns: ${css}`);
}

/**
 * RGBA bytes of `LUT_SIZE` colours, entry k = interpolator(k / (LUT_SIZE − 1)): the first and
 * last entries are the interpolator's ends.
 */
export function lutFrom(interpolator: (t: number) => string): Uint8ClampedArray {
  const out = new Uint8ClampedArray(4 * LUT_SIZE);
  for (let k = 0; k < LUT_SIZE; k++) {
    const [r, g, b] = parseColour(interpolator(k / (LUT_SIZE - 1)));
    out.set([r, g, b, 255], 4 * k);
  }
  return out;
}

/** The colour maps of the panel, each for one kind of quantity. */
export const COLOUR_MAPS = {
  /** Densities p, q: viridis. */
  density: interpolateViridis,
  /** Critic output D, T, f_w: cividis (made for colour-vision deficiency), distinct from the densities. */
  critic: interpolateCividis,
  /** D − D*: red below 0 (critic too low), blue above. */
  difference: interpolateRdBu,
  /** Contribution to the divergence: purple where negative, orange where positive. */
  contribution: interpolatePuOr,
} as const satisfies Record<string, (t: number) => string>;
export type ColourMapName = keyof typeof COLOUR_MAPS;

const lutCache = new Map<ColourMapName, Uint8ClampedArray>();

export function lutOf(name: ColourMapName): Uint8ClampedArray {
  let lut = lutCache.get(name);
  if (!lut) lutCache.set(name, (lut = lutFrom(COLOUR_MAPS[name])));
  return lut;
}

export interface ScaleSpec {
  readonly lo: number;
  readonly hi: number;
  readonly transform: ScaleTransform;
}

/**
 * Value → colour entry. NaN has no colour; ±∞ and values outside [lo, hi] take the nearest
 * end (a log-density of −∞, i.e. a density of 0, is the lowest colour); a degenerate domain
 * (lo = hi, or not finite) puts every finite value in the middle, the neutral colour of a
 * diverging map.
 */
export class ColourScale {
  readonly lo: number;
  readonly hi: number;
  readonly transform: ScaleTransform;
  private readonly lut32: Uint32Array;
  private readonly degenerate: boolean;
  private readonly logLo: number;
  private readonly logSpan: number;

  constructor(readonly lut: Uint8ClampedArray, spec: ScaleSpec) {
    if (lut.length !== 4 * LUT_SIZE) throw new Error(`a colour table has ${LUT_SIZE} RGBA entries`);
    this.lo = spec.lo;
    this.hi = spec.hi;
    // A log scale needs a positive lower end; without one it falls back to linear.
    this.transform = spec.transform === 'log' && !(spec.lo > 0) ? 'linear' : spec.transform;
    this.lut32 = new Uint32Array(lut.buffer.slice(lut.byteOffset, lut.byteOffset + lut.byteLength));
    this.degenerate = !(Number.isFinite(spec.lo) && Number.isFinite(spec.hi) && spec.hi > spec.lo);
    this.logLo = Math.log(spec.lo);
    this.logSpan = Math.log(spec.hi) - this.logLo;
  }

  /** Where `v` sits along the colour bar, in [0, 1]; NaN for NaN. */
  position(v: number): number {
    if (Number.isNaN(v)) return NaN;
    if (this.degenerate) return 0.5;
    let t: number;
    if (this.transform === 'log') t = v > 0 ? (Math.log(v) - this.logLo) / this.logSpan : 0;
    else t = (v - this.lo) / (this.hi - this.lo);
    if (!(t > 0)) return 0; // also −∞ and a log of −∞
    if (t >= 1) return 1;
    return this.transform === 'sqrt' ? Math.sqrt(t) : t;
  }

  /** Colour-table entry of `v`, or NO_VALUE. */
  index(v: number): number {
    const t = this.position(v);
    return Number.isNaN(t) ? NO_VALUE : Math.round(t * (LUT_SIZE - 1));
  }

  /** RGBA of `v`; transparent black for no value. */
  rgba(v: number): [number, number, number, number] {
    const k = this.index(v);
    if (k === NO_VALUE) return [0, 0, 0, 0];
    const l = this.lut;
    return [l[4 * k]!, l[4 * k + 1]!, l[4 * k + 2]!, l[4 * k + 3]!];
  }

  /** CSS colour of a position t ∈ [0, 1] along the bar. */
  cssAt(t: number): string {
    const k = Math.round(Math.min(1, Math.max(0, t)) * (LUT_SIZE - 1));
    const l = this.lut;
    return `rgb(${l[4 * k]}, ${l[4 * k + 1]}, ${l[4 * k + 2]})`;
  }

  /**
   * Paints a lattice (cell (i, j) at i + nx·j, j growing upwards) into RGBA pixels of an
   * nx × ny image whose first row is the top. Cells with no value, or where `mask` is 0, are
   * transparent. Returns how many cells had no colour.
   */
  paint(values: ArrayLike<number>, nx: number, ny: number, out: Uint8ClampedArray, mask?: Uint8Array): number {
    const px = new Uint32Array(out.buffer, out.byteOffset, nx * ny);
    const lut = this.lut32;
    let blank = 0;
    for (let j = 0; j < ny; j++) {
      const row = (ny - 1 - j) * nx;
      for (let i = 0; i < nx; i++) {
        const c = i + nx * j;
        const k = mask && !mask[c] ? NO_VALUE : this.index(values[c]!);
        if (k === NO_VALUE) {
          px[row + i] = 0;
          blank++;
        } else {
          px[row + i] = lut[k]!;
        }
      }
    }
    return blank;
  }
}

/** A diverging scale centred on 0: [−m, m], so 0 is the middle of the colour bar. */
export function divergingScale(lut: Uint8ClampedArray, maxAbs: number): ColourScale {
  const m = Number.isFinite(maxAbs) && maxAbs > 0 ? maxAbs : 0;
  return new ColourScale(lut, { lo: -m, hi: m, transform: 'linear' });
}
