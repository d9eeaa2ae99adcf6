/**
 * The f-divergence catalog of theory.md §1 as a typed registry. Conventions: natural logs,
 * D_f(P‖Q) = ∫ q f(p/q), P the data and Q the model. Everything that takes p and q works from
 * log p and log q, so tails never produce 0·∞.
 */
import { LN2, LN4, softplus } from './special';
import type { TailBehaviour } from './tails';

export type FDivergenceName = 'kl' | 'reverse_kl' | 'pearson' | 'neyman' | 'squared_hellinger' | 'jensen_shannon' | 'gan' | 'total_variation';
export type DivergenceName = FDivergenceName | 'jsd' | 'wasserstein1';

/** Every divergence of the catalog (nats; W₁ in units of x); +Infinity where the integral diverges. */
export type DivergenceValues = Readonly<Record<DivergenceName, number>>;

/** dom f*, the interval the critic T must stay in. */
export interface ConjugateDomain {
  readonly lo: number;
  readonly hi: number;
  readonly loOpen: boolean;
  readonly hiOpen: boolean;
}

export interface FDivergence {
  readonly name: FDivergenceName | string;
  /** Says exactly what is computed, e.g. "2·JSD (f-GAN Jensen–Shannon, ∫q f(p/q))". */
  readonly label: string;
  f(u: number): number;
  fPrime(u: number): number;
  /** f*(t); +Infinity outside dom f*. */
  conjugate(t: number): number;
  /** g_f: maps a raw critic output v ∈ ℝ into dom f*. */
  activation(v: number): number;
  readonly domain: ConjugateDomain;
  /** T* = f′(p/q) from log p − log q. */
  optimalCritic(logRatio: number): number;
  /** q·f(p/q) (a density, per unit x) from log p and log q; handles p = 0 and q = 0. */
  integrand(logP: number, logQ: number): number;
  /** f(1): 0 except for GAN (−log 4). */
  readonly f1: number;
  /** Limits that decide whether the integral diverges in a tail. */
  readonly tail: TailBehaviour;
}

export { customFDivergence } from './customDivergence';

const domain = (lo: number, hi: number, loOpen: boolean, hiOpen: boolean): ConjugateDomain => ({ lo, hi, loOpen, hiOpen });

/** Whether t lies in dom f*. */
export function inConjugateDomain(d: ConjugateDomain, t: number): boolean {
  return (d.loOpen ? t > d.lo : t >= d.lo) && (d.hiOpen ? t < d.hi : t <= d.hi);
}

type Entry = Omit<FDivergence, 'name' | 'conjugate'> & { conjugateInDomain(t: number): number };

function entry(name: FDivergenceName, e: Entry): FDivergence {
  const { conjugateInDomain, ...rest } = e;
  return {
    name,
    ...rest,
    conjugate: (t) => (Number.isNaN(t) ? NaN : inConjugateDomain(e.domain, t) ? conjugateInDomain(t) : Infinity),
  };
}

/** Both densities zero: the point carries no mass of either and contributes nothing. */
const bothZero = (lp: number, lq: number): boolean => lp === -Infinity && lq === -Infinity;

/** Squared distance in the form a·(1 − e^{−|l|·s})² scaled by the larger density (s = 1 for χ², ½ for Hellinger). */
function squaredGap(lp: number, lq: number, s: number): { big: number; gap: number } {
  const l = lp - lq;
  return l >= 0 ? { big: lp, gap: -Math.expm1(-s * l) } : { big: lq, gap: -Math.expm1(s * l) };
}

/** log(2p/(p + q)) from l = log p − log q, without cancellation near l = 0. */
function logTwiceShare(l: number): number {
  return Math.abs(l) <= 1 ? -Math.log1p(0.5 * Math.expm1(-l)) : LN2 - softplus(-l);
}

const KL = entry('kl', {
  label: 'KL(P‖Q) = ∫p log(p/q)',
  f: (u) => (u === 0 ? 0 : u * Math.log(u)),
  fPrime: (u) => 1 + Math.log(u),
  conjugateInDomain: (t) => Math.exp(t - 1),
  activation: (v) => v,
  domain: domain(-Infinity, Infinity, true, true),
  optimalCritic: (l) => 1 + l,
  integrand: (lp, lq) => (lp === -Infinity ? 0 : lq === -Infinity ? Infinity : Math.exp(lp) * (lp - lq)),
  f1: 0,
  tail: { f0: 0, slopeAtInfinity: Infinity, powerAtZero: 1, powerAtInfinity: 1 },
});

const REVERSE_KL = entry('reverse_kl', {
  label: 'KL(Q‖P) = ∫q log(q/p) (reverse KL)',
  f: (u) => -Math.log(u),
  fPrime: (u) => -1 / u,
  conjugateInDomain: (t) => -1 - Math.log(-t),
  activation: (v) => -Math.exp(-v),
  domain: domain(-Infinity, 0, true, true),
  optimalCritic: (l) => -Math.exp(-l),
  integrand: (lp, lq) => (lq === -Infinity ? 0 : lp === -Infinity ? Infinity : Math.exp(lq) * (lq - lp)),
  f1: 0,
  tail: { f0: Infinity, slopeAtInfinity: 0, powerAtZero: 0, powerAtInfinity: 0 },
});

const PEARSON = entry('pearson', {
  label: 'Pearson χ²(P‖Q) = ∫(p − q)²/q',
  f: (u) => (u - 1) ** 2,
  fPrime: (u) => 2 * (u - 1),
  conjugateInDomain: (t) => 0.25 * t * t + t,
  activation: (v) => v,
  domain: domain(-Infinity, Infinity, true, true),
  optimalCritic: (l) => 2 * Math.expm1(l),
  integrand: (lp, lq) => {
    if (bothZero(lp, lq)) return 0;
    if (lq === -Infinity) return Infinity;
    if (lp === -Infinity) return Math.exp(lq);
    // (p − q)²/q = (p²/q)(1 − q/p)² when p ≥ q, so nothing overflows before the product does.
    const { big, gap } = squaredGap(lp, lq, 1);
    return Math.exp(2 * big - lq) * gap * gap;
  },
  f1: 0,
  tail: { f0: 1, slopeAtInfinity: Infinity, powerAtZero: 0, powerAtInfinity: 2 },
});

const NEYMAN = entry('neyman', {
  label: 'Neyman χ²(P‖Q) = ∫(q − p)²/p',
  f: (u) => (1 - u) ** 2 / u,
  fPrime: (u) => 1 - 1 / (u * u),
  // f*(1) = sup_u (2 − 1/u) = 2 is finite, so dom f* is closed at 1 (g_f never reaches it).
  conjugateInDomain: (t) => 2 - 2 * Math.sqrt(1 - t),
  activation: (v) => -Math.expm1(-v),
  domain: domain(-Infinity, 1, true, false),
  optimalCritic: (l) => -Math.expm1(-2 * l),
  integrand: (lp, lq) => {
    if (bothZero(lp, lq)) return 0;
    if (lp === -Infinity) return Infinity;
    if (lq === -Infinity) return Math.exp(lp);
    const { big, gap } = squaredGap(lp, lq, 1);
    return Math.exp(2 * big - lp) * gap * gap;
  },
  f1: 0,
  tail: { f0: Infinity, slopeAtInfinity: 1, powerAtZero: -1, powerAtInfinity: 1 },
});

const HELLINGER = entry('squared_hellinger', {
  label: 'squared Hellinger ∫(√p − √q)² (no ½; = 2 − 2∫√(pq))',
  f: (u) => (Math.sqrt(u) - 1) ** 2,
  fPrime: (u) => 1 - 1 / Math.sqrt(u),
  conjugateInDomain: (t) => t / (1 - t),
  activation: (v) => -Math.expm1(-v),
  domain: domain(-Infinity, 1, true, true),
  optimalCritic: (l) => -Math.expm1(-0.5 * l),
  integrand: (lp, lq) => {
    if (bothZero(lp, lq)) return 0;
    const { big, gap } = squaredGap(lp, lq, 0.5);
    return Math.exp(big) * gap * gap;
  },
  f1: 0,
  tail: { f0: 1, slopeAtInfinity: 1, powerAtZero: 0, powerAtInfinity: 1 },
});

const JENSEN_SHANNON = entry('jensen_shannon', {
  label: '2·JSD (f-GAN Jensen–Shannon, ∫q f(p/q) = KL(P‖M) + KL(Q‖M))',
  f: (u) => (u === 0 ? LN2 : -(u + 1) * Math.log((1 + u) / 2) + u * Math.log(u)),
  fPrime: (u) => LN2 + Math.log(u) - Math.log1p(u),
  conjugateInDomain: (t) => -Math.log(2 - Math.exp(t)),
  activation: (v) => LN2 - softplus(-v),
  domain: domain(-Infinity, LN2, true, true),
  optimalCritic: (l) => LN2 - softplus(-l),
  integrand: (lp, lq) => {
    if (bothZero(lp, lq)) return 0;
    if (lq === -Infinity) return Math.exp(lp) * LN2;
    if (lp === -Infinity) return Math.exp(lq) * LN2;
    const l = lp - lq;
    return Math.exp(lp) * logTwiceShare(l) + Math.exp(lq) * logTwiceShare(-l);
  },
  f1: 0,
  tail: { f0: LN2, slopeAtInfinity: LN2, powerAtZero: 0, powerAtInfinity: 1 },
});

const GAN = entry('gan', {
  label: '2·JSD − log 4 (GAN f, = V(G, D*))',
  f: (u) => (u === 0 ? 0 : u * Math.log(u) - (u + 1) * Math.log1p(u)),
  fPrime: (u) => Math.log(u) - Math.log1p(u),
  conjugateInDomain: (t) => -Math.log(-Math.expm1(t)),
  activation: (v) => -softplus(-v),
  domain: domain(-Infinity, 0, true, true),
  optimalCritic: (l) => -softplus(-l),
  integrand: (lp, lq) => {
    if (lp === -Infinity || lq === -Infinity) return 0;
    const l = lp - lq;
    return -Math.exp(lp) * softplus(-l) - Math.exp(lq) * softplus(l);
  },
  f1: -LN4,
  tail: { f0: 0, slopeAtInfinity: 0, powerAtZero: 1, powerAtInfinity: 0 },
});

const TOTAL_VARIATION = entry('total_variation', {
  label: 'total variation ½∫|p − q|',
  f: (u) => 0.5 * Math.abs(u - 1),
  fPrime: (u) => 0.5 * Math.sign(u - 1),
  conjugateInDomain: (t) => t,
  activation: (v) => 0.5 * Math.tanh(v),
  domain: domain(-0.5, 0.5, false, false),
  optimalCritic: (l) => 0.5 * Math.sign(l),
  integrand: (lp, lq) => {
    if (bothZero(lp, lq)) return 0;
    const { big, gap } = squaredGap(lp, lq, 1);
    return 0.5 * Math.exp(big) * gap;
  },
  f1: 0,
  tail: { f0: 0.5, slopeAtInfinity: 0.5, powerAtZero: 0, powerAtInfinity: 1 },
});

export const F_DIVERGENCES: Readonly<Record<FDivergenceName, FDivergence>> = {
  kl: KL,
  reverse_kl: REVERSE_KL,
  pearson: PEARSON,
  neyman: NEYMAN,
  squared_hellinger: HELLINGER,
  jensen_shannon: JENSEN_SHANNON,
  gan: GAN,
  total_variation: TOTAL_VARIATION,
};

/** In the order of the keys of the reference JSON (shared/reference/divergences.json). */
export const DIVERGENCE_NAMES: readonly DivergenceName[] = [
  'kl', 'reverse_kl', 'pearson', 'neyman', 'squared_hellinger', 'jensen_shannon', 'gan', 'total_variation', 'jsd', 'wasserstein1',
];

/** The f-divergences of the catalog (every name but the JSD and W₁). */
export const F_DIVERGENCE_NAMES = DIVERGENCE_NAMES.filter((n): n is FDivergenceName => n !== 'jsd' && n !== 'wasserstein1');

/** Keys in the reference JSON and the CLI's output; only the f-GAN Jensen–Shannon form is renamed. */
export const DIVERGENCE_JSON_KEYS: Readonly<Record<DivergenceName, string>> = {
  kl: 'kl',
  reverse_kl: 'reverse_kl',
  pearson: 'pearson',
  neyman: 'neyman',
  squared_hellinger: 'squared_hellinger',
  jensen_shannon: 'jensen_shannon_f',
  gan: 'gan',
  total_variation: 'total_variation',
  jsd: 'jsd',
  wasserstein1: 'wasserstein1',
};

export const DIVERGENCE_LABELS: Readonly<Record<DivergenceName, string>> = {
  ...(Object.fromEntries(Object.entries(F_DIVERGENCES).map(([k, d]) => [k, d.label])) as Record<FDivergenceName, string>),
  jsd: 'JSD = ½KL(P‖M) + ½KL(Q‖M), M = (P+Q)/2, in [0, log 2] nats',
  wasserstein1: 'W₁(P, Q) = ∫|F_P − F_Q| dx',
};
