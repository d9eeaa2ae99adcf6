/** What the host keeps for going back in time (src/session/fieldHistory.ts). */
import assert from 'node:assert/strict';
import { FRAME_POINTS, ThinnedSteps, frameOf } from '../../../src/session/fieldHistory';
import { SCALAR_KEYS, type ScalarMetrics, type Snapshot } from '../../../src/protocol';

const metrics = (step: number): ScalarMetrics => Object.fromEntries(SCALAR_KEYS.map((k) => [k, k === 'step' ? step : 0.5])) as unknown as ScalarMetrics;

function lineSnapshot(step: number, n = 512): Snapshot {
  const x = Float32Array.from({ length: n }, (_, i) => -5 + (10 * i) / (n - 1));
  const dx = x[1]! - x[0]!;
  // A spike one grid cell wide: its mass must survive the downsampling.
  const q = new Float32Array(n);
  q[200] = 1 / dx;
  return {
    runId: 1, version: 1, metrics: metrics(step), stepsPerSecond: 100, workerHeapBytes: 0, backend: 'wasm', engine: 'fused', qEstimator: 'q',
    dataDim: 1, generatorMean: 0, generatorStd: 1, x, p: x.map((v) => Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI)), q,
    critic: x.map((v) => v), optimalCritic: new Float32Array(0),
    forces: { x: x.slice(0, 256), critic: new Float32Array(256).fill(1), exact: new Float32Array(0) },
    generatorMap: { z: x.slice(0, 512), x: x.slice(0, 512) },
  };
}

describe('field history: frames and checkpoints in fixed memory', () => {
  it('keeps at most its capacity over a long run, spread over the whole of it', () => {
    const t = new ThinnedSteps<{ step: number }>(64);
    let built = 0;
    for (let step = 0; step < 100_000; step++) t.offer(() => { built++; return { step }; });
    assert.ok(t.length <= 64 && t.length >= 32, `${t.length} kept`);
    assert.equal(t.steps[0], 0);
    assert.ok(t.steps.at(-1)! > 90_000, `the newest kept is ${t.steps.at(-1)}`);
    // Items that would be dropped are not built at all.
    assert.ok(built < 500, `${built} items built for ${t.length} kept of 100,000 offered`);
  });

  it('finds the nearest frame and the last checkpoint at or before a step, and forgets steps trained again', () => {
    const t = new ThinnedSteps<{ step: number }>(100);
    for (const step of [0, 100, 200, 300]) t.offer(() => ({ step }));
    assert.equal(t.nearest(140)?.step, 100);
    assert.equal(t.nearest(160)?.step, 200);
    assert.equal(t.atOrBefore(299)?.step, 200);
    assert.equal(t.atOrBefore(-1), undefined);
    t.truncateFrom(200);
    assert.deepEqual(t.steps, [0, 100]);
    // A step that goes back (a recovery) replaces what came after it.
    t.offer(() => ({ step: 150 }));
    t.offer(() => ({ step: 120 }));
    assert.deepEqual(t.steps, [0, 100, 120]);
  });

  it('reduces a 1-D snapshot to block means (a spike keeps its mass), a quarter of the forces and of G', () => {
    const s = lineSnapshot(500);
    const f = frameOf(s)!;
    assert.equal(f.x.length, FRAME_POINTS);
    const mass = (x: Float32Array, d: Float32Array): number => d.reduce((a, v) => a + v, 0) * (x[1]! - x[0]!);
    assert.ok(Math.abs(mass(f.x, f.q) - mass(s.x, s.q)) < 0.02, `q's mass ${mass(f.x, f.q)}, was ${mass(s.x, s.q)}`);
    assert.equal(f.forces?.x.length, 64);
    assert.equal(f.generatorMap?.z.length, 128);
    assert.equal(f.metrics.step, 500);
    assert.equal(f.optimalCritic.length, 0);
    assert.equal(frameOf({ ...s, dataDim: 2 }), undefined, '2-D snapshots are not kept');
  });
});
