/**
 * Run-time checks of what the host posts. The types in src/protocol.ts are a promise, not a
 * guarantee (another extension version, a bug, a replay of an old state), so every message is
 * checked cheaply before use; a mismatch is logged and ignored rather than breaking the panel.
 */
import {
  BACKEND_NAMES, BANNER_LEVELS, CHART_FORMATS, CRITIC_OUTPUT_KINDS, ENGINE_NAMES, LIPSCHITZ_METHODS, RUN_STATES, SCALAR_KEYS, decodeNonFinite, isOneOf,
  type DefinitionSummary, type History, type HostToWebview, type ReloadMarker, type RunInfo, type ScalarMetrics, type Snapshot,
} from '../src/protocol';
import { SINGULAR_CASES } from '../src/core/singularCases';

export type Incoming = HostToWebview;
export type RequestExportMessage = Extract<HostToWebview, { type: 'requestExport' }>;

/** Grid arrays may arrive as typed arrays (structured clone) or plain arrays (JSON). */
export type NumericArray = ArrayLike<number>;

export type Rec = Record<string, unknown>;

const SUMMARY_STRINGS = ['lossName', 'estimating', 'divergence', 'effectiveObjective', 'target', 'generator', 'critic', 'structureKey', 'lossKey'] as const;

class Invalid extends Error {}

export function fail(what: string): never {
  throw new Invalid(what);
}

export function rec(v: unknown, what: string): Rec {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} is not an object`);
  return v as Rec;
}

export function num(r: Rec, key: string, what: string): number {
  const v = r[key];
  if (typeof v !== 'number') fail(`${what}.${key} is not a number`);
  return v;
}

export function str(r: Rec, key: string, what: string): string {
  const v = r[key];
  if (typeof v !== 'string') fail(`${what}.${key} is not a string`);
  return v;
}

export function isNumericArray(v: unknown): v is NumericArray {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array));
}

function checkSummary(v: unknown): DefinitionSummary {
  const r = rec(v, 'summary');
  for (const k of SUMMARY_STRINGS) str(r, k, 'summary');
  if (!isOneOf(CRITIC_OUTPUT_KINDS, str(r, 'criticOutput', 'summary'))) fail('summary.criticOutput is unknown');
  if (r['lipschitz'] !== undefined && !isOneOf(LIPSCHITZ_METHODS, r['lipschitz'])) fail('summary.lipschitz is unknown');
  if (r['chance'] !== undefined) {
    const c = rec(r['chance'], 'summary.chance');
    for (const k of ['loss', 'estimate', 'lossPerUnit']) if (!Number.isFinite(num(c, k, 'summary.chance'))) fail(`summary.chance.${k} is not finite`);
    if (!(num(c, 'lossPerUnit', 'summary.chance') > 0)) fail('summary.chance.lossPerUnit is not positive');
    str(c, 'label', 'summary.chance');
  }
  return r as unknown as DefinitionSummary;
}

function checkRunInfo(v: unknown): RunInfo {
  const r = rec(v, 'run');
  num(r, 'runId', 'run');
  num(r, 'version', 'run');
  str(r, 'title', 'run');
  if (r['file'] !== undefined) str(r, 'file', 'run');
  if (r['summary'] !== undefined) checkSummary(r['summary']);
  if (r['backend'] !== undefined && !isOneOf(BACKEND_NAMES, r['backend'])) fail('run.backend is unknown');
  if (r['engine'] !== undefined && !isOneOf(ENGINE_NAMES, r['engine'])) fail('run.engine is unknown');
  if (!isOneOf(RUN_STATES, str(r, 'state', 'run'))) fail('run.state is unknown');
  return r as unknown as RunInfo;
}

/** Columns only; individual entries are sanitised when loaded (null from JSON becomes NaN). */
function checkHistory(v: unknown, what: string): History {
  const r = rec(v, what);
  let length = -1;
  for (const k of SCALAR_KEYS) {
    const col = r[k];
    if (!isNumericArray(col)) fail(`${what}.${k} is not an array`);
    if (length >= 0 && col.length !== length) fail(`${what} columns differ in length`);
    length = col.length;
  }
  return r as unknown as History;
}

function checkMarker(v: unknown): ReloadMarker {
  const r = rec(v, 'marker');
  num(r, 'step', 'marker');
  num(r, 'version', 'marker');
  if (typeof r['restarted'] !== 'boolean') fail('marker.restarted is not a boolean');
  for (const k of ['divergence', 'objective']) if (r[k] !== undefined) str(r, k, 'marker');
  return r as unknown as ReloadMarker;
}

function checkMetrics(v: unknown): ScalarMetrics {
  const r = rec(v, 'metrics');
  for (const k of SCALAR_KEYS) num(r, k, 'metrics');
  return r as unknown as ScalarMetrics;
}

export function checkAxis(v: unknown, what: string): number {
  const r = rec(v, what);
  const lo = num(r, 'lo', what);
  const hi = num(r, 'hi', what);
  const count = num(r, 'count', what);
  if (!(hi > lo) || !Number.isInteger(count) || count < 2 || count > 4096) fail(`${what} is not a lattice axis`);
  return count;
}

function checkModes(v: unknown): void {
  const m = rec(v, 'plane.modes');
  const of = num(m, 'of', 'plane.modes');
  const covered = num(m, 'covered', 'plane.modes');
  if (!Number.isInteger(of) || of < 1 || of > 10_000) fail('plane.modes.of is not a count of modes');
  if (!Number.isInteger(covered) || covered < 0 || covered > of) fail('plane.modes.covered is not between 0 and of');
  for (const [k, per] of [['massNear', 1], ['weights', 1], ['means', 2]] as const) {
    const a = m[k];
    if (!isNumericArray(a) || a.length !== per * of) fail(`plane.modes.${k} does not have ${per === 1 ? 'one entry' : 'two entries'} per mode`);
  }
}

function checkPlane(v: unknown): void {
  const r = rec(v, 'snapshot.plane');
  const cells = checkAxis(r['x'], 'plane.x') * checkAxis(r['y'], 'plane.y');
  for (const k of ['p', 'q', 'critic']) {
    const a = r[k];
    if (!isNumericArray(a) || a.length !== cells) fail(`plane.${k} does not match the lattice`);
  }
  const opt = r['optimalCritic'];
  if (!isNumericArray(opt) || (opt.length !== 0 && opt.length !== cells)) fail('plane.optimalCritic does not match the lattice');
  for (const [k, width] of [['samples', 2], ['realSamples', 2], ['forces', 4]] as const) {
    const a = r[k];
    if (!isNumericArray(a) || a.length % width !== 0) fail(`plane.${k} is not [n, ${width}]`);
  }
  const exact = r['exactForces'];
  if (!isNumericArray(exact) || (exact.length !== 0 && 2 * exact.length !== (r['forces'] as ArrayLike<number>).length)) fail('plane.exactForces is neither empty nor one per force');
  const contribution = r['contribution'];
  if (!isNumericArray(contribution) || (contribution.length !== 0 && contribution.length !== cells)) fail('plane.contribution does not match the lattice');
  const unresolved = num(r, 'unresolvedMass', 'plane');
  if (!(unresolved >= 0 && unresolved < Infinity)) fail('plane.unresolvedMass is not a mass');
  if (r['modes'] !== undefined) checkModes(r['modes']);
  if (!isOneOf(SINGULAR_CASES, r['singular'])) fail('plane.singular is not a known case');
  str(r, 'singularNote', 'plane');
  const w = rec(r['wasserstein1'], 'plane.wasserstein1');
  for (const k of ['side', 'step', 'coarseningBound']) num(w, k, 'plane.wasserstein1');
  for (const k of ['generatorMean', 'generatorCov']) {
    const a = r[k];
    if (!Array.isArray(a) || !a.every((x) => typeof x === 'number')) fail(`plane.${k} is not a list of numbers`);
  }
}

function checkLineForces(v: unknown): void {
  const f = rec(v, 'snapshot.forces');
  const x = f['x'];
  const critic = f['critic'];
  const exact = f['exact'];
  if (!isNumericArray(x) || !isNumericArray(critic) || critic.length !== x.length) fail('snapshot.forces.critic is not one per sample');
  if (!isNumericArray(exact) || (exact.length !== 0 && exact.length !== x.length)) fail('snapshot.forces.exact is neither empty nor one per sample');
}

function checkGeneratorMap(v: unknown): void {
  const g = rec(v, 'snapshot.generatorMap');
  const z = g['z'];
  const x = g['x'];
  if (!isNumericArray(z) || !isNumericArray(x) || z.length !== x.length || z.length < 2) fail('snapshot.generatorMap needs z and x of equal length');
  for (let i = 1; i < z.length; i++) if (!(z[i]! >= z[i - 1]!)) fail('snapshot.generatorMap.z is not sorted');
}

function checkSnapshot(v: unknown): Snapshot {
  const r = rec(v, 'snapshot');
  for (const k of ['runId', 'version', 'stepsPerSecond', 'generatorMean', 'generatorStd']) num(r, k, 'snapshot');
  str(r, 'qEstimator', 'snapshot');
  if (!isOneOf(BACKEND_NAMES, str(r, 'backend', 'snapshot'))) fail('snapshot.backend is unknown');
  if (!isOneOf(ENGINE_NAMES, str(r, 'engine', 'snapshot'))) fail('snapshot.engine is unknown');
  checkMetrics(r['metrics']);
  const dim = r['dataDim'];
  if (dim === 2) {
    checkPlane(r['plane']);
    return r as unknown as Snapshot;
  }
  if (dim !== 1) fail('snapshot.dataDim is not 1 or 2');
  const x = r['x'];
  if (!isNumericArray(x) || x.length < 2) fail('snapshot.x is not a grid');
  for (const k of ['p', 'q', 'critic']) {
    const a = r[k];
    if (!isNumericArray(a) || a.length !== x.length) fail(`snapshot.${k} does not match the grid`);
  }
  const opt = r['optimalCritic'];
  if (!isNumericArray(opt) || (opt.length !== 0 && opt.length !== x.length)) fail('snapshot.optimalCritic does not match the grid');
  if (r['forces'] !== undefined) checkLineForces(r['forces']);
  if (r['generatorMap'] !== undefined) checkGeneratorMap(r['generatorMap']);
  return r as unknown as Snapshot;
}

function check(v: unknown): Incoming {
  const r = rec(v, 'message');
  switch (r['type']) {
    case 'run': {
      checkRunInfo(r['run']);
      checkHistory(r['history'], 'history');
      if (!Array.isArray(r['markers'])) fail('markers is not an array');
      r['markers'].forEach(checkMarker);
      if (r['previous'] !== undefined) checkHistory(r['previous'], 'previous');
      if (r['previousFrom'] !== undefined) {
        const f = rec(r['previousFrom'], 'previousFrom');
        if (typeof f['divergence'] !== 'string' || typeof f['target'] !== 'string' || typeof f['label'] !== 'string') fail('previousFrom needs a divergence, a target and a label');
      }
      break;
    }
    case 'snapshot':
      checkSnapshot(r['snapshot']);
      break;
    case 'frame': {
      num(r, 'runId', 'frame');
      const steps = r['steps'];
      if (!Array.isArray(steps) || !steps.every((x) => typeof x === 'number')) fail('frame.steps is not a list of steps');
      if (r['snapshot'] !== undefined) checkSnapshot(r['snapshot']);
      break;
    }
    case 'runInfo':
      checkRunInfo(r['run']);
      break;
    case 'marker':
      num(r, 'runId', 'message');
      checkMarker(r['marker']);
      break;
    case 'banner':
      if (!isOneOf(BANNER_LEVELS, r['level'])) fail('banner.level is unknown');
      if (r['message'] !== null) str(r, 'message', 'banner');
      break;
    case 'empty':
      str(r, 'message', 'empty');
      break;
    case 'requestExport': {
      const format = r['format'] ?? 'png';
      if (!isOneOf(CHART_FORMATS, format)) fail('requestExport.format is unknown');
      return { type: 'requestExport', format };
    }
    default:
      fail(`unknown message type ${JSON.stringify(r['type'])}`);
  }
  return r as unknown as HostToWebview;
}

/** The message if `check` accepts it (after decoding non-finite numbers), else undefined (and a console warning). */
export function parseChecked<T>(v: unknown, check: (decoded: unknown) => T): T | undefined {
  try {
    return check(decodeNonFinite(v));
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    // eslint-disable-next-line no-console -- the webview's only log is the devtools console
    console.warn(`GAN Lens: ignored a message from the host: ${e.message}`);
    return undefined;
  }
}

/** The message if it matches the protocol, else undefined (and a console warning). */
export function parseHostMessage(v: unknown): Incoming | undefined {
  return parseChecked(v, check);
}
