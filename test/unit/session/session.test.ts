import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../paths';
import { once } from 'node:events';
import { TrainingSession, type SessionOptions } from '../../../src/session/trainingSession';
import { bundledWorkerPath } from '../../../src/session/workerPath';
import { emptyHistory, type RunState } from '../../../src/protocol';
import { until } from '../reliability/sessionHelpers';
import { decodeStoredRun, encodeStoredRun } from '../../../src/session/savedRun';

const examples = path.join(repoRoot, 'examples');
const options = (overrides: Partial<SessionOptions['settings']> = {}): SessionOptions => ({
  workerPath: bundledWorkerPath(),
  settings: { snapshotRate: 30, gridSize: 256, latentSamples: 4000, backend: 'auto', engine: 'auto', ...overrides },
  historyLength: 1000,
  stepTimeLimitMs: 4000,
});

describe('TrainingSession (worker thread)', function () {
  this.timeout(90_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-session-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('trains a preset in a worker and posts snapshots with the backend', async () => {
    const s = new TrainingSession({ kind: 'preset', name: 'non-saturating' }, options({ maxSteps: 200 }));
    s.start();
    await until(s, () => s.state === 'finished', 'the run to finish');
    assert.equal(s.step, 200);
    assert.ok(s.backend === 'wasm' || s.backend === 'tensorflow' || s.backend === 'cpu');
    assert.equal(s.latest?.x.length, 256);
    assert.ok(s.history.length >= 2);
    await s.dispose();
  });

  /** examples/non-saturating.gan.ts as version 1 of a file in tmp, trained to `steps`. */
  async function trainExample(name: string, steps: number): Promise<{ file: string; text: string; s: TrainingSession }> {
    const file = path.join(tmp, name);
    const text = fs.readFileSync(path.join(examples, 'non-saturating.gan.ts'), 'utf8');
    const s = new TrainingSession({ kind: 'file', path: file, version: 1, text }, options());
    s.start();
    await until(s, () => s.step >= steps, 'training');
    return { file, text, s };
  }

  it('stops after a last checkpoint, and resumes in a new worker from the step it stopped at', async () => {
    const { s } = await trainExample('stop.gan.ts', 150);
    await s.stop();
    const stoppedAt = s.step;
    assert.equal(s.state, 'stopped');
    assert.equal(s.threadId, undefined);
    assert.equal(s.checkpointStep, stoppedAt, 'the checkpoint is not the stopped step');
    s.resume();
    await until(s, () => s.state === 'running' && s.step >= stoppedAt + 200, 'steps after resuming');
    const steps = s.history.snapshot().step;
    assert.ok(steps.every((v, i) => i === 0 || v > steps[i - 1]!), `the history is out of order: ${steps.join(',')}`);
    assert.ok(steps.includes(stoppedAt) && steps.at(-1)! > stoppedAt, `the history does not go on from the stop (${stoppedAt}): ${steps.join(',')}`);
    assert.ok(steps[0]! < 50, 'the history before the stop is kept');
    await s.dispose();
  });

  it('saves a run to JSON and restores it stopped, with its curves; resuming continues from its checkpoint', async () => {
    const { file, text, s } = await trainExample('restore.gan.ts', 150);
    await s.stop();
    const saved = s.saved();
    assert.ok(saved, 'a stopped run has something to save');
    await s.dispose();
    const text1 = encodeStoredRun({ target: { kind: 'file', uri: `file://${file}` }, speed: 'warmUp', run: saved });
    const stored = decodeStoredRun(text1);
    assert.ok(typeof stored !== 'string', `decoding failed: ${String(stored)}`);
    assert.deepEqual(stored.run.checkpoint, saved.checkpoint, 'the checkpoint changed on its way through JSON');
    assert.deepEqual(stored.run.history, saved.history);
    assert.equal(stored.speed, 'warmUp');
    const r = TrainingSession.restore({ kind: 'file', path: file, version: saved.version, text }, options(), stored.run);
    assert.equal(r.state, 'stopped');
    assert.equal(r.step, saved.checkpoint.step);
    assert.equal(r.history.length, saved.history.step.length);
    r.resume();
    await until(r, () => r.state === 'running' && r.step >= saved.checkpoint.step + 30, 'the restored run to train');
    await r.dispose();
  });

  it('keeps frames and checkpoints, and branches from the last checkpoint at or before a step', async () => {
    const { s } = await trainExample('branch.gan.ts', 50);
    await until(s, () => s.checkpoints.length >= 2, 'two checkpoints', 30_000);
    const [first, second] = s.checkpoints.steps as [number, number];
    const frame = s.frameNear(first).snapshot;
    assert.ok(frame && Math.abs(frame.metrics.step - first) < 400 && frame.x.length <= 128, 'no downsampled frame near the first checkpoint');
    const at = await s.branchFrom(second - 1);
    assert.equal(at, first, 'branched from another checkpoint than the last one at or before the step');
    assert.ok(s.frames.steps.every((v) => v < first) && s.history.snapshot().step.every((v) => v < first), 'frames or points after the branch point were kept');
    assert.deepEqual(s.checkpoints.steps, [first]);
    await until(s, () => s.state === 'running' && s.latest !== undefined && s.latest.metrics.step >= first, 'the branch to train');
    const steps = s.history.snapshot().step;
    assert.ok(steps.every((v, i) => i === 0 || v > steps[i - 1]!), `the history is out of order after the branch: ${steps.join(',')}`);
    assert.equal(await s.branchFrom(-1), undefined, 'a branch before the first checkpoint');
    await s.dispose();
  });

  it('refuses a saved run that is truncated, of another format or with a tensor of the wrong size, saying why', () => {
    assert.match(String(decodeStoredRun('{"v":1,"target"')), /not JSON/);
    assert.match(String(decodeStoredRun('{"v":2}')), /not a saved run of this version/);
    const summary = { lossName: 'minimax GAN', estimating: 'JSD', divergence: 'jsd', effectiveObjective: 'x', criticOutput: 'discriminator', target: 't', dataDim: 1, generator: 'g', critic: 'c', structureKey: 's', lossKey: 'l' } as const;
    const stored = (data: Float32Array, shape: number[]): string => encodeStoredRun({
      target: { kind: 'preset', name: 'minimax' }, speed: 100,
      run: { summary, version: 1, history: emptyHistory(), markers: [{ step: 0, version: 1, restarted: false }], checkpoint: { runId: 1, step: 10, version: 1, tensors: [{ name: 'generator', shape, data }] } },
    });
    const ok = decodeStoredRun(stored(Float32Array.of(1, NaN, -Infinity), [3]));
    assert.ok(typeof ok !== 'string', String(ok));
    assert.deepEqual(Array.from(ok.run.checkpoint.tensors[0]!.data), [1, NaN, -Infinity]);
    assert.match(String(decodeStoredRun(stored(Float32Array.of(1, 2), [3]))), /checkpoint tensor generator does not match its shape/);
    assert.match(String(decodeStoredRun(stored(Float32Array.of(1, 2), [2]).replace('"criticOutput":"discriminator"', '"criticOutput":"none"'))), /summary is malformed/);
  });

  it('swaps a loss-only change into the running training and restarts on a structural one', async () => {
    const { file, text, s } = await trainExample('swap.gan.ts', 100);
    const loaded = once(s, 'loaded');
    s.reload({ kind: 'file', path: file, version: 2, text: text.replace('losses.nonSaturating()', 'losses.minimax()') });
    const [swap] = (await loaded) as [{ restarted: boolean; version: number }];
    assert.equal(swap.restarted, false);
    assert.equal(s.summary?.lossName, 'minimax GAN');
    const stepAtSwap = s.step;
    await until(s, () => s.step >= stepAtSwap + 50, 'steps after the swap');
    const restart = once(s, 'loaded');
    s.reload({ kind: 'file', path: file, version: 3, text: text.replace('hidden: [32, 32], activation', 'hidden: [16, 16], activation') });
    const historyBefore = s.history.length;
    const [r] = (await restart) as [{ restarted: boolean; previous: { step: number[] } | undefined }];
    assert.equal(r.restarted, true);
    assert.ok(r.previous && r.previous.step.length >= historyBefore && r.previous.step.at(-1)! >= stepAtSwap, 'the old curves go with the restart');
    await until(s, () => s.latest !== undefined && s.latest.version === 3, 'a snapshot of version 3');
    assert.ok(s.step < stepAtSwap + 50, 'the restarted run counts from zero');
    const steps = s.history.snapshot().step;
    assert.ok(steps.every((v, i) => i === 0 || v > steps[i - 1]!) && steps[0]! < 50, `the history starts over: ${steps.slice(0, 5).join(',')}…`);
    await s.dispose();
  });

  it('swaps a gradient penalty into the running training and out again, on the fused engine, without losing it', async () => {
    const { file, text, s } = await trainExample('engine.gan.ts', 100);
    assert.equal(s.engine, 'fused');
    const toPenalty = once(s, 'loaded');
    s.reload({ kind: 'file', path: file, version: 2, text: text.replace('losses.nonSaturating()', 'losses.wgan({ gradientPenalty: 10 })') });
    const [swap] = (await toPenalty) as [{ restarted: boolean }];
    assert.equal(swap.restarted, false);
    const stepAtSwap = s.step;
    await until(s, () => s.latest?.version === 2 && s.step >= stepAtSwap + 5, 'steps on version 2');
    assert.equal(s.summary?.lossName, 'WGAN-GP (λ = 10)');
    assert.equal(s.engine, 'fused');
    assert.ok(s.step >= 100, 'the step count goes on');
    const back = once(s, 'loaded');
    s.reload({ kind: 'file', path: file, version: 3, text });
    await back;
    await until(s, () => s.latest?.version === 3, 'a snapshot of version 3');
    assert.equal(s.engine, 'fused');
    assert.ok(s.step >= stepAtSwap, 'the step count goes on');
    await s.dispose();
  });

  it('holds the Speed control at 100 steps/s', async () => {
    // An upper bound only: a busy machine makes the run slower, never faster.
    const s = new TrainingSession({ kind: 'preset', name: 'non-saturating' }, options());
    s.setSpeed(100);
    s.start();
    try {
      await until(s, () => s.step >= 20, 'the first steps');
      const [t0, step0] = [performance.now(), s.step];
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const seconds = (performance.now() - t0) / 1000;
      const steps = s.step - step0;
      // The slack: the pacer's catch-up (5 steps) and the host's view of the step lagging a snapshot.
      assert.ok(steps <= 100 * seconds + 20, `${steps} steps in ${seconds.toFixed(2)} s at 100 steps/s`);
    } finally {
      await s.dispose();
    }
  });

  it('keeps training with the last good version when an edit is broken', async () => {
    const { file, text, s } = await trainExample('broken.gan.ts', 50);
    const failed = once(s, 'loadFailed');
    s.reload({ kind: 'file', path: file, version: 2, text: text.replace('batchSize: 256', 'batchSize: -1') });
    const [f] = (await failed) as [{ problems: { message: string; line: number }[] }];
    assert.match(f.problems[0]!.message, /batchSize must be a positive integer, got -1/);
    assert.equal(f.problems[0]!.line, text.split('\n').findIndex((l) => l.includes('batchSize')) + 1);
    const at = s.step;
    await until(s, () => s.step >= at + 50, 'steps after the broken edit');
    assert.equal(s.state, 'running');
    await s.dispose();
  });

  it('continues from the checkpoint in a new worker when the worker dies', async () => {
    const s = new TrainingSession({ kind: 'preset', name: 'non-saturating' }, options());
    const recovered: string[] = [];
    s.on('recovered', (m) => recovered.push(m));
    s.start();
    // Checkpoints come every 3 s.
    await until(s, () => s.step >= 300 && (s as unknown as { checkpoint?: unknown }).checkpoint !== undefined, 'a checkpoint', 30_000);
    const before = s.step;
    const firstThread = s.threadId;
    await s.killWorker();
    await until(s, () => recovered.length === 1 && s.threadId !== firstThread && s.latest!.runId === s.runId && s.step >= before, 'the recovered run past the step it died at', 60_000);
    assert.equal(recovered.length, 1);
    assert.match(recovered[0]!, /continues in a new worker from step \d+/);
    await s.dispose();
  });

  it('pauses on NaN with the step and what went bad', async () => {
    const file = path.join(tmp, 'nan.gan.ts');
    const text = `import { defineGan, targets } from 'gan-lens';
let calls = 0;
export default defineGan({
  target: targets.gaussian(0, 1),
  loss: {
    divergence: 'jsd',
    critic: ({ real, fake, tf }) => tf.add(tf.mean(tf.softplus(tf.neg(real))), tf.mean(tf.softplus(fake))),
    // Fine for the dry run, NaN from the 30th generator update on (training batches only: snapshots call it on their quadrature sets).
    generator: ({ fake, tf }) => (fake.shape[0] <= 256 && ++calls > 31 ? tf.mul(tf.mean(fake), NaN) : tf.mean(tf.softplus(tf.neg(fake)))),
    estimate: ({ real, tf }) => tf.mean(real),
  },
});
`;
    const s = new TrainingSession({ kind: 'file', path: file, version: 1, text }, options());
    const bad: { step: number; what: string }[] = [];
    s.on('nonFinite', (e) => bad.push(e));
    s.start();
    await until(s, () => s.state === 'paused', 'the pause');
    assert.deepEqual(bad, [{ step: 31, what: 'generator loss' }]);
    assert.equal(s.step, 30);
    await s.dispose();
  });

  it('replaces a worker stuck in an endless loss within the time limit', async () => {
    const file = path.join(tmp, 'hang.gan.ts');
    const text = `import { defineGan, losses, targets } from 'gan-lens';
let calls = 0;
export default defineGan({
  target: targets.gaussian(0, 1),
  loss: {
    divergence: 'jsd',
    critic: ({ real, fake, tf }) => tf.add(tf.mean(tf.softplus(tf.neg(real))), tf.mean(tf.softplus(fake))),
    generator: ({ fake, tf }) => { if (++calls > 20) { for (;;) {} } return tf.mean(tf.softplus(tf.neg(fake))); },
    estimate: ({ real, tf }) => tf.mean(real),
  },
});
`;
    const s = new TrainingSession({ kind: 'file', path: file, version: 1, text }, { ...options(), stepTimeLimitMs: 1500 });
    const states: RunState[] = [];
    const recovered: string[] = [];
    s.on('state', (st) => states.push(st));
    s.on('recovered', (m) => recovered.push(m));
    s.start();
    await until(s, () => recovered.length >= 1, 'a recovery', 20_000);
    assert.match(recovered[0]!, /did not answer for 2 s|did not answer for 1 s/);
    await s.dispose();
  });
});
