/**
 * 2-D snapshots on a thread of their own: a copy of the run that takes the run's weights,
 * step and last update (TrainingEngine.mirror) shows exactly what the run itself would; a 2-D
 * run's timed snapshots come from that thread while its final one is the run's own; a thread
 * that cannot start is reported and leaves the run to snapshot on its own thread.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defineGan, losses, targets } from '../../../src/definition/api';
import type { Snapshot } from '../../../src/protocol';
import { TrainingSession } from '../../../src/session/trainingSession';
import { bundledWorkerPath } from '../../../src/session/workerPath';
import { engineNamed } from '../../../src/training/createEngine';
import { resolveDefinition } from '../../../src/training/definitionSource';
import { RunInspector } from '../../../src/training/inspector';
import { SnapshotOffload } from '../../../src/training/snapshotOffload';
import { repoRoot } from '../paths';
import { until } from '../reliability/sessionHelpers';
import { testBackend } from './helpers';

const SETTINGS = { gridSize: 256, latentSamples: 4000, latticeSide: 64, latentSide: 64 } as const;
const ARGS = { runId: 1, version: 1, backend: 'wasm', stats: undefined, stepsPerSecond: 0 } as const;

const ring = () => defineGan({
  target: targets.ring({ modes: 8, radius: 2, std: 0.2 }),
  generator: { kind: 'mlp', latentDim: 2, hidden: [32, 32], activation: 'leakyRelu' },
  critic: { hidden: [32, 32], activation: 'leakyRelu' }, seed: 4, loss: losses.nonSaturating(),
});

describe('snapshots on a thread of their own (2-D)', function () {
  this.timeout(120_000);

  it('a mirrored copy of a run gives the run\'s own snapshot, alignment included', async () => {
    const { tf } = await testBackend();
    const run = engineNamed(tf, ring(), 'fused');
    const copy = engineNamed(tf, ring(), 'fused');
    try {
      for (let i = 0; i < 40; i++) run.trainStep();
      const own = new RunInspector(run, SETTINGS).snapshot(ARGS);
      const update = run.lastGeneratorUpdate();
      assert.ok(update, 'the run has a last update');
      copy.mirror({ generator: run.generatorParameters(), critic: run.criticParameters(), step: run.step, lastGeneratorUpdate: update });
      assert.equal(copy.step, run.step);
      const mirrored = new RunInspector(copy, SETTINGS).snapshot(ARGS);
      assert.deepEqual(mirrored.metrics, own.metrics);
      assert.deepEqual(mirrored.plane!.q, own.plane!.q);
      assert.deepEqual(mirrored.plane!.critic, own.plane!.critic);
      assert.deepEqual(mirrored.plane!.exactForces, own.plane!.exactForces);
    } finally {
      run.dispose();
      copy.dispose();
    }
  });

  it('a 2-D run\'s timed snapshots come from its snapshot thread, its final one from the run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-ring-'));
    const text = fs.readFileSync(path.join(repoRoot, 'examples', 'ring-of-8.gan.ts'), 'utf8');
    const s = new TrainingSession({ kind: 'file', path: path.join(dir, 'ring-of-8.gan.ts'), version: 1, text }, {
      workerPath: bundledWorkerPath(), historyLength: 1000, stepTimeLimitMs: 10_000,
      settings: { snapshotRate: 30, ...SETTINGS, backend: 'auto', engine: 'auto', maxSteps: 3000 },
    });
    const seen: Snapshot[] = [];
    s.on('snapshot', (snapshot: Snapshot) => seen.push(snapshot));
    s.start();
    try {
      await until(s, () => s.state === 'finished', 'the run to finish', 100_000);
      const off = seen.filter((x) => x.offThread === true);
      assert.ok(off.length >= 1, `none of ${seen.length} snapshots came from the snapshot thread`);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.metrics.step >= seen[i - 1]!.metrics.step, 'snapshots out of step order');
      const last = seen.at(-1)!;
      assert.equal(last.metrics.step, 3000);
      assert.notEqual(last.offThread, true, 'the final snapshot shows the run\'s own weights at its last step');
    } finally {
      await s.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports its own time on a snapshot (what paces it), which the round trip bounds from above', async () => {
    const { tf } = await testBackend();
    const file = path.join(repoRoot, 'dist', 'snapshotThread.js');
    assert.ok(fs.existsSync(file), 'dist/snapshotThread.js is built');
    const source = { kind: 'file', path: path.join(repoRoot, 'examples', 'ring-of-8.gan.ts'), version: 1 } as const;
    const resolved = await resolveDefinition(tf, source);
    assert.ok(resolved.ok);
    const run = engineNamed(tf, resolved.definition, 'fused');
    const got: { computeMs: number; at: number }[] = [];
    const offload = new SnapshotOffload(file, 'auto', {
      snapshot: (_s, computeMs) => got.push({ computeMs, at: performance.now() }),
      failed: (r) => assert.fail(r),
    });
    try {
      offload.load(source, resolved.definition.seed, { snapshotRate: 30, ...SETTINGS, backend: 'auto', engine: 'auto' }, run.name);
      for (let k = 0; k < 3; k++) {
        for (let i = 0; i < 20; i++) run.trainStep();
        const started = Date.now();
        while (!offload.ready && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 5));
        const asked = performance.now();
        assert.ok(offload.request(run, ARGS), 'the thread takes the request');
        while (got.length <= k && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 5));
        const { computeMs, at } = got[k]!;
        assert.ok(computeMs > 0, `computeMs ${computeMs}`);
        assert.ok(computeMs < at - asked, `the thread's ${computeMs} ms within the round trip's ${at - asked} ms`);
      }
    } finally {
      offload.dispose();
      run.dispose();
    }
  });

  it('a thread that cannot start is reported, once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-thread-'));
    const file = path.join(dir, 'broken.js');
    fs.writeFileSync(file, 'throw new Error("no snapshots here");\n');
    const reasons: string[] = [];
    const offload = new SnapshotOffload(file, 'auto', { snapshot: () => assert.fail('a snapshot from a broken thread'), failed: (r) => reasons.push(r) });
    try {
      const started = Date.now();
      while (reasons.length === 0 && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
      assert.equal(reasons.length, 1);
      assert.match(reasons[0]!, /no snapshots here|exited/);
      assert.equal(offload.alive, false);
    } finally {
      offload.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
