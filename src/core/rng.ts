/**
 * Seeded random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit
 * state, passes PractRand) seeded through splitmix32, with Marsaglia's polar method for normals.
 * The same seed gives the same stream on every platform, which is what makes runs replayable.
 */

export interface Rng {
  /** Uniform on [0, 1) with 53 random bits. */
  next(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  constructor(seed: number) {
    // Both 32-bit halves of the seed feed the state, so seeds above 2³² stay distinct.
    const low = splitmix32(seed >>> 0);
    const high = splitmix32(Math.floor(seed / 0x100000000) ^ 0x5bd1e995);
    this.a = low();
    this.b = high();
    this.c = low() ^ high();
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next32();
  }

  private next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    const hi = this.next32() >>> 5;
    const lo = this.next32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const scale = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * scale;
    return u * scale;
  }
}

/** A generator for `seed` (any finite number; its integer part is used). */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  return new Sfc32(Math.trunc(seed));
}
