/**
 * Whether an f-divergence between two Gaussian mixtures in ℝ² diverges in the tails: the 2-D
 * form of tails.ts. Along a direction u, a mixture decays like exp(−½·r²·min_k u'Λ_k u)
 * (Λ_k the precisions): its widest component in that direction wins. With P(u), Q(u) those
 * rates, q·f(p/q) ≍ q^{1−α} p^α decays at rate αP + (1−α)Q, α from the divergence's
 * TailBehaviour (powerAtInfinity where p/q → ∞, powerAtZero where p/q → 0). For single
 * Gaussians a, b and Pearson χ² this is theory.md §7's rule: ∫a²/b < ∞ iff 2Λ_a − Λ_b ≻ 0.
 *
 * Every u'Mu is c₀ + c₁cos 2θ + c₂ sin 2θ. Between consecutive angles where two of the
 * forms cross, which component is widest and which regime holds are fixed, so the rate is
 * one sinusoid there and its minimum lies at an end or at the sinusoid's stationary angle:
 * checking those angles is exact. A rate of exactly 0 in some direction (the linear terms
 * would decide) is reported as divergent, the conservative side.
 */
import type { TailBehaviour } from './tails';
import type { Sym2 } from './targets2d';

type Sinusoid = readonly [number, number, number];

const sinusoid = (m: Sym2): Sinusoid => [(m.a + m.c) / 2, (m.a - m.c) / 2, m.b];
const at = (s: Sinusoid, phi: number): number => s[0] + s[1] * Math.cos(phi) + s[2] * Math.sin(phi);
const combine = (alpha: number, s: Sinusoid, t: Sinusoid): Sinusoid =>
  [alpha * s[0] + (1 - alpha) * t[0], alpha * s[1] + (1 - alpha) * t[1], alpha * s[2] + (1 - alpha) * t[2]];

/** Angles φ = 2θ where s = t. */
function crossings(s: Sinusoid, t: Sinusoid): number[] {
  const d = [s[0] - t[0], s[1] - t[1], s[2] - t[2]];
  const r = Math.hypot(d[1], d[2]);
  if (r === 0 || Math.abs(d[0]) > r) return [];
  const base = Math.atan2(d[2], d[1]);
  const spread = Math.acos(-d[0] / r);
  return [base + spread, base - spread];
}

/** Stationary angles φ of a sinusoid. */
function stationary(s: Sinusoid): number[] {
  const base = Math.atan2(s[2], s[1]);
  return [base, base + Math.PI];
}

const RELATIVE_TIE = 1e-9;

/** Whether ∫ q·f(p/q) diverges in the tails, for mixtures with precisions pPrecisions (data) and qPrecisions (model). */
export function tailsDiverge2D(behaviour: TailBehaviour, pPrecisions: readonly Sym2[], qPrecisions: readonly Sym2[]): boolean {
  const ps = pPrecisions.map(sinusoid);
  const qs = qPrecisions.map(sinusoid);
  const forms = [...ps, ...qs];
  const angles: number[] = [0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2];
  for (let i = 0; i < forms.length; i++) for (let j = i + 1; j < forms.length; j++) angles.push(...crossings(forms[i], forms[j]));
  for (const alpha of [behaviour.powerAtZero, behaviour.powerAtInfinity]) {
    for (const s of ps) for (const t of qs) angles.push(...stationary(combine(alpha, s, t)));
  }
  for (const phi of angles) {
    const rp = Math.min(...ps.map((s) => at(s, phi)));
    const rq = Math.min(...qs.map((s) => at(s, phi)));
    const scale = Math.abs(rp) + Math.abs(rq);
    // Equal rates: p/q tends to a bounded factor times a linear exponent; only the linear terms decide, and both tails integrate.
    if (Math.abs(rp - rq) <= RELATIVE_TIE * scale) continue;
    const alpha = rp < rq ? behaviour.powerAtInfinity : behaviour.powerAtZero;
    const rate = alpha * rp + (1 - alpha) * rq;
    if (rate <= RELATIVE_TIE * (Math.abs(alpha * rp) + Math.abs((1 - alpha) * rq))) return true;
  }
  return false;
}
