/**
 * A run as it is kept across window reloads: its definition's target, the speed, and what
 * TrainingSession.restore needs (history, markers, summary, the last checkpoint, the last 1-D
 * snapshot). Written as JSON with typed arrays in base64 and non-finite numbers spelt out;
 * read back with checks, since the file may be old, truncated or edited.
 */
import { CRITIC_OUTPUT_KINDS, SCALAR_KEYS, isOneOf, isSpeed, type Checkpoint, type History, type ReloadMarker, type Snapshot, type Speed } from '../protocol';
import type { SavedRun } from './trainingSession';
import { describeThrown } from '../errors';

export type SavedTarget = { readonly kind: 'file'; readonly uri: string } | { readonly kind: 'preset'; readonly name: string };

export interface StoredRun {
  readonly target: SavedTarget;
  readonly speed: Speed;
  readonly run: SavedRun;
}

const FORMAT = 1;

export function encodeStoredRun(stored: StoredRun): string {
  // 2-D fields are large and replaced by the first snapshot after a resume: only 1-D ones are kept.
  const latest = stored.run.latest?.dataDim === 1 ? stored.run.latest : undefined;
  const run = { ...stored.run, latest };
  return JSON.stringify({ v: FORMAT, ...stored, run }, (_k, v: unknown) => {
    if (v instanceof Float32Array) return { $f32: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
    return v;
  });
}

class Malformed extends Error {}

function need(ok: boolean, what: string): asserts ok {
  if (!ok) throw new Malformed(what);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function revive(_k: string, v: unknown): unknown {
  if (!isRecord(v)) return v;
  const keys = Object.keys(v);
  if (keys.length === 1 && typeof v['$f32'] === 'string') {
    const bytes = Buffer.from(v['$f32'], 'base64');
    need(bytes.length % 4 === 0, 'a float array has a partial number');
    const out = new Float32Array(bytes.length / 4);
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  if (keys.length === 1 && typeof v['$num'] === 'string') {
    const n = Number(v['$num']);
    need(Number.isNaN(n) || !Number.isFinite(n), 'a spelt-out number is finite');
    return n;
  }
  return v;
}

function checkHistory(v: unknown): History {
  need(isRecord(v), 'history is not an object');
  const n = (v['step'] as unknown[] | undefined)?.length;
  for (const k of SCALAR_KEYS) {
    const col = v[k];
    need(Array.isArray(col) && col.length === n && col.every((x) => typeof x === 'number'), `history.${k} is not a column of numbers`);
  }
  return v as unknown as History;
}

function checkCheckpoint(v: unknown): Checkpoint {
  need(isRecord(v) && typeof v['step'] === 'number' && typeof v['version'] === 'number' && Array.isArray(v['tensors']), 'checkpoint is malformed');
  for (const t of v['tensors'] as unknown[]) {
    need(isRecord(t) && typeof t['name'] === 'string' && Array.isArray(t['shape']) && t['data'] instanceof Float32Array, 'a checkpoint tensor is malformed');
    const size = (t['shape'] as unknown[]).reduce<number>((n, d) => n * (typeof d === 'number' ? d : NaN), 1);
    need(size === (t['data'] as Float32Array).length, `checkpoint tensor ${t['name']} does not match its shape`);
  }
  return v as unknown as Checkpoint;
}

function checkLatest(v: unknown): Snapshot | undefined {
  if (!isRecord(v) || v['dataDim'] !== 1 || !isRecord(v['metrics'])) return undefined;
  const x = v['x'];
  const ok = x instanceof Float32Array && ['p', 'q', 'critic'].every((k) => v[k] instanceof Float32Array && (v[k] as Float32Array).length === x.length);
  return ok ? (v as unknown as Snapshot) : undefined;
}

/** The stored run, or a one-line reason why it cannot be used. */
export function decodeStoredRun(text: string): StoredRun | string {
  try {
    const v: unknown = JSON.parse(text, revive);
    need(isRecord(v) && v['v'] === FORMAT, 'not a saved run of this version');
    const t = v['target'];
    need(isRecord(t) && ((t['kind'] === 'file' && typeof t['uri'] === 'string') || (t['kind'] === 'preset' && typeof t['name'] === 'string')), 'target is malformed');
    need(isSpeed(v['speed']), 'speed is malformed');
    const r = v['run'];
    need(isRecord(r) && typeof r['version'] === 'number', 'run is malformed');
    const summary = r['summary'];
    need(isRecord(summary) && typeof summary['lossName'] === 'string' && typeof summary['divergence'] === 'string' && isOneOf(CRITIC_OUTPUT_KINDS, summary['criticOutput'])
      && (summary['dataDim'] === 1 || summary['dataDim'] === 2), 'summary is malformed');
    const markers = r['markers'];
    need(Array.isArray(markers) && markers.every((m) => isRecord(m) && typeof m['step'] === 'number' && typeof m['version'] === 'number' && typeof m['restarted'] === 'boolean'), 'markers are malformed');
    const latest = checkLatest(r['latest']);
    const run: SavedRun = {
      summary: summary as unknown as SavedRun['summary'],
      version: r['version'],
      history: checkHistory(r['history']),
      markers: markers as ReloadMarker[],
      checkpoint: checkCheckpoint(r['checkpoint']),
      ...(latest ? { latest } : {}),
    };
    return { target: t as unknown as SavedTarget, speed: v['speed'] as Speed, run };
  } catch (e) {
    if (e instanceof Malformed) return describeThrown(e);
    if (e instanceof SyntaxError) return `not JSON (${describeThrown(e)})`;
    throw e;
  }
}
