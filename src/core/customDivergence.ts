/**
 * f-divergences from a user-supplied convex f on (0, ∞), with everything the catalog states in
 * closed form obtained numerically: f′ by central differences, f* as sup_u {u·t − f(u)} over a
 * log grid refined by golden-section search, and the tail limits from f at extreme u.
 */
import type { FDivergence } from './divergences';

/** Relative step of the central difference: ∛ε balances truncation and rounding. */
const DIFF_STEP = 6e-6;
/** log u spans [−LOG_SPAN, LOG_SPAN] in the conjugate's search (u from 4e-18 to 2e17). */
const LOG_SPAN = 40;
const LOG_STEP = 0.5;
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Whether f at two far-apart points (six decades) agrees closely enough to call its limit finite. */
function converged(a: number, b: number): boolean {
  return Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= 1e-3 * Math.max(1, Math.abs(b));
}

/** α with |f(u)| ≍ u^α between u1 and u2, rounded to a half so that log factors drop out. */
function power(f: (u: number) => number, u1: number, u2: number): number {
  const alpha = Math.log(Math.abs(f(u2)) / Math.abs(f(u1))) / Math.log(u2 / u1);
  return Number.isFinite(alpha) ? Math.round(2 * alpha) / 2 : 0;
}

/** sup over u > 0 of u·t − f(u): +Infinity when it grows without bound. */
function numericConjugate(f: (u: number) => number, t: number, f0: number): number {
  const g = (s: number): number => {
    const u = Math.exp(s);
    const v = u * t - f(u);
    return Number.isNaN(v) ? -Infinity : v;
  };
  const steps = Math.round((2 * LOG_SPAN) / LOG_STEP);
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i <= steps; i++) {
    const v = g(-LOG_SPAN + i * LOG_STEP);
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  // u·t − f(u) is concave in u, so a maximum at the last grid point means it keeps growing or levels off.
  if (best === steps && g(1.5 * LOG_SPAN) > bestValue + 1e-12 * (1 + Math.abs(bestValue))) return Infinity;
  if (best === 0) return Math.max(bestValue, -f0);
  let a = -LOG_SPAN + (best - 1) * LOG_STEP;
  let b = -LOG_SPAN + Math.min(best + 1, steps) * LOG_STEP;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let gc = g(c);
  let gd = g(d);
  for (let i = 0; i < 80 && b - a > 1e-12; i++) {
    if (gc > gd) {
      b = d;
      d = c;
      gd = gc;
      c = b - GOLDEN * (b - a);
      gc = g(c);
    } else {
      a = c;
      c = d;
      gc = gd;
      d = a + GOLDEN * (b - a);
      gd = g(d);
    }
  }
  return Math.max(bestValue, gc, gd);
}

/** An f-divergence for a convex f with f(1) finite (normally 0); f is only called with u > 0. */
export function customFDivergence(name: string, f: (u: number) => number): FDivergence {
  const f1 = f(1);
  if (!Number.isFinite(f1)) throw new RangeError(`f-divergence "${name}": f(1) must be finite, got ${f1}`);
  const fPrime = (u: number): number => {
    const h = DIFF_STEP * u;
    return (f(u + h) - f(u - h)) / (2 * h);
  };
  const f0 = converged(f(1e-12), f(1e-18)) ? f(1e-18) : Infinity;
  const slopeAtInfinity = converged(f(1e12) / 1e12, f(1e18) / 1e18) ? f(1e18) / 1e18 : Infinity;
  const fPrimeAtZero = converged(fPrime(1e-12), fPrime(1e-18)) ? fPrime(1e-18) : -Infinity;
  const powerAtZero = Number.isFinite(f0) && f0 !== 0 ? 0 : power(f, 1e-9, 1e-12);
  const powerAtInfinity = power(f, 1e9, 1e12);
  const hi = slopeAtInfinity;
  return {
    name,
    label: `custom f-divergence "${name}": ∫q f(p/q) (numerical f′ and f*)`,
    f,
    fPrime,
    conjugate: (t) => (Number.isNaN(t) ? NaN : t > hi ? Infinity : numericConjugate(f, t, f0)),
    // With f defined on (0, ∞) only, f* is finite for every t below lim f′(∞); the end itself is not known to be attained.
    activation: Number.isFinite(hi) ? (v) => hi - Math.exp(-v) : (v) => v,
    domain: { lo: -Infinity, hi, loOpen: true, hiOpen: true },
    optimalCritic: (l) => (l === Infinity ? slopeAtInfinity : l === -Infinity ? fPrimeAtZero : fPrime(Math.exp(l))),
    integrand: (lp, lq) => {
      if (lp === -Infinity && lq === -Infinity) return 0;
      if (lq === -Infinity) return Math.exp(lp) * slopeAtInfinity;
      if (lp === -Infinity) return Math.exp(lq) * f0;
      const l = lp - lq;
      const u = Math.exp(l);
      if (l <= 0) return Math.exp(lq) * f(u);
      return Math.exp(lp) * (u === Infinity ? slopeAtInfinity : f(u) / u);
    },
    f1,
    tail: { f0, slopeAtInfinity, powerAtZero, powerAtInfinity },
  };
}
