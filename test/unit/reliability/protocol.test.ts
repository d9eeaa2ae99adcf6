/**
 * Webview messages that do not match the protocol are ignored: parseWebviewMessage against
 * hostile input — wrong types, huge strings, prototype-pollution attempts, extra fields — and
 * a seeded fuzz of JSON values (what a webview can actually send: VS Code passes its messages
 * as JSON-like data).
 */
import assert from 'node:assert/strict';
import { decodeNonFinite, encodeNonFinite, parseWebviewMessage, type WebviewToHost } from '../../../src/protocol';
import { createRng, type Rng } from '../../../src/core/rng';
import { recordResults } from './results';

const COMMANDS = ['pause', 'resume', 'step', 'stepCritic', 'stepGenerator', 'reset', 'stop', 'train'];

/** What the host may act on: exactly the protocol's shapes, nothing more. */
function conforms(m: WebviewToHost): boolean {
  const keys = Object.keys(m).sort().join(',');
  switch (m.type) {
    case 'ready': return keys === 'type';
    case 'command':
      return COMMANDS.includes(m.command) && (m.count === undefined ? keys === 'command,type' : keys === 'command,count,type' && Number.isInteger(m.count) && m.count >= 1 && m.count <= 1_000_000);
    case 'setSpeed': return keys === 'speed,type' && (m.speed === null || m.speed === 'warmUp' || m.speed === 'slowMotion' || (typeof m.speed === 'number' && Number.isFinite(m.speed) && m.speed > 0 && m.speed <= 1e7));
    case 'requestFrame':
    case 'branch': return keys === 'step,type' && Number.isInteger(m.step) && m.step >= 0;
    case 'export': return keys === 'data,format,name,type' && (m.format === 'png' || m.format === 'svg') && /^[\w.-]{1,80}$/.test(m.name) && typeof m.data === 'string' && m.data.length <= 50_000_000;
    default: return false;
  }
}

/** Through JSON, as a webview message travels. */
function wire(v: unknown): unknown {
  const text = JSON.stringify(v);
  return text === undefined ? undefined : JSON.parse(text);
}

function randomValue(rng: Rng, depth: number): unknown {
  const r = rng.next();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
  if (depth > 2 || r < 0.35) {
    return pick<unknown>([
      null, true, false, 0, -1, 1, 1.5, 3, 1_000_000, 1_000_001, 1e7, 1e7 + 1, -0, 2 ** 53, 1e308, -1e308,
      '', 'ready', 'command', 'setSpeed', 'warmUp', 'warmup', 'export', 'png', 'svg', 'jpg', 'stop', 'STOP', 'train', 'step', 'toString', '__proto__', 'constructor',
      'chart', '../../etc/passwd', 'a b', 'x'.repeat(81), 'x'.repeat(80), '<script>', 'data:image/png;base64,AAAA',
    ]);
  }
  if (r < 0.45) return Array.from({ length: Math.floor(rng.next() * 3) }, () => randomValue(rng, depth + 1));
  const keys = ['type', 'command', 'count', 'speed', 'format', 'name', 'data', 'extra', '__proto__', 'constructor', 'prototype'];
  const o: Record<string, unknown> = {};
  // Usually a real message type, so that the field checks are what gets exercised.
  if (rng.next() < 0.8) o['type'] = pick(['ready', 'command', 'setSpeed', 'export', 'Command', 'unknown']);
  for (const k of keys) if (rng.next() < 0.35) o[k] = randomValue(rng, depth + 1);
  return o;
}

describe('reliability: webview messages that do not match the protocol', () => {
  const figures: Record<string, unknown> = {};
  after(() => recordResults('protocol', figures));

  it('ignores values that are not messages', () => {
    for (const v of [undefined, null, 0, 42, NaN, 'ready', '', true, [], [{ type: 'ready' }], () => ({ type: 'ready' }), Symbol('ready'), 10n, new Date(0), new Map([['type', 'ready']])]) {
      assert.equal(parseWebviewMessage(v), undefined, String(typeof v));
    }
  });

  it('ignores unknown types and wrongly typed fields', () => {
    const bad: unknown[] = [
      {}, { type: 'READY' }, { type: 'ready ' }, { type: ['ready'] }, { type: { toString: () => 'ready' } }, { type: 'toString' }, { type: '__proto__' },
      { type: 'command' }, { type: 'command', command: 'STOP' }, { type: 'command', command: 'rm -rf /' }, { type: 'command', command: 42 },
      { type: 'command', command: null }, { type: 'command', command: ['stop'] }, { type: 'command', command: 'toString' }, { type: 'command', command: 'constructor' },
      { type: 'command', command: 'step', count: 0 }, { type: 'command', command: 'step', count: -1 }, { type: 'command', command: 'step', count: 1.5 },
      { type: 'command', command: 'step', count: NaN }, { type: 'command', command: 'step', count: Infinity }, { type: 'command', command: 'step', count: '5' },
      { type: 'command', command: 'step', count: 1_000_001 }, { type: 'command', command: 'step', count: 2 ** 53 }, { type: 'command', command: 'step', count: null },
      { type: 'command', command: 'step', count: true }, { type: 'command', command: 'step', count: [3] },
      { type: 'setSpeed' }, { type: 'setSpeed', speed: 0 }, { type: 'setSpeed', speed: -5 }, { type: 'setSpeed', speed: NaN },
      { type: 'setSpeed', speed: Infinity }, { type: 'setSpeed', speed: '10' }, { type: 'setSpeed', speed: 1e7 + 1 }, { type: 'setSpeed', speed: {} },
      { type: 'setSpeed', speed: 'warmup' }, { type: 'setSpeed', speed: 'max' }, { type: 'setSpeed', stepsPerSecond: 10 },
      { type: 'requestFrame' }, { type: 'requestFrame', step: -1 }, { type: 'requestFrame', step: 1.5 }, { type: 'requestFrame', step: '3' },
      { type: 'branch', step: NaN }, { type: 'branch', step: 2 ** 60 }, { type: 'branch', step: null },
      { type: 'export', format: 'jpg', name: 'chart', data: '' }, { type: 'export', format: 'png', name: '../../etc/passwd', data: '' },
      { type: 'export', format: 'png', name: 'a/b', data: '' }, { type: 'export', format: 'png', name: '', data: '' }, { type: 'export', format: 'png', name: 'x'.repeat(81), data: '' },
      { type: 'export', format: 'png', name: 'chart', data: 42 }, { type: 'export', format: 'png', name: 42, data: '' }, { type: 'export', format: 'svg', name: 'chart' },
      { type: 'export', format: 'png', name: 'c\u0000d', data: '' }, { type: 'export', format: 'png', name: 'chart\n', data: '' },
    ];
    for (const v of bad) assert.equal(parseWebviewMessage(v), undefined, JSON.stringify(v));
  });

  it('drops extra fields: what it returns is built from the known fields only', () => {
    const m = parseWebviewMessage({ type: 'command', command: 'step', count: 3, extra: 'x', __proto__x: 1, then: () => 1 });
    assert.deepEqual(m, { type: 'command', command: 'step', count: 3 });
    assert.deepEqual(parseWebviewMessage({ type: 'ready', payload: { huge: 'x'.repeat(1000) } }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'setSpeed', speed: null, rate: 5 }), { type: 'setSpeed', speed: null });
    assert.deepEqual(parseWebviewMessage({ type: 'setSpeed', speed: 'warmUp', stepsPerSecond: 5 }), { type: 'setSpeed', speed: 'warmUp' });
  });

  it('is not polluted by __proto__ or constructor keys, and does not pollute', () => {
    const attempts = [
      '{"__proto__": {"type": "command", "command": "stop"}}',
      '{"type": "command", "__proto__": {"command": "stop"}}',
      '{"constructor": {"prototype": {"type": "ready", "polluted": true}}}',
      '{"type": "command", "command": "step", "__proto__": {"count": 5}}',
      '{"type": "export", "format": "png", "name": "chart", "__proto__": {"data": "x"}}',
    ];
    const results = attempts.map((text) => parseWebviewMessage(JSON.parse(text)));
    assert.deepEqual(results, [undefined, undefined, undefined, { type: 'command', command: 'step' }, undefined]);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(({} as Record<string, unknown>)['command'], undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'type'), false);
  });

  it('handles huge strings in bounded time without copying them into its answer', () => {
    const huge = 'x'.repeat(20_000_000);
    const started = performance.now();
    assert.equal(parseWebviewMessage({ type: huge }), undefined);
    assert.equal(parseWebviewMessage({ type: 'command', command: huge }), undefined);
    assert.equal(parseWebviewMessage({ type: 'export', format: 'png', name: huge, data: '' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'export', format: 'png', name: 'chart', data: 'y'.repeat(50_000_001) }), undefined);
    const ok = parseWebviewMessage({ type: 'export', format: 'svg', name: 'chart', data: huge });
    assert.ok(ok?.type === 'export' && ok.data.length === huge.length);
    const ms = performance.now() - started;
    assert.ok(ms < 1000, `${Math.round(ms)} ms`);
    figures['hugeStringsMs'] = Math.round(ms);
  });

  it('never throws, and returns only protocol-shaped messages, over 20,000 seeded JSON values', () => {
    const rng = createRng(20240917);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 20_000; i++) {
      const v = wire(randomValue(rng, 0));
      let m: WebviewToHost | undefined;
      assert.doesNotThrow(() => { m = parseWebviewMessage(v); }, JSON.stringify(v));
      const outcome = m === undefined ? 'ignored' : m.type;
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      if (m !== undefined) {
        assert.ok(conforms(m), `accepted ${JSON.stringify(m)} from ${JSON.stringify(v)}`);
        // Idempotent: what it accepts, it accepts again unchanged.
        assert.deepEqual(parseWebviewMessage(wire(m)), m);
      }
    }
    assert.ok((counts['ignored'] ?? 0) > 10_000 && Object.keys(counts).length >= 4, JSON.stringify(counts));
    figures['fuzz'] = { values: 20_000, outcomes: counts };
  });
});

describe('non-finite numbers on the way to the webview', () => {
  it('survive JSON as encodeNonFinite writes them, typed arrays and look-alike objects untouched', () => {
    const message = {
      type: 'snapshot', values: [1, NaN, Infinity, -Infinity], nested: { kl: Infinity, step: 3 },
      grid: Float32Array.of(1, NaN), lookalike: { $nonFinite: 'NaN', other: 1 }, label: 'Infinity',
    };
    const wire = JSON.parse(JSON.stringify(encodeNonFinite(message), (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v))) as unknown;
    const back = decodeNonFinite(wire) as typeof message;
    assert.deepEqual(back.values, [1, NaN, Infinity, -Infinity]);
    assert.deepEqual(back.nested, { kl: Infinity, step: 3 });
    assert.deepEqual(back.lookalike, { $nonFinite: 'NaN', other: 1 });
    assert.equal(back.label, 'Infinity');
    const typed = encodeNonFinite(message) as typeof message;
    assert.equal(typed.grid, message.grid, 'typed arrays travel beside the JSON and are passed as they are');
  });
});
