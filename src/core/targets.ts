/**
 * Target (data) distributions P: their plain-JSON specs, validation, and the densities built
 * from them. Specs cross thread boundaries, so they are checked at run time here and every
 * error names the offending field.
 */
import type { Rng } from './rng';
import { GaussianMixture, Mixed, Truncated, UniformMixture } from './targetDensities';

export interface MixtureComponent {
  readonly weight: number;
  readonly mean: number;
  /** Standard deviation, > 0, in the units of x. */
  readonly std: number;
}

export interface UniformPart {
  readonly weight: number;
  readonly lo: number;
  readonly hi: number;
}

/** A part of a mixed target: a Gaussian or a uniform. */
export type MixedPart = MixtureComponent | UniformPart;

export type TargetSpec =
  | { readonly kind: 'mixture'; readonly components: readonly MixtureComponent[] }
  | { readonly kind: 'uniform'; readonly lo: number; readonly hi: number }
  /** Mixture of uniforms on disjoint intervals. */
  | { readonly kind: 'uniforms'; readonly parts: readonly UniformPart[] }
  /** Gaussian and uniform parts in one mixture; parts may overlap. */
  | { readonly kind: 'mixed'; readonly parts: readonly MixedPart[] }
  /** `base` conditioned on [lo, hi]; either end may be ±Infinity. */
  | { readonly kind: 'truncated'; readonly base: TargetSpec; readonly lo: number; readonly hi: number };

export interface Density1D {
  /** The validated spec, weights normalised. */
  readonly spec: TargetSpec;
  /** Human form, e.g. "0.5·N(−2, 0.5²) + 0.5·N(2, 0.5²)". */
  readonly description: string;
  /** log density (nats, per unit x); −Infinity off the support. */
  logPdf(x: number): number;
  pdf(x: number): number;
  cdf(x: number): number;
  /** log P([a, b]) for a ≤ b, computed in the tail it lies in, so that e^{−800} stays e^{−800}. */
  logMassBetween(a: number, b: number): number;
  sample(rng: Rng, n: number): Float64Array;
  mean(): number;
  std(): number;
  /** Interval that must be covered by a grid: every component to ≥ 8 std, uniform edges. */
  range(): { lo: number; hi: number };
  /** Support edges (finite for uniforms, ±Infinity for Gaussians). */
  support(): { lo: number; hi: number };
}

/** An invalid target spec; `field` is the path of the bad value, e.g. "components[1].std". */
export class TargetError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

/** Validators shared by the 1-D and 2-D targets; errors name the field. */
export function show(v: unknown): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v);
}

export function finiteNumber(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TargetError(field, `${field} must be a finite number, got ${show(v)}`);
  return v;
}

export function positive(v: unknown, field: string): number {
  const x = finiteNumber(v, field);
  if (!(x > 0)) throw new TargetError(field, `${field} must be > 0, got ${show(v)}`);
  return x;
}

export function record(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TargetError(field, `${field} must be an object, got ${show(v)}`);
  return v as Record<string, unknown>;
}

function nonEmptyArray(v: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(v) || v.length === 0) throw new TargetError(field, `${field} must be a non-empty array, got ${show(v)}`);
  return v;
}

function interval(lo: unknown, hi: unknown, prefix: string, allowInfinite: boolean): { lo: number; hi: number } {
  const check = (v: unknown, name: string): number =>
    allowInfinite && (v === Infinity || v === -Infinity) ? v : finiteNumber(v, `${prefix}${name}`);
  const l = check(lo, 'lo');
  const h = check(hi, 'hi');
  if (!(h > l)) throw new TargetError(`${prefix}hi`, `${prefix}hi must be > ${prefix}lo, got ${prefix}lo = ${l}, ${prefix}hi = ${h}`);
  return { lo: l, hi: h };
}

function normaliseWeights<T extends { weight: number }>(items: T[], field: string): T[] {
  const total = items.reduce((s, c) => s + c.weight, 0);
  if (!(total > 0) || !Number.isFinite(total)) throw new TargetError(field, `${field}: weights must sum to a positive finite number, got ${total}`);
  return items.map((c) => ({ ...c, weight: c.weight / total }));
}

function nonNegativeWeight(c: Record<string, unknown>, at: string): number {
  const weight = finiteNumber(c['weight'], `${at}.weight`);
  if (weight < 0) throw new TargetError(`${at}.weight`, `${at}.weight must be ≥ 0, got ${weight}`);
  return weight;
}

function gaussianPart(c: Record<string, unknown>, at: string): MixtureComponent {
  if (Array.isArray(c['mean'])) {
    throw new TargetError(`${at}.mean`, `${at}.mean is [x, y] but the first component is 1-D: all components of one target have one dimension`);
  }
  return { weight: nonNegativeWeight(c, at), mean: finiteNumber(c['mean'], `${at}.mean`), std: positive(c['std'], `${at}.std`) };
}

function components(v: unknown, field: string): MixtureComponent[] {
  return normaliseWeights(nonEmptyArray(v, field).map((raw, i) => gaussianPart(record(raw, `${field}[${i}]`), `${field}[${i}]`)), field);
}

const GAUSSIAN_FIELDS = ['mean', 'std'] as const;
const UNIFORM_FIELDS = ['lo', 'hi'] as const;

/** A Gaussian part ({weight, mean, std}) or a uniform one ({weight, lo, hi}), told apart by its fields. */
function mixedPart(raw: unknown, at: string): MixedPart {
  const c = record(raw, at);
  const gaussian = GAUSSIAN_FIELDS.some((k) => k in c);
  const uniform = UNIFORM_FIELDS.some((k) => k in c);
  if (gaussian && uniform) throw new TargetError(at, `${at} mixes Gaussian fields (mean, std) with uniform ones (lo, hi): give one or the other`);
  if (!gaussian && !uniform) throw new TargetError(at, `${at} needs mean and std (a Gaussian) or lo and hi (a uniform), got ${show(raw)}`);
  return gaussian ? gaussianPart(c, at) : { weight: nonNegativeWeight(c, at), ...interval(c['lo'], c['hi'], `${at}.`, false) };
}

function mixedParts(v: unknown, field: string): MixedPart[] {
  return normaliseWeights(nonEmptyArray(v, field).map((raw, i) => mixedPart(raw, `${field}[${i}]`)), field);
}

function parts(v: unknown, field: string): UniformPart[] {
  const list = nonEmptyArray(v, field).map((raw, i) => {
    const at = `${field}[${i}]`;
    const c = record(raw, at);
    return { weight: positive(c['weight'], `${at}.weight`), ...interval(c['lo'], c['hi'], `${at}.`, false) };
  });
  const order = list.map((_, i) => i).sort((i, j) => list[i].lo - list[j].lo);
  for (let k = 1; k < order.length; k++) {
    const prev = list[order[k - 1]];
    const cur = list[order[k]];
    if (cur.lo < prev.hi) throw new TargetError(`${field}[${order[k]}]`, `${field}[${order[k]}] overlaps ${field}[${order[k - 1]}]: uniform parts must be disjoint`);
  }
  return normaliseWeights(order.map((i) => list[i]), field);
}

/** Validates a spec (from JSON or code) and returns it with weights normalised. */
function validate(v: unknown, prefix = ''): TargetSpec {
  const s = record(v, prefix === '' ? 'target' : prefix.slice(0, -1));
  switch (s['kind']) {
    case 'mixture': return { kind: 'mixture', components: components(s['components'], `${prefix}components`) };
    case 'uniform': return { kind: 'uniform', ...interval(s['lo'], s['hi'], prefix, false) };
    case 'uniforms': return { kind: 'uniforms', parts: parts(s['parts'], `${prefix}parts`) };
    case 'mixed': return { kind: 'mixed', parts: mixedParts(s['parts'], `${prefix}parts`) };
    case 'truncated': return { kind: 'truncated', base: validate(s['base'], `${prefix}base.`), ...interval(s['lo'], s['hi'], prefix, true) };
    default: throw new TargetError(`${prefix}kind`, `${prefix}kind must be one of mixture, uniform, uniforms, mixed, truncated, got ${show(s['kind'])}`);
  }
}

function build(spec: TargetSpec, prefix: string): Density1D {
  switch (spec.kind) {
    case 'mixture': return new GaussianMixture(spec);
    case 'uniform': return new UniformMixture(spec, [{ weight: 1, lo: spec.lo, hi: spec.hi }]);
    case 'uniforms': return new UniformMixture(spec, spec.parts);
    case 'mixed': return new Mixed(spec);
    case 'truncated': {
      const base = build(spec.base, `${prefix}base.`);
      const mass = base.cdf(spec.hi) - base.cdf(spec.lo);
      if (!(mass > 1e-12)) throw new TargetError(`${prefix}lo`, `[${prefix}lo, ${prefix}hi] = [${spec.lo}, ${spec.hi}] holds too little of the base distribution (${mass})`);
      return new Truncated(spec, base, mass);
    }
  }
}

/** Validates `spec` and builds its density; throws TargetError naming the bad field. */
export function createTarget(spec: TargetSpec): Density1D {
  return build(validate(spec), '');
}

/**
 * Parses mixture JSON for the CLI: '[{"weight":0.5,"mean":-2,"std":0.5}, {"weight":0.5,"lo":1,"hi":2}]',
 * Gaussian parts {weight, mean, std} and uniform parts {weight, lo, hi} in any mix (weight may
 * be omitted: 1). Gaussians only give a 'mixture' spec, anything else a 'mixed' one; weights
 * are normalised. Errors name the field, e.g. "components[1].std".
 */
export function parseMixtureJson(text: string): TargetSpec {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // JSON.parse throws SyntaxError only; core imports nothing, so not src/errors.ts's describeThrown.
    throw new TargetError('components', `invalid JSON: ${e instanceof SyntaxError ? e.message : 'unreadable'}`);
  }
  if (!Array.isArray(value)) throw new TargetError('components', `expected an array like [{"weight":1,"mean":0,"std":1}] or [{"weight":1,"lo":0,"hi":1}], got ${show(value)}`);
  const known: readonly string[] = ['weight', ...GAUSSIAN_FIELDS, ...UNIFORM_FIELDS];
  const withWeights = value.map((raw, i) => {
    const c = record(raw, `components[${i}]`);
    const unknown = Object.keys(c).find((k) => !known.includes(k));
    if (unknown !== undefined) throw new TargetError(`components[${i}].${unknown}`, `components[${i}] has an unknown field "${unknown}" (expected weight with mean, std or with lo, hi)`);
    return { weight: 1, ...c };
  });
  const parts = mixedParts(withWeights, 'components');
  const gaussians = parts.filter((c): c is MixtureComponent => 'mean' in c);
  return gaussians.length === parts.length ? { kind: 'mixture', components: gaussians } : { kind: 'mixed', parts };
}
