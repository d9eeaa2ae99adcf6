/**
 * Asymptotic tails of densities, used to decide whether a divergence integral is infinite.
 * A grid or a quadrature only ever sees a finite interval; whether ∫q²/p converges is a
 * property of the tails, so it is decided here from their exact asymptotic form instead of
 * from how large a finite sum happens to get.
 */

/**
 * Leading behaviour log f(x) = a·x² + b·x + O(1) as x → ±∞ (a < 0, per unit x²), which is
 * what a Gaussian mixture's widest component (or a Gaussian push-forward tail) has.
 */
export interface GaussianTail {
  readonly a: number;
  readonly b: number;
}

/** Tails on both sides; null where the density is zero beyond some finite point. */
export interface Tails {
  readonly lower: GaussianTail | null;
  readonly upper: GaussianTail | null;
}

/** Side of the real line: −1 for x → −∞, +1 for x → +∞. */
export type Side = -1 | 1;

/** How q·f(p/q) behaves when p/q → 0 or ∞; every f-divergence declares it. */
export interface TailBehaviour {
  /** f(0⁺): the integrand is q·f(0⁺) where p vanishes. */
  readonly f0: number;
  /** lim f(u)/u as u → ∞: the integrand is p·slope where q vanishes. */
  readonly slopeAtInfinity: number;
  /** α with q·f(p/q) ≍ q·(p/q)^α up to log factors, as p/q → 0. */
  readonly powerAtZero: number;
  /** α with q·f(p/q) ≍ q·(p/q)^α up to log factors, as p/q → ∞. */
  readonly powerAtInfinity: number;
}

/** The tail of N(mean, std²). */
export function gaussianTail(mean: number, std: number): GaussianTail {
  const precision = 1 / (std * std);
  return { a: -0.5 * precision, b: mean * precision };
}

/** Tails whose precisions, or whose centres in units of their width, agree to this are treated as equal. */
const RELATIVE_TIE = 1e-9;

/** +1 if s decays slower than t as x → side·∞, −1 if faster, 0 if they differ only by a constant factor. */
export function compareTails(s: GaussianTail, t: GaussianTail, side: Side): -1 | 0 | 1 {
  if (Math.abs(s.a - t.a) > RELATIVE_TIE * Math.max(Math.abs(s.a), Math.abs(t.a))) return s.a > t.a ? 1 : -1;
  // b = mean/std², so b/√|a| is a position in units of std: compare on that scale.
  if (Math.abs(s.b - t.b) > RELATIVE_TIE * (Math.abs(s.b) + Math.abs(t.b) + Math.sqrt(Math.abs(s.a) + Math.abs(t.a)))) {
    return side * s.b > side * t.b ? 1 : -1;
  }
  return 0;
}

/** The tail that dominates as x → side·∞, or null when there is none. */
export function dominantTail(tails: readonly (GaussianTail | null)[], side: Side): GaussianTail | null {
  let best: GaussianTail | null = null;
  for (const t of tails) if (t && (!best || compareTails(t, best, side) > 0)) best = t;
  return best;
}

function sideDiverges(behaviour: TailBehaviour, p: GaussianTail | null, q: GaussianTail | null, side: Side): boolean {
  if (!p && !q) return false;
  if (!p) return !Number.isFinite(behaviour.f0);
  if (!q) return !Number.isFinite(behaviour.slopeAtInfinity);
  const ratio = compareTails(p, q, side);
  // p/q tends to a constant: the integrand is a constant times q, which is integrable.
  if (ratio === 0) return false;
  const alpha = ratio > 0 ? behaviour.powerAtInfinity : behaviour.powerAtZero;
  // log of q·(p/q)^α = α·log p + (1 − α)·log q
  const a = alpha * p.a + (1 - alpha) * q.a;
  const b = alpha * p.b + (1 - alpha) * q.b;
  const aScale = Math.abs(alpha * p.a) + Math.abs((1 - alpha) * q.a);
  if (a > RELATIVE_TIE * aScale) return true;
  if (a < -RELATIVE_TIE * aScale) return false;
  const bScale = Math.abs(alpha * p.b) + Math.abs((1 - alpha) * q.b) + Math.sqrt(aScale);
  return side * b >= -RELATIVE_TIE * bScale;
}

/** Whether ∫ q·f(p/q) diverges in either tail. */
export function tailsDiverge(behaviour: TailBehaviour, p: Tails, q: Tails): boolean {
  return sideDiverges(behaviour, p.lower, q.lower, -1) || sideDiverges(behaviour, p.upper, q.upper, 1);
}
