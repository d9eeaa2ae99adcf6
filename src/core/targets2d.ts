/**
 * Two-dimensional targets P (theory.md §7): plain-JSON specs, their validation, and the
 * normalised form every 2-D computation works from. Ring and grid are mixtures written
 * short; the box is a uniform density; the segment is singular (no density in ℝ²).
 */
import { finiteNumber, positive, record, show, TargetError } from './targets';
import { formatNumber } from './targetDensities';

export type Vec2 = readonly [number, number];
/** Symmetric 2×2 matrix [[a, b], [b, c]] stored as (a, b, c). */
export interface Sym2 {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

export interface Component2DSpec {
  readonly weight?: number;
  readonly mean: Vec2;
  /** Standard deviation, one for both axes or one per axis. */
  readonly std?: number | Vec2;
  /** Covariance [[a, b], [b, c]], symmetric positive definite; instead of std. */
  readonly cov?: readonly [Vec2, Vec2];
}

export type Target2DSpec =
  | { readonly kind: 'mixture'; readonly components: readonly Component2DSpec[] }
  /** `modes` equal components on a circle, the first on the positive x axis. */
  | { readonly kind: 'ring'; readonly modes: number; readonly radius: number; readonly std: number; readonly center?: Vec2 }
  /** side × side equal components `spacing` apart, centred on the origin ("25 Gaussians" is side 5). */
  | { readonly kind: 'grid'; readonly side: number; readonly spacing: number; readonly std: number }
  | { readonly kind: 'box'; readonly lo: Vec2; readonly hi: Vec2 }
  /** Uniform on the segment from → to: singular, it has no density in ℝ². */
  | { readonly kind: 'segment'; readonly from: Vec2; readonly to: Vec2 };

export const TARGET_2D_KINDS = ['mixture', 'ring', 'grid', 'box', 'segment'] as const;

/** A validated Gaussian component; precision = cov⁻¹. */
export interface Gaussian2D {
  readonly weight: number;
  readonly mean: Vec2;
  readonly cov: Sym2;
  readonly precision: Sym2;
  /** log(w / (2π √det cov)): the constant part of the weighted log density. */
  readonly logScale: number;
}

/** `spec` is a plain copy of the validated values (weights normalised), safe to post and to compare. */
export type Target2D =
  | { readonly kind: 'mixture'; readonly spec: Target2DSpec; readonly description: string; readonly components: readonly Gaussian2D[] }
  | { readonly kind: 'box'; readonly spec: Target2DSpec; readonly description: string; readonly lo: Vec2; readonly hi: Vec2 }
  | { readonly kind: 'segment'; readonly spec: Target2DSpec; readonly description: string; readonly from: Vec2; readonly to: Vec2 };

const LOG_2PI = Math.log(2 * Math.PI);

export const det2 = (m: Sym2): number => m.a * m.c - m.b * m.b;
export const isPositiveDefinite = (m: Sym2): boolean => m.a > 0 && det2(m) > 1e-14 * m.a * m.c;
export function invert2(m: Sym2): Sym2 {
  const d = det2(m);
  return { a: m.c / d, b: -m.b / d, c: m.a / d };
}

/** u'Mu for u = (x, y). */
export const quadForm = (m: Sym2, x: number, y: number): number => m.a * x * x + 2 * m.b * x * y + m.c * y * y;

function vec2(v: unknown, field: string): Vec2 {
  if (typeof v === 'number') throw new TargetError(field, `${field} has dimension 1 (a number); a 2-D target needs [x, y]`);
  if (!Array.isArray(v) || v.length !== 2) throw new TargetError(field, `${field} must be [x, y], got ${show(v)}`);
  return [finiteNumber(v[0], `${field}[0]`), finiteNumber(v[1], `${field}[1]`)];
}

function covariance(c: Record<string, unknown>, at: string): Sym2 {
  if (c['cov'] !== undefined && c['std'] !== undefined) throw new TargetError(`${at}.cov`, `${at} gives both std and cov: give one`);
  if (c['cov'] !== undefined) {
    const rows = c['cov'];
    if (!Array.isArray(rows) || rows.length !== 2) throw new TargetError(`${at}.cov`, `${at}.cov must be [[a, b], [b, c]], got ${show(rows)}`);
    const [r0, r1] = [vec2(rows[0], `${at}.cov[0]`), vec2(rows[1], `${at}.cov[1]`)];
    if (Math.abs(r0[1] - r1[0]) > 1e-12 * (Math.abs(r0[1]) + Math.abs(r1[0]) + 1e-300)) {
      throw new TargetError(`${at}.cov`, `${at}.cov must be symmetric, got ${show(rows)}`);
    }
    const m = { a: r0[0], b: r0[1], c: r1[1] };
    if (!isPositiveDefinite(m)) throw new TargetError(`${at}.cov`, `${at}.cov must be positive definite, got ${show(rows)}`);
    return m;
  }
  const std = c['std'] ?? 1;
  const [sx, sy] = typeof std === 'number' ? [positive(std, `${at}.std`), std] : vec2(std, `${at}.std`);
  return { a: positive(sx, `${at}.std`) ** 2, b: 0, c: positive(sy, `${at}.std`) ** 2 };
}

function gaussian(weight: number, mean: Vec2, cov: Sym2): Gaussian2D {
  return { weight, mean, cov, precision: invert2(cov), logScale: Math.log(weight) - LOG_2PI - 0.5 * Math.log(det2(cov)) };
}

function mixtureComponents(v: unknown, field: string): Gaussian2D[] {
  if (!Array.isArray(v) || v.length === 0) throw new TargetError(field, `${field} must be a non-empty array, got ${show(v)}`);
  if (v.length > MAX_COMPONENTS_2D) throw new TargetError(field, `${field} has ${v.length} components; at most ${MAX_COMPONENTS_2D}`);
  const raw = v.map((r, i) => {
    const at = `${field}[${i}]`;
    const c = record(r, at);
    const weight = c['weight'] === undefined ? 1 : finiteNumber(c['weight'], `${at}.weight`);
    if (weight < 0) throw new TargetError(`${at}.weight`, `${at}.weight must be ≥ 0, got ${weight}`);
    if (typeof c['mean'] === 'number') {
      throw new TargetError(`${at}.mean`, `${at}.mean has dimension 1 but a 2-D target needs [x, y]: all components of one target have one dimension`);
    }
    return { weight, mean: vec2(c['mean'], `${at}.mean`), cov: covariance(c, at) };
  });
  const total = raw.reduce((s, c) => s + c.weight, 0);
  if (!(total > 0)) throw new TargetError(field, `${field}: weights must sum to a positive number, got ${total}`);
  return raw.filter((c) => c.weight > 0).map((c) => gaussian(c.weight / total, c.mean, c.cov));
}

/** Components of one target: far beyond every benchmark (25), while the lattice's per-component cost stays small. */
export const MAX_COMPONENTS_2D = 400;

function integer(v: unknown, field: string, min: number, max: number): number {
  const x = finiteNumber(v, field);
  if (!Number.isInteger(x) || x < min || x > max) throw new TargetError(field, `${field} must be an integer from ${min} to ${max}, got ${show(v)}`);
  return x;
}

const iso = (s: number): Sym2 => ({ a: s * s, b: 0, c: s * s });
const point = (p: Vec2): string => `(${formatNumber(p[0])}, ${formatNumber(p[1])})`;

/** Validates a 2-D spec (from JSON or code) and normalises it; errors name the field. */
export function createTarget2D(spec: Target2DSpec): Target2D {
  const s = record(spec, 'target');
  switch (s['kind']) {
    case 'mixture': {
      const components = mixtureComponents(s['components'], 'components');
      const plain: Target2DSpec = { kind: 'mixture', components: components.map((g) => ({ weight: g.weight, mean: g.mean, cov: [[g.cov.a, g.cov.b], [g.cov.b, g.cov.c]] })) };
      return { kind: 'mixture', spec: plain, components, description: `mixture of ${components.length} Gaussian${components.length === 1 ? '' : 's'} in 2-D` };
    }
    case 'ring': {
      const modes = integer(s['modes'], 'modes', 1, MAX_COMPONENTS_2D);
      const radius = positive(s['radius'], 'radius');
      const std = positive(s['std'], 'std');
      const center = s['center'] === undefined ? ([0, 0] as Vec2) : vec2(s['center'], 'center');
      const components = Array.from({ length: modes }, (_, k) => {
        const angle = (2 * Math.PI * k) / modes;
        return gaussian(1 / modes, [center[0] + radius * Math.cos(angle), center[1] + radius * Math.sin(angle)], iso(std));
      });
      return { kind: 'mixture', spec: { kind: 'ring', modes, radius, std, center }, components, description: `ring of ${modes} Gaussians (radius ${formatNumber(radius)}, std ${formatNumber(std)})` };
    }
    case 'grid': {
      const side = integer(s['side'], 'side', 1, Math.floor(Math.sqrt(MAX_COMPONENTS_2D)));
      const spacing = positive(s['spacing'], 'spacing');
      const std = positive(s['std'], 'std');
      const offset = ((side - 1) * spacing) / 2;
      const components = Array.from({ length: side * side }, (_, k) =>
        gaussian(1 / (side * side), [(k % side) * spacing - offset, Math.floor(k / side) * spacing - offset], iso(std)));
      return { kind: 'mixture', spec: { kind: 'grid', side, spacing, std }, components, description: `${side}×${side} grid of Gaussians (spacing ${formatNumber(spacing)}, std ${formatNumber(std)})` };
    }
    case 'box': {
      const lo = vec2(s['lo'], 'lo');
      const hi = vec2(s['hi'], 'hi');
      if (!(hi[0] > lo[0] && hi[1] > lo[1])) throw new TargetError('hi', `hi must exceed lo on both axes, got lo = ${show(lo)}, hi = ${show(hi)}`);
      return { kind: 'box', spec: { kind: 'box', lo, hi }, lo, hi, description: `uniform on [${formatNumber(lo[0])}, ${formatNumber(hi[0])}] × [${formatNumber(lo[1])}, ${formatNumber(hi[1])}]` };
    }
    case 'segment': {
      const from = vec2(s['from'], 'from');
      const to = vec2(s['to'], 'to');
      if (from[0] === to[0] && from[1] === to[1]) throw new TargetError('to', `to must differ from from, got ${show(to)} for both`);
      return { kind: 'segment', spec: { kind: 'segment', from, to }, from, to, description: `uniform on the segment ${point(from)}–${point(to)} (singular)` };
    }
    default: throw new TargetError('kind', `kind must be one of ${TARGET_2D_KINDS.join(', ')}, got ${show(s['kind'])}`);
  }
}

/** log density at (x, y) (nats per unit area); −∞ off the support. Throws for the singular segment, which has none. */
export function logPdf2D(target: Target2D, x: number, y: number): number {
  switch (target.kind) {
    case 'mixture': {
      let max = -Infinity;
      let sum = 0;
      for (const g of target.components) {
        const t = g.logScale - 0.5 * quadForm(g.precision, x - g.mean[0], y - g.mean[1]);
        if (t > max) {
          sum = sum * Math.exp(max - t) + 1;
          max = t;
        } else sum += Math.exp(t - max);
      }
      return max === -Infinity ? max : max + Math.log(sum);
    }
    case 'box':
      return x >= target.lo[0] && x <= target.hi[0] && y >= target.lo[1] && y <= target.hi[1]
        ? -Math.log((target.hi[0] - target.lo[0]) * (target.hi[1] - target.lo[1]))
        : -Infinity;
    case 'segment':
      throw new RangeError('a segment target is singular: it has no density in 2-D');
  }
}

/** The axis-aligned box [lo, hi] a lattice must cover: Gaussian components to `stds` marginal std, box and segment edges. */
export function targetExtent(target: Target2D, stds = 8): { lo: Vec2; hi: Vec2 } {
  switch (target.kind) {
    case 'mixture': {
      const lo = [Infinity, Infinity];
      const hi = [-Infinity, -Infinity];
      for (const g of target.components) {
        const s = [Math.sqrt(g.cov.a), Math.sqrt(g.cov.c)];
        for (const k of [0, 1]) {
          lo[k] = Math.min(lo[k], g.mean[k] - stds * s[k]);
          hi[k] = Math.max(hi[k], g.mean[k] + stds * s[k]);
        }
      }
      return { lo: [lo[0], lo[1]], hi: [hi[0], hi[1]] };
    }
    case 'box': return { lo: target.lo, hi: target.hi };
    case 'segment':
      return {
        lo: [Math.min(target.from[0], target.to[0]), Math.min(target.from[1], target.to[1])],
        hi: [Math.max(target.from[0], target.to[0]), Math.max(target.from[1], target.to[1])],
      };
  }
}

/**
 * How many of the points lie on the segment, to `relativeTolerance` of its length. A generator
 * curve that crosses the segment has at most a few lattice points this close; one that shares a
 * piece of it has a run of them.
 */
export function pointsOnSegment(from: Vec2, to: Vec2, points: Float64Array | Float32Array, relativeTolerance = 1e-9): number {
  const [dx, dy] = [to[0] - from[0], to[1] - from[1]];
  const length2 = dx * dx + dy * dy;
  const tolerance = relativeTolerance * Math.sqrt(length2);
  let on = 0;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const t = Math.min(1, Math.max(0, ((points[i] - from[0]) * dx + (points[i + 1] - from[1]) * dy) / length2));
    if (Math.hypot(points[i] - from[0] - t * dx, points[i + 1] - from[1] - t * dy) <= tolerance) on++;
  }
  return on;
}
