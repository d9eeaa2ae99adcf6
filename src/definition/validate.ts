/**
 * Validation of a GAN definition. Everything is checked before anything is allocated, so an
 * enormous hidden size or a wrong type is a message naming the field, never an out-of-memory.
 */
import { describeThrown, describeValue as describe, isArray } from '../errors';
import { createDataTarget, type AnyTargetSpec, type DataDim } from '../core/dataTarget';
import { TargetError } from '../core/targets';
import { F_DIVERGENCES } from '../core/divergences';
import type { FDivergenceName } from '../core/divergences';
import {
  ACTIVATIONS, CRITIC_KINDS, OPTIMIZER_KINDS,
  type Activation, type CriticDefinition, type CustomFDivergence, type DivergenceRef, type GanConfig, type GanDefinition,
  type LossSpec, type Matrix2, type OptimizerConfig, type Pair,
} from './types';

/** An invalid definition; `field` is the path of the offending value, e.g. `critic.hidden[1]`. */
export class DefinitionError extends Error {
  constructor(readonly field: string, message: string) {
    super(field ? `${field} ${message}` : message);
    this.name = 'DefinitionError';
  }
}

export const LIMITS = {
  maxLayers: 8,
  maxWidth: 1024,
  maxLatentDim: 64,
  maxBatch: 65536,
  maxCriticSteps: 100,
  /** Parameters per network: enough for every sensible 1-D model, far from exhausting memory. */
  maxParameters: 4_000_000,
} as const;

function fail(field: string, expected: string, got: unknown): never {
  throw new DefinitionError(field, `must be ${expected}, got ${describe(got)}`);
}

/** Reads a property once: a throwing getter becomes a positioned error, not a crash later. */
function read(obj: object, key: string, field: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch (e) {
    throw new DefinitionError(field, `could not be read: ${clipMessage(describeThrown(e))}`);
  }
}

function clipMessage(m: string): string {
  return m.length > 200 ? `${m.slice(0, 200)}…` : m;
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !isArray(v);
}

function checkKeys(obj: object, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new DefinitionError(field ? `${field}.${key}` : key, `is not a known field (expected one of ${allowed.join(', ')})`);
    }
  }
}

function integer(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(field, min === 1 ? 'a positive integer' : `an integer ≥ ${min}`, v);
  if (v > max) fail(field, `at most ${max}`, v);
  return v;
}

function finite(v: unknown, field: string, check: (x: number) => boolean, expected: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) fail(field, expected, v);
  return v;
}

function optional<T>(obj: object, key: string, field: string, parse: (v: unknown, f: string) => T, fallback: T): T {
  const v = read(obj, key, `${field}${field ? '.' : ''}${key}`);
  return v === undefined ? fallback : parse(v, `${field}${field ? '.' : ''}${key}`);
}

function activation(v: unknown, field: string): Activation {
  if (typeof v !== 'string' || !(ACTIVATIONS as readonly string[]).includes(v)) fail(field, `one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}`, v);
  return v as Activation;
}

function hidden(v: unknown, field: string): number[] {
  if (!isArray(v)) fail(field, 'an array of layer widths', v);
  if (v.length > LIMITS.maxLayers) fail(field, `at most ${LIMITS.maxLayers} layers`, `${v.length} layers`);
  return v.map((w, i) => integer(w, `${field}[${i}]`, 1, LIMITS.maxWidth));
}

function parameterCount(inputs: number, widths: readonly number[], outputs: number): number {
  let count = 0;
  let fanIn = inputs;
  for (const w of [...widths, outputs]) {
    count += (fanIn + 1) * w;
    fanIn = w;
  }
  return count;
}

/** Coordinates beyond this are a typo or an overflow waiting to happen, not a GAN target. */
const MAX_COORDINATE = 1e6;

function coordinate(v: unknown, field: string): number {
  return finite(v, field, (x) => Math.abs(x) <= MAX_COORDINATE, `a finite number within ±${MAX_COORDINATE}`);
}

function pair(v: unknown, field: string, parse: (x: unknown, f: string) => number, dataDim: DataDim): Pair {
  if (typeof v === 'number') fail(field, `[x, y]: the target is ${dataDim}-D`, v);
  if (!isArray(v) || v.length !== 2) fail(field, '[x, y]', v);
  return [parse(v[0], `${field}[0]`), parse(v[1], `${field}[1]`)];
}

function positiveNumber(x: unknown, f: string): number {
  return finite(x, f, (s) => s > 0 && s <= MAX_COORDINATE, 'a positive number');
}

function affine(v: object, dataDim: DataDim): GanDefinition['generator'] {
  const field = 'generator';
  checkKeys(v, dataDim === 1 ? ['kind', 'mean', 'std'] : ['kind', 'mean', 'std', 'scale'], field);
  if (dataDim === 1) {
    const scalar = (parse: (x: unknown, f: string) => number) => (x: unknown, f: string) => {
      if (isArray(x)) fail(f, 'a number: the target is 1-D', x);
      return parse(x, f);
    };
    return { kind: 'affine', mean: optional(v, 'mean', field, scalar(coordinate), 0), std: optional(v, 'std', field, scalar(positiveNumber), 1) };
  }
  const mean = optional(v, 'mean', field, (x, f) => pair(x, f, coordinate, dataDim), [0, 0] as Pair);
  const scaleValue = read(v, 'scale', 'generator.scale');
  const stdValue = read(v, 'std', 'generator.std');
  if (scaleValue !== undefined && stdValue !== undefined) throw new DefinitionError('generator.scale', 'and generator.std both set the starting A: give one');
  if (scaleValue !== undefined) {
    if (!isArray(scaleValue) || scaleValue.length !== 2) fail('generator.scale', '[[a, b], [c, d]]', scaleValue);
    const scale: Matrix2 = [pair(scaleValue[0], 'generator.scale[0]', coordinate, dataDim), pair(scaleValue[1], 'generator.scale[1]', coordinate, dataDim)];
    return { kind: 'affine', mean, scale };
  }
  const std = stdValue === undefined ? [1, 1] : typeof stdValue === 'number' ? [positiveNumber(stdValue, 'generator.std'), stdValue] : pair(stdValue, 'generator.std', positiveNumber, dataDim);
  return { kind: 'affine', mean, scale: [[std[0]!, 0], [0, std[1]!]] };
}

function generator(v: unknown, dataDim: DataDim): GanDefinition['generator'] {
  const field = 'generator';
  if (v === undefined) return { kind: 'mlp', latentDim: dataDim, hidden: [32, 32], activation: 'leakyRelu' };
  if (!isObject(v)) fail(field, 'an object', v);
  const kind = read(v, 'kind', 'generator.kind');
  if (kind === 'affine') return affine(v, dataDim);
  if (kind !== 'mlp') fail('generator.kind', "'mlp' or 'affine'", kind);
  checkKeys(v, ['kind', 'latentDim', 'hidden', 'activation'], field);
  const g = {
    kind: 'mlp' as const,
    // The default latent has the data's dimension: a smaller one gives a singular q (theory.md §7).
    latentDim: optional(v, 'latentDim', field, (x, f) => integer(x, f, 1, LIMITS.maxLatentDim), dataDim as number),
    hidden: optional(v, 'hidden', field, hidden, [32, 32]),
    activation: optional(v, 'activation', field, activation, 'leakyRelu' as Activation),
  };
  if (parameterCount(g.latentDim, g.hidden, dataDim) > LIMITS.maxParameters) fail('generator.hidden', `at most ${LIMITS.maxParameters} parameters in all`, g.hidden.join('×'));
  return g;
}

const DEFAULT_CRITIC: CriticDefinition = { kind: 'mlp', hidden: [32, 32], activation: 'leakyRelu' };

function critic(v: unknown, dataDim: DataDim): CriticDefinition {
  const field = 'critic';
  if (v === undefined) return DEFAULT_CRITIC;
  if (!isObject(v)) fail(field, 'an object', v);
  const kind = read(v, 'kind', 'critic.kind');
  if (kind !== undefined && !(CRITIC_KINDS as readonly unknown[]).includes(kind)) fail('critic.kind', `one of ${CRITIC_KINDS.map((k) => `'${k}'`).join(', ')}`, kind);
  // The optimal critic is computed on the lattice: no network to shape (the engines keep the default one, untrained and unused).
  if (kind === 'optimal') {
    for (const key of Object.keys(v)) if (key !== 'kind') throw new DefinitionError(`critic.${key}`, "does not apply to the optimal critic: it has no network (remove it, or use kind: 'mlp')");
    return { kind: 'optimal' };
  }
  checkKeys(v, ['kind', 'hidden', 'activation'], field);
  const c = {
    kind: 'mlp' as const,
    hidden: optional(v, 'hidden', field, hidden, [32, 32]),
    activation: optional(v, 'activation', field, activation, 'leakyRelu' as Activation),
  };
  if (parameterCount(dataDim, c.hidden, 1) > LIMITS.maxParameters) fail('critic.hidden', `at most ${LIMITS.maxParameters} parameters in all`, c.hidden.join('×'));
  return c;
}

function optimizer(v: unknown, field: string): Required<OptimizerConfig> {
  if (!isObject(v)) fail(field, 'an object like { kind: "adam", lr: 1e-3 }', v);
  checkKeys(v, ['kind', 'lr', 'beta1', 'beta2'], field);
  const kind = read(v, 'kind', `${field}.kind`);
  if (typeof kind !== 'string' || !(OPTIMIZER_KINDS as readonly string[]).includes(kind)) fail(`${field}.kind`, `one of ${OPTIMIZER_KINDS.map((k) => `'${k}'`).join(', ')}`, kind);
  const lr = read(v, 'lr', `${field}.lr`);
  return {
    kind: kind as OptimizerConfig['kind'],
    lr: finite(lr, `${field}.lr`, (x) => x > 0 && x <= 10, 'a learning rate in (0, 10]'),
    beta1: optional(v, 'beta1', field, (x, f) => finite(x, f, (b) => b >= 0 && b < 1, 'in [0, 1)'), 0.9),
    beta2: optional(v, 'beta2', field, (x, f) => finite(x, f, (b) => b >= 0 && b < 1, 'in [0, 1)'), 0.999),
  };
}

function target(v: unknown): { spec: AnyTargetSpec; dataDim: DataDim } {
  if (!isObject(v)) fail('target', 'a target such as targets.mixture([...])', v);
  try {
    // The validated copy, not the person's object: its getters and Proxy traps must not run
    // again later, outside the loader's time limit (the trainer, the definition keys).
    const t = createDataTarget(v as AnyTargetSpec);
    if (t.dataDim === 2) checkCoordinates(t.spec);
    return { spec: t.spec, dataDim: t.dataDim };
  } catch (e) {
    // The field the target names (components[1].cov) puts the squiggle on that component's line.
    const message = clipMessage(describeThrown(e));
    if (e instanceof TargetError && e.field && message.startsWith(e.field)) {
      throw new DefinitionError(`target.${e.field}`, message.slice(e.field.length).trimStart());
    }
    throw new DefinitionError('target', `is invalid: ${message}`);
  }
}

/** Every number of a validated 2-D spec within ±MAX_COORDINATE: a lattice over 1e300 has no cells of finite width. */
function checkCoordinates(spec: unknown, at = ''): void {
  if (typeof spec === 'number' && Math.abs(spec) > MAX_COORDINATE) throw new TargetError(at, `${at} is ${spec}: coordinates, stds and radii must be within ±${MAX_COORDINATE}`);
  if (typeof spec === 'object' && spec !== null) {
    for (const [k, v] of Object.entries(spec)) checkCoordinates(v, isArray(spec) ? `${at}[${k}]` : at ? `${at}.${k}` : k);
  }
}

function isFunction(obj: object, key: string, field: string): boolean {
  return typeof read(obj, key, `${field}.${key}`) === 'function';
}

/** Names end up in the panel's header and in every summary posted to it. */
const MAX_NAME = 200;

function name(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length > MAX_NAME) fail(field, `a string of at most ${MAX_NAME} characters`, v);
  return v;
}

function divergenceRef(v: unknown, field: string): DivergenceRef {
  if (typeof v === 'string') {
    if (v === 'jsd' || v === 'wasserstein1' || v in F_DIVERGENCES) return v as DivergenceRef;
    fail(field, `a divergence name (${[...Object.keys(F_DIVERGENCES), 'jsd', 'wasserstein1'].join(', ')}) or { name, f }`, v);
  }
  if (!isObject(v) || typeof read(v, 'name', `${field}.name`) !== 'string' || !isFunction(v, 'f', field)) fail(field, 'a divergence name or { name: string, f(u) }', v);
  name(read(v, 'name', `${field}.name`), `${field}.name`);
  // A copy: getters run once, here, under the loader's time limit.
  return { ...v } as DivergenceRef;
}

const GAN_VARIANTS: readonly string[] = ['minimax', 'nonSaturating', 'logRatio'];
const FGAN_GENERATORS: readonly string[] = ['saturating', 'nonSaturating'];

function loss(v: unknown): LossSpec {
  const field = 'loss';
  if (!isObject(v)) fail(field, 'a loss such as losses.nonSaturating() or { critic, generator, estimate, divergence }', v);
  const kind = read(v, 'kind', 'loss.kind');
  if (kind === undefined || kind === 'custom') {
    for (const fn of ['critic', 'generator', 'estimate']) {
      if (!isFunction(v, fn, field)) fail(`${field}.${fn}`, 'a function', read(v, fn, `${field}.${fn}`));
    }
    const divergence = divergenceRef(read(v, 'divergence', 'loss.divergence'), 'loss.divergence');
    const criticOutput = read(v, 'criticOutput', 'loss.criticOutput');
    if (criticOutput !== undefined && criticOutput !== 'discriminator' && criticOutput !== 'score') fail('loss.criticOutput', "'discriminator' or 'score'", criticOutput);
    // The name is shown in the panel and posted across threads: a function there cannot be.
    const lossName = read(v, 'name', 'loss.name');
    if (lossName !== undefined) name(lossName, 'loss.name');
    // Spread, not rebuilt: the loss's functions may use `this` to reach its other fields.
    return { ...(v as object), divergence, kind: 'custom' } as LossSpec;
  }
  // Built-in losses are rebuilt from their known fields, so nothing else of the object (getters,
  // cycles) travels on to the trainer and the definition keys.
  switch (kind) {
    case 'gan': {
      const variant = read(v, 'variant', 'loss.variant');
      if (typeof variant !== 'string' || !GAN_VARIANTS.includes(variant)) fail('loss.variant', GAN_VARIANTS.map((x) => `'${x}'`).join(', '), variant);
      return { kind: 'gan', variant: variant as 'minimax' };
    }
    case 'fgan': {
      const d = read(v, 'divergence', 'loss.divergence');
      let divergence: Extract<LossSpec, { kind: 'fgan' }>['divergence'];
      if (typeof d === 'string') {
        if (!(d in F_DIVERGENCES)) fail('loss.divergence', `one of ${Object.keys(F_DIVERGENCES).join(', ')}`, d);
        divergence = d as FDivergenceName;
      } else if (!isObject(d) || typeof read(d, 'name', 'loss.divergence.name') !== 'string' || !['f', 'conjugate', 'activation'].every((k) => isFunction(d, k, 'loss.divergence'))) {
        fail('loss.divergence', 'a catalog name or { name, f, conjugate, activation }', d);
      } else {
        name(read(d, 'name', 'loss.divergence.name'), 'loss.divergence.name');
        divergence = { ...d } as CustomFDivergence;
      }
      const generator = read(v, 'generator', 'loss.generator') ?? 'nonSaturating';
      if (typeof generator !== 'string' || !FGAN_GENERATORS.includes(generator)) fail('loss.generator', FGAN_GENERATORS.map((x) => `'${x}'`).join(' or '), generator);
      return { kind: 'fgan', divergence, generator: generator as 'saturating' };
    }
    case 'wgan': {
      const clip = read(v, 'clip', 'loss.clip');
      const gp = read(v, 'gradientPenalty', 'loss.gradientPenalty');
      if (clip !== undefined) finite(clip, 'loss.clip', (c) => c > 0, 'a positive number');
      if (gp !== undefined) finite(gp, 'loss.gradientPenalty', (c) => c > 0, 'a positive number');
      if ((clip === undefined) === (gp === undefined)) throw new DefinitionError('loss', 'wgan needs exactly one of { clip } or { gradientPenalty }');
      const oneSided = read(v, 'oneSided', 'loss.oneSided');
      if (oneSided !== undefined && typeof oneSided !== 'boolean') fail('loss.oneSided', 'true or false', oneSided);
      if (oneSided !== undefined && gp === undefined) throw new DefinitionError('loss.oneSided', 'applies to the gradient penalty only, not to weight clipping');
      if (clip !== undefined) return { kind: 'wgan', clip: clip as number };
      // Only `true` is kept, so a two-sided definition keeps the loss key it had before the option existed.
      return { kind: 'wgan', gradientPenalty: gp as number, ...(oneSided === true ? { oneSided } : {}) };
    }
    case 'leastSquares':
      return { kind: 'leastSquares' };
    case 'hinge':
      return { kind: 'hinge' };
    default:
      return fail('loss.kind', 'a loss made by losses.*() or a custom loss object', kind);
  }
}

/** Defaults that belong to a loss, as in the papers (WGAN: RMSProp 5e-5, 5 critic steps). */
function lossDefaults(spec: LossSpec): { optimizer: Required<OptimizerConfig>; criticSteps: number } {
  if (spec.kind === 'wgan' && spec.clip !== undefined) return { optimizer: { kind: 'rmsprop', lr: 5e-5, beta1: 0.9, beta2: 0.999 }, criticSteps: 5 };
  if (spec.kind === 'wgan') return { optimizer: { kind: 'adam', lr: 1e-4, beta1: 0.5, beta2: 0.9 }, criticSteps: 5 };
  return { optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5, beta2: 0.999 }, criticSteps: 1 };
}

/** The losses whose optimal critic is known on the lattice (core/oracleCritic.ts). */
function checkOptimalCritic(spec: LossSpec): void {
  if (spec.kind === 'custom') throw new DefinitionError('critic.kind', "'optimal' needs a built-in loss: a custom loss's optimal critic is not known");
}

/** Validates and fills in defaults; throws DefinitionError naming the first bad field. */
export function validateDefinition(config: unknown): GanDefinition {
  if (!isObject(config)) fail('', 'defineGan({ ... }) needs an object', config);
  // dataDim is what defineGan adds: the loader validates its result again.
  checkKeys(config, [...(['target', 'generator', 'critic', 'optimizer', 'generatorOptimizer', 'criticOptimizer', 'criticSteps', 'batchSize', 'seed', 'loss'] satisfies (keyof GanConfig)[]), 'dataDim'], '');
  const c = config as Record<string, unknown>;
  const spec = loss(read(c, 'loss', 'loss'));
  const defaults = lossDefaults(spec);
  const shared = optional(config, 'optimizer', '', optimizer, defaults.optimizer);
  const { spec: targetSpec, dataDim } = target(read(c, 'target', 'target'));
  const given = read(c, 'dataDim', 'dataDim');
  if (given !== undefined && given !== dataDim) fail('dataDim', `the target's dimension, ${dataDim}`, given);
  const criticConfig = critic(read(c, 'critic', 'critic'), dataDim);
  if (criticConfig.kind === 'optimal') checkOptimalCritic(spec);
  return {
    target: targetSpec,
    dataDim,
    generator: generator(read(c, 'generator', 'generator'), dataDim),
    critic: criticConfig,
    generatorOptimizer: optional(config, 'generatorOptimizer', '', optimizer, shared),
    criticOptimizer: optional(config, 'criticOptimizer', '', optimizer, shared),
    criticSteps: optional(config, 'criticSteps', '', (x, f) => integer(x, f, 1, LIMITS.maxCriticSteps), defaults.criticSteps),
    batchSize: optional(config, 'batchSize', '', (x, f) => integer(x, f, 1, LIMITS.maxBatch), 256),
    seed: optional(config, 'seed', '', (x, f) => integer(x, f, 0, 2 ** 31 - 1), 1),
    loss: spec,
  };
}

