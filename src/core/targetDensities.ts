/**
 * The target densities behind createTarget. Specs arrive validated and normalised.
 */
import type { Rng } from './rng';
import { LOG_SQRT_2PI, logSumExp, normalCdf, normalLogMassBetween } from './special';
import { bisectRoot, integrate } from './quadrature';
import type { Density1D, MixedPart, TargetSpec, UniformPart } from './targets';
import { targetBreakpoints } from './targetShape';

type MixtureSpec = Extract<TargetSpec, { kind: 'mixture' }>;
type TruncatedSpec = Extract<TargetSpec, { kind: 'truncated' }>;
type MixedSpec = Extract<TargetSpec, { kind: 'mixed' }>;

/** Number for people: up to 4 significant digits, a real minus sign, ∞ spelled out. */
export function formatNumber(v: number): string {
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  const s = Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  return s.replace('-', '−');
}

/** Index of the part chosen by a uniform u, given cumulative weights. */
/** The index k with cumulative[k−1] ≤ u < cumulative[k]: a draw from the weights. */
export function pick(cumulative: Float64Array, u: number): number {
  let k = 0;
  while (k < cumulative.length - 1 && u >= cumulative[k]) k++;
  return k;
}

export function cumulate(weights: readonly number[]): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => { s += w; c[i] = s; });
  return c;
}

export class GaussianMixture implements Density1D {
  readonly description: string;
  private readonly weights: Float64Array;
  private readonly means: Float64Array;
  private readonly stds: Float64Array;
  /** log(w_k / (σ_k √(2π))): the constant part of each component's log density. */
  private readonly logScale: Float64Array;
  private readonly cumulative: Float64Array;
  private readonly terms: Float64Array;

  constructor(readonly spec: MixtureSpec) {
    const cs = spec.components;
    this.weights = Float64Array.from(cs, (c) => c.weight);
    this.means = Float64Array.from(cs, (c) => c.mean);
    this.stds = Float64Array.from(cs, (c) => c.std);
    this.logScale = Float64Array.from(cs, (c) => Math.log(c.weight) - Math.log(c.std) - LOG_SQRT_2PI);
    this.cumulative = cumulate(cs.map((c) => c.weight));
    this.terms = new Float64Array(cs.length);
    const normal = (m: number, s: number): string => `N(${formatNumber(m)}, ${formatNumber(s)}²)`;
    this.description = cs.length === 1 ? normal(cs[0].mean, cs[0].std) : cs.map((c) => `${formatNumber(c.weight)}·${normal(c.mean, c.std)}`).join(' + ');
  }

  logPdf(x: number): number {
    if (Number.isNaN(x)) return NaN;
    let max = -Infinity;
    for (let k = 0; k < this.terms.length; k++) {
      const z = (x - this.means[k]) / this.stds[k];
      const t = this.logScale[k] - 0.5 * z * z;
      this.terms[k] = t;
      if (t > max) max = t;
    }
    if (max === -Infinity) return max;
    let sum = 0;
    for (let k = 0; k < this.terms.length; k++) sum += Math.exp(this.terms[k] - max);
    return max + Math.log(sum);
  }

  pdf(x: number): number {
    return Math.exp(this.logPdf(x));
  }

  cdf(x: number): number {
    let s = 0;
    for (let k = 0; k < this.weights.length; k++) s += this.weights[k] * normalCdf((x - this.means[k]) / this.stds[k]);
    return Math.min(1, s);
  }

  logMassBetween(a: number, b: number): number {
    for (let k = 0; k < this.terms.length; k++) {
      this.terms[k] = Math.log(this.weights[k]) + normalLogMassBetween((a - this.means[k]) / this.stds[k], (b - this.means[k]) / this.stds[k]);
    }
    return logSumExp(this.terms);
  }

  sample(rng: Rng, n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const k = pick(this.cumulative, rng.next());
      out[i] = this.means[k] + this.stds[k] * rng.normal();
    }
    return out;
  }

  mean(): number {
    let m = 0;
    for (let k = 0; k < this.weights.length; k++) m += this.weights[k] * this.means[k];
    return m;
  }

  std(): number {
    const m = this.mean();
    let v = 0;
    for (let k = 0; k < this.weights.length; k++) v += this.weights[k] * (this.stds[k] ** 2 + (this.means[k] - m) ** 2);
    return Math.sqrt(v);
  }

  range(): { lo: number; hi: number } {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < this.means.length; k++) {
      lo = Math.min(lo, this.means[k] - 8 * this.stds[k]);
      hi = Math.max(hi, this.means[k] + 8 * this.stds[k]);
    }
    return { lo, hi };
  }

  support(): { lo: number; hi: number } {
    return { lo: -Infinity, hi: Infinity };
  }
}

/** One uniform or a mixture of uniforms on disjoint intervals (sorted by lo). */
export class UniformMixture implements Density1D {
  readonly description: string;
  private readonly cumulative: Float64Array;

  constructor(readonly spec: TargetSpec, private readonly parts: readonly UniformPart[]) {
    this.cumulative = cumulate(parts.map((p) => p.weight));
    const uniform = (p: UniformPart): string => `U(${formatNumber(p.lo)}, ${formatNumber(p.hi)})`;
    this.description = parts.length === 1 ? uniform(parts[0]) : parts.map((p) => `${formatNumber(p.weight)}·${uniform(p)}`).join(' + ');
  }

  logPdf(x: number): number {
    return Math.log(this.pdf(x));
  }

  pdf(x: number): number {
    for (const p of this.parts) if (x >= p.lo && x <= p.hi) return p.weight / (p.hi - p.lo);
    return 0;
  }

  cdf(x: number): number {
    let s = 0;
    for (const p of this.parts) s += p.weight * Math.min(1, Math.max(0, (x - p.lo) / (p.hi - p.lo)));
    return Math.min(1, s);
  }

  logMassBetween(a: number, b: number): number {
    let s = 0;
    for (const p of this.parts) s += (p.weight * Math.max(0, Math.min(b, p.hi) - Math.max(a, p.lo))) / (p.hi - p.lo);
    return Math.log(s);
  }

  sample(rng: Rng, n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = this.parts[pick(this.cumulative, rng.next())];
      out[i] = p.lo + (p.hi - p.lo) * rng.next();
    }
    return out;
  }

  mean(): number {
    return this.parts.reduce((m, p) => m + p.weight * 0.5 * (p.lo + p.hi), 0);
  }

  std(): number {
    const m = this.mean();
    const v = this.parts.reduce((s, p) => s + p.weight * ((p.hi - p.lo) ** 2 / 12 + (0.5 * (p.lo + p.hi) - m) ** 2), 0);
    return Math.sqrt(v);
  }

  range(): { lo: number; hi: number } {
    return { lo: this.parts[0].lo, hi: this.parts[this.parts.length - 1].hi };
  }

  support(): { lo: number; hi: number } {
    return this.range();
  }
}

/** `base` conditioned on [lo, hi]; `mass` = P_base([lo, hi]) > 0. */
export class Truncated implements Density1D {
  readonly description: string;
  private readonly cdfLo: number;
  private readonly logMass: number;
  private moments: { mean: number; std: number } | undefined;

  constructor(readonly spec: TruncatedSpec, private readonly base: Density1D, private readonly mass: number) {
    this.cdfLo = base.cdf(spec.lo);
    this.logMass = Math.log(mass);
    const inner = spec.base.kind === 'mixture' && spec.base.components.length > 1 ? `(${base.description})` : base.description;
    this.description = `${inner} truncated to [${formatNumber(spec.lo)}, ${formatNumber(spec.hi)}]`;
  }

  logPdf(x: number): number {
    return x >= this.spec.lo && x <= this.spec.hi ? this.base.logPdf(x) - this.logMass : -Infinity;
  }

  pdf(x: number): number {
    return Math.exp(this.logPdf(x));
  }

  cdf(x: number): number {
    if (x <= this.spec.lo) return 0;
    if (x >= this.spec.hi) return 1;
    return Math.min(1, Math.max(0, (this.base.cdf(x) - this.cdfLo) / this.mass));
  }

  logMassBetween(a: number, b: number): number {
    const lo = Math.max(a, this.spec.lo);
    const hi = Math.min(b, this.spec.hi);
    return hi > lo ? this.base.logMassBetween(lo, hi) - this.logMass : -Infinity;
  }

  sample(rng: Rng, n: number): Float64Array {
    const out = new Float64Array(n);
    const { lo, hi } = this.range();
    for (let i = 0; i < n; i++) {
      if (this.mass >= 0.05) {
        // Rejection needs at most 20 draws per sample on average here.
        let x: number;
        do x = this.base.sample(rng, 1)[0];
        while (x < this.spec.lo || x > this.spec.hi);
        out[i] = x;
      } else {
        const u = rng.next();
        out[i] = bisectRoot((x) => this.cdf(x) - u, lo, hi);
      }
    }
    return out;
  }

  private computeMoments(): { mean: number; std: number } {
    const { lo, hi } = this.spec;
    const cuts = [lo, ...targetBreakpoints(this.spec.base).filter((x) => x > lo && x < hi).sort((a, b) => a - b), hi];
    const density = (x: number): number => Math.exp(this.logPdf(x));
    const mean = integrate((x) => x * density(x), cuts);
    const variance = integrate((x) => (x - mean) ** 2 * density(x), cuts);
    return { mean, std: Math.sqrt(variance) };
  }

  mean(): number {
    this.moments ??= this.computeMoments();
    return this.moments.mean;
  }

  std(): number {
    this.moments ??= this.computeMoments();
    return this.moments.std;
  }

  range(): { lo: number; hi: number } {
    const b = this.base.range();
    const width = b.hi - b.lo;
    let lo = Number.isFinite(this.spec.lo) ? this.spec.lo : b.lo;
    let hi = Number.isFinite(this.spec.hi) ? this.spec.hi : b.hi;
    // Truncated deep in a tail: the kept part decays within a fraction of the base's width.
    if (hi <= lo) {
      if (Number.isFinite(this.spec.lo)) hi = lo + width / 2;
      else lo = hi - width / 2;
    }
    return { lo, hi };
  }

  support(): { lo: number; hi: number } {
    const b = this.base.support();
    return { lo: Math.max(b.lo, this.spec.lo), hi: Math.min(b.hi, this.spec.hi) };
  }
}

/** Weighted Gaussian and uniform parts, each its own density; the density is their weighted sum. */
export class Mixed implements Density1D {
  readonly description: string;
  private readonly parts: readonly Density1D[];
  private readonly logWeights: Float64Array;
  private readonly cumulative: Float64Array;
  private readonly terms: Float64Array;

  constructor(readonly spec: MixedSpec) {
    const part = (p: MixedPart): Density1D => ('mean' in p
      ? new GaussianMixture({ kind: 'mixture', components: [{ weight: 1, mean: p.mean, std: p.std }] })
      : new UniformMixture({ kind: 'uniform', lo: p.lo, hi: p.hi }, [{ weight: 1, lo: p.lo, hi: p.hi }]));
    this.parts = spec.parts.map(part);
    this.logWeights = Float64Array.from(spec.parts, (p) => Math.log(p.weight));
    this.cumulative = cumulate(spec.parts.map((p) => p.weight));
    this.terms = new Float64Array(spec.parts.length);
    this.description = this.parts.length === 1 ? this.parts[0].description : this.parts.map((d, k) => `${formatNumber(spec.parts[k].weight)}·${d.description}`).join(' + ');
  }

  private logSum(term: (d: Density1D) => number): number {
    for (let k = 0; k < this.parts.length; k++) this.terms[k] = this.logWeights[k] + term(this.parts[k]);
    return logSumExp(this.terms);
  }

  logPdf(x: number): number {
    return Number.isNaN(x) ? NaN : this.logSum((d) => d.logPdf(x));
  }

  pdf(x: number): number {
    return Math.exp(this.logPdf(x));
  }

  cdf(x: number): number {
    return Math.min(1, this.parts.reduce((s, d, k) => s + this.spec.parts[k].weight * d.cdf(x), 0));
  }

  logMassBetween(a: number, b: number): number {
    return this.logSum((d) => d.logMassBetween(a, b));
  }

  sample(rng: Rng, n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.parts[pick(this.cumulative, rng.next())].sample(rng, 1)[0];
    return out;
  }

  mean(): number {
    return this.parts.reduce((m, d, k) => m + this.spec.parts[k].weight * d.mean(), 0);
  }

  std(): number {
    const m = this.mean();
    return Math.sqrt(this.parts.reduce((v, d, k) => v + this.spec.parts[k].weight * (d.std() ** 2 + (d.mean() - m) ** 2), 0));
  }

  range(): { lo: number; hi: number } {
    return { lo: Math.min(...this.parts.map((d) => d.range().lo)), hi: Math.max(...this.parts.map((d) => d.range().hi)) };
  }

  support(): { lo: number; hi: number } {
    return { lo: Math.min(...this.parts.map((d) => d.support().lo)), hi: Math.max(...this.parts.map((d) => d.support().hi)) };
  }
}
