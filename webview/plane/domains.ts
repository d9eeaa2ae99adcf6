/**
 * The value ranges the 2-D maps colour, and where they have nothing to say. Pure (no DOM):
 * unit-tested in Node.
 */
import type { CriticOutputKind } from '../../src/protocol';
import { finiteMax, Q_CLIP_FACTOR } from '../charts/densityRange';

/** Share of the peak of p + q below which a cell has no mass to speak of (as the 1-D critic chart). */
export const SUPPORT = 1e-3;
/** Decades a log density scale spans below its top. */
export const LOG_DECADES = 4;
/** Share of cells with the largest |value| a diverging map lets run off its ends. */
export const DIVERGING_TAIL = 0.005;

export interface DensityDomain {
  readonly top: number;
  /** q's peak is above `top`: the brightest colour means "at least this". */
  readonly clipped: boolean;
  readonly qPeak: number;
}

/**
 * The q map's top: q's peak, but at most Q_CLIP_FACTOR × p's peak (as the 1-D density chart),
 * so that a collapsed generator's spike does not turn the rest of q dark.
 */
export function densityDomain(p: ArrayLike<number>, q: ArrayLike<number>): DensityDomain {
  const pPeak = finiteMax(p);
  const qPeak = finiteMax(q);
  const cap = pPeak > 0 ? Q_CLIP_FACTOR * pPeak : Infinity;
  const top = Math.min(qPeak, cap);
  return { top: top > 0 ? top : pPeak > 0 ? pPeak : 1, clipped: qPeak > cap, qPeak };
}

/** 1 where p + q holds at least SUPPORT of its peak, else 0. */
export function supportMask(p: ArrayLike<number>, q: ArrayLike<number>): Uint8Array {
  const n = p.length;
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const s = (p[i]! || 0) + (q[i]! || 0);
    if (s > peak && s < Infinity) peak = s;
  }
  const out = new Uint8Array(n);
  const floor = SUPPORT * peak;
  for (let i = 0; i < n; i++) out[i] = (p[i]! || 0) + (q[i]! || 0) > floor ? 1 : 0;
  return out;
}

let scratch = new Float64Array(0);

/** The k-th smallest of v[0..n) (0-based), rearranging v: Hoare's selection, O(n) on average. */
function select(v: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = v[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i]! < pivot) i++;
      while (v[j]! > pivot) j--;
      if (i <= j) {
        const t = v[i]!;
        v[i] = v[j]!;
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return v[k]!;
  }
  return v[k]!;
}

/**
 * The `share`-quantile of |a| over finite entries (where `mask` allows, and not 0 with
 * `skipZeros`): the value at index ⌊share·n⌋ of them sorted, found by selection (this runs on
 * every map every frame).
 */
export function absQuantile(a: ArrayLike<number>, share: number, mask?: Uint8Array, skipZeros = false): number {
  if (scratch.length < a.length) scratch = new Float64Array(a.length);
  let n = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if ((!mask || mask[i]) && v < Infinity && (v > 0 || !skipZeros)) {
      scratch[n++] = v;
      if (v > max) max = v;
    }
  }
  if (n === 0) return 0;
  const k = Math.min(n - 1, Math.floor(share * n));
  return k === n - 1 ? max : select(scratch, n, k);
}

export interface SymmetricDomain {
  readonly maxAbs: number;
  /** Some cells lie beyond ±maxAbs and take the end colours. */
  readonly clipped: boolean;
}

/**
 * ±m for a diverging map: m is the largest |value| but for the DIVERGING_TAIL share of the
 * non-zero cells with the largest ones, so that a handful of extreme cells does not wash out
 * the rest (counted among non-zero cells: a map with a few cells of mass keeps them all).
 */
export function symmetricDomain(a: ArrayLike<number>, mask?: Uint8Array): SymmetricDomain {
  const all = absQuantile(a, 1, mask);
  const m = absQuantile(a, 1 - DIVERGING_TAIL, mask, true);
  const maxAbs = m > 0 ? m : all;
  return { maxAbs, clipped: maxAbs < all };
}

/** Differences D − D* where both are finite and the cell has mass; NaN elsewhere. */
export function difference(critic: ArrayLike<number>, optimal: ArrayLike<number>, mask: Uint8Array): Float32Array {
  const out = new Float32Array(critic.length);
  for (let i = 0; i < out.length; i++) {
    const d = critic[i]! - optimal[i]!;
    out[i] = mask[i] && Number.isFinite(d) ? d : NaN;
  }
  return out;
}

export interface CriticDomain {
  readonly lo: number;
  readonly hi: number;
}

/**
 * One range for the critic and its optimum, so both maps share a colour scale: D and D* in
 * [0, 1]; otherwise the critic's range, widened by the optimum where there is mass but by at
 * most twice the critic's own span (T* = f′(p/q) runs off to ±∞ where p/q is extreme).
 */
export function criticDomain(kind: CriticOutputKind, critic: ArrayLike<number>, optimal: ArrayLike<number>, mask: Uint8Array): CriticDomain {
  if (kind === 'discriminator') return { lo: 0, hi: 1 };
  let cLo = Infinity;
  let cHi = -Infinity;
  for (let i = 0; i < critic.length; i++) {
    const c = critic[i]!;
    if (Number.isFinite(c)) { cLo = Math.min(cLo, c); cHi = Math.max(cHi, c); }
  }
  if (!(cLo <= cHi)) return { lo: -1, hi: 1 };
  const span = Math.max(cHi - cLo, 0.5);
  let lo = cLo;
  let hi = cHi;
  for (let i = 0; i < optimal.length; i++) {
    const o = optimal[i]!;
    if (!mask[i] || Number.isNaN(o)) continue;
    lo = Math.min(lo, Math.max(o, cLo - 2 * span));
    hi = Math.max(hi, Math.min(o, cHi + 2 * span));
  }
  return lo < hi ? { lo, hi } : { lo: lo - 1, hi: hi + 1 };
}

/**
 * A Wasserstein critic is defined up to an additive constant and (with clipping) an unknown
 * scale: centred on its mean under (p + q)/2 and its largest deviation scaled to 1, as in 1-D.
 */
export function centreAndScale(v: ArrayLike<number>, p: ArrayLike<number>, q: ArrayLike<number>): Float32Array {
  let sw = 0;
  let sv = 0;
  for (let i = 0; i < v.length; i++) {
    const w = (p[i]! || 0) + (q[i]! || 0);
    if (Number.isFinite(v[i]!) && Number.isFinite(w)) { sw += w; sv += w * v[i]!; }
  }
  const mean = sw > 0 ? sv / sw : 0;
  let max = 0;
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]!)) max = Math.max(max, Math.abs(v[i]! - mean));
  const k = max > 0 ? 1 / max : 1;
  return Float32Array.from(v, (x) => (Number.isFinite(x) ? (x - mean) * k : NaN));
}

/**
 * Density levels that enclose the given shares of the total mass (highest-density regions):
 * the level of 0.5 is the density above which cells hold half of p. Cells have equal area, so
 * densities sort like masses. Levels come out in the order of `shares`.
 */
export function massLevels(density: ArrayLike<number>, shares: readonly number[]): number[] {
  const vs = Array.from(density, (v) => (v > 0 && v < Infinity ? v : 0)).sort((a, b) => b - a);
  const total = vs.reduce((s, v) => s + v, 0);
  if (!(total > 0)) return shares.map(() => NaN);
  const wanted = shares.map((s, k) => ({ s, k })).sort((a, b) => a.s - b.s);
  const out = new Array<number>(shares.length).fill(NaN);
  let acc = 0;
  let w = 0;
  for (let i = 0; i < vs.length && w < wanted.length; i++) {
    acc += vs[i]!;
    while (w < wanted.length && acc >= wanted[w]!.s * total) {
      out[wanted[w]!.k] = vs[i]!;
      w++;
    }
  }
  return out;
}
