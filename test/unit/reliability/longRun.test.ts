/**
 * A million-step run keeps the host's memory bounded: the history downsamples. First the
 * HistoryBuffer alone with a million points, then a TrainingSession fed half a million snapshots
 * (one per step) by a stand-in worker (the
 * real worker trains a million steps in minutes, not seconds; its own memory over a long run is
 * the benchmark's). Heap figures need `--expose-gc` (mocha --node-option expose-gc); without it
 * the heap assertions are skipped and only the counts are checked.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HistoryBuffer } from '../../../src/session/history';
import { TrainingSession } from '../../../src/session/trainingSession';
import { SCALAR_KEYS, type ScalarMetrics } from '../../../src/protocol';
import { collectGarbage, mb, recordResults } from './results';
import { until } from './sessionHelpers';

const MILLION = 1_000_000;
/** Through the session and its thread boundary: enough to see a trend, in a few seconds. */
const SESSION_SNAPSHOTS = 500_000;

/** One metrics object, refilled: the buffer copies the numbers out. */
const reused = Object.fromEntries(SCALAR_KEYS.map((k) => [k, 0])) as Record<string, number>;
function point(step: number): ScalarMetrics {
  for (const k of SCALAR_KEYS) reused[k] = Math.sin(step / 1000);
  reused['step'] = step;
  return reused as unknown as ScalarMetrics;
}

/** Retained heap after a full collection, or undefined without --expose-gc. */
function retainedHeap(): number | undefined {
  return collectGarbage() ? process.memoryUsage().heapUsed : undefined;
}

/**
 * A stand-in for dist/worker.js that answers `start` with a run of `steps` snapshots, keeping at
 * most `window` unacknowledged like the real worker keeps one: the host must keep up, and its
 * memory must not grow with the step count.
 */
const FAKE_WORKER = `
const { parentPort } = require('node:worker_threads');
const KEYS = ${JSON.stringify(SCALAR_KEYS)};
const empty = new Float32Array(0);
let runId = 0, step = 0, total = 0, unacked = 0, window = 1;
function snapshot() {
  const metrics = {};
  for (const k of KEYS) metrics[k] = Math.sin(step / 1000);
  metrics.step = step;
  return { type: 'snapshot', snapshot: { runId, version: 0, metrics, stepsPerSecond: 1e5, backend: 'cpu', engine: 'tfjs', qEstimator: 'none',
    generatorMean: 0, generatorStd: 1, x: empty, p: empty, q: empty, critic: empty, optimalCritic: empty } };
}
function pump() {
  while (unacked < window && step < total) { step++; unacked++; parentPort.postMessage(snapshot()); }
  if (step >= total && unacked === 0) parentPort.postMessage({ type: 'state', runId, state: 'finished', step });
}
parentPort.on('message', (m) => {
  if (m.type === 'start') {
    runId = m.runId; total = m.settings.maxSteps; window = m.settings.snapshotRate;
    parentPort.postMessage({ type: 'ready', backend: 'cpu', engine: 'tfjs' });
    parentPort.postMessage({ type: 'loaded', runId, version: 0, restarted: false, warnings: [], summary: { lossName: 'fake', estimating: '', divergence: 'jsd',
      effectiveObjective: '', criticOutput: 'discriminator', target: '', generator: '', critic: '', structureKey: '', lossKey: '' } });
    parentPort.postMessage({ type: 'state', runId, state: 'running', step: 0 });
    pump();
  } else if (m.type === 'ack') {
    unacked--;
    pump();
  }
});
`;

describe('reliability: a million-step run keeps host memory bounded', function () {
  this.timeout(120_000);
  const figures: Record<string, unknown> = {};
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-long-'));
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    recordResults('longRun', figures);
  });

  it('HistoryBuffer: a million points in the space of its capacity, the whole range, evenly', () => {
    const capacity = 2000;
    const h = new HistoryBuffer(capacity);
    const heapBefore = retainedHeap();
    const started = performance.now();
    let peakLength = 0;
    for (let i = 1; i <= MILLION; i++) {
      h.add(point(i));
      if (h.length > peakLength) peakLength = h.length;
    }
    const ms = performance.now() - started;
    const heapAfter = retainedHeap();
    const steps = h.snapshot().step;
    assert.ok(peakLength < capacity, `held ${peakLength} points with a capacity of ${capacity}`);
    assert.ok(steps.length >= capacity / 2, `only ${steps.length} points kept`);
    assert.equal(steps[0], 1);
    assert.ok(steps[steps.length - 1]! > MILLION - 2 * (MILLION / steps.length), `last point at ${steps[steps.length - 1]}`);
    // 13 columns of at most 2000 doubles: ~200 KB, whatever the step count.
    if (heapBefore !== undefined && heapAfter !== undefined) assert.ok(heapAfter - heapBefore < 2 * 2 ** 20, `heap grew by ${mb(heapAfter - heapBefore)} MB`);
    figures['historyBuffer'] = { points: MILLION, capacity, kept: steps.length, peakLength, ms: Math.round(ms), heapGrowthMb: heapBefore !== undefined && heapAfter !== undefined ? mb(heapAfter - heapBefore) : null };
  });

  it('TrainingSession: half a million snapshots through the host, history and memory stay flat', async () => {
    const workerPath = path.join(tmp, 'fake-worker.js');
    fs.writeFileSync(workerPath, FAKE_WORKER);
    // snapshotRate doubles as the fake worker's window of unacknowledged snapshots.
    const s = new TrainingSession({ kind: 'preset', name: 'non-saturating' }, {
      workerPath, historyLength: 2000, stepTimeLimitMs: 30_000,
      settings: { snapshotRate: 64, gridSize: 128, latentSamples: 1000, backend: 'cpu', engine: 'auto', maxSteps: SESSION_SNAPSHOTS },
    });
    const samples: { step: number; heap?: number; rss: number }[] = [];
    let nextSample = SESSION_SNAPSHOTS / 10;
    s.on('snapshot', (snap) => {
      if (snap.metrics.step >= nextSample) {
        nextSample += SESSION_SNAPSHOTS / 10;
        // Collection here is cheap: a dozen times over the run.
        samples.push({ step: snap.metrics.step, ...(collectGarbage() ? { heap: process.memoryUsage().heapUsed } : {}), rss: process.memoryUsage().rss });
      }
    });
    const started = performance.now();
    try {
      s.start();
      await until(s, () => s.state === 'finished', `${SESSION_SNAPSHOTS} snapshots`, 110_000);
    } finally {
      await s.dispose();
    }
    const seconds = (performance.now() - started) / 1000;
    const steps = s.history.snapshot().step;
    assert.equal(s.step, SESSION_SNAPSHOTS);
    assert.ok(s.history.length < 2000 && s.history.length >= 1000, `history of ${s.history.length} points`);
    assert.ok(steps.every((x, i) => i === 0 || x > steps[i - 1]!), 'history out of order');
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    if (first.heap !== undefined && last.heap !== undefined) {
      assert.ok(last.heap - first.heap < 4 * 2 ** 20, `heap ${mb(first.heap)} MB at step ${first.step} → ${mb(last.heap)} MB at step ${last.step}`);
    }
    figures['session'] = {
      snapshots: SESSION_SNAPSHOTS, seconds: Math.round(seconds * 10) / 10, historyPoints: s.history.length,
      heapMbByStep: samples.map((x) => [x.step, x.heap !== undefined ? mb(x.heap) : null]), rssMbByStep: samples.map((x) => [x.step, mb(x.rss)]),
    };
  });
});
