import assert from 'node:assert/strict';
import { defineGan, losses, targets } from '../../../src/definition/api';
import type { GanDefinition } from '../../../src/definition/types';
import { NonFiniteError } from '../../../src/training/engine';
import { engineNamed } from '../../../src/training/createEngine';
import { RunInspector } from '../../../src/training/inspector';
import { testBackend } from './helpers';

const bimodal = targets.mixture([{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }]);
const small = (loss: GanDefinition['loss'] | Parameters<typeof defineGan>[0]['loss']) =>
  defineGan({ target: bimodal, generator: { kind: 'mlp', hidden: [16, 16] }, critic: { hidden: [16, 16] }, batchSize: 64, seed: 7, loss });

describe('tfjs engine', function () {
  this.timeout(120_000);

  it('is deterministic for a seed', async () => {
    const { tf } = await testBackend();
    const run = () => {
      const t = engineNamed(tf, small(losses.nonSaturating()), 'tfjs');
      const stats = Array.from({ length: 20 }, () => t.trainStep());
      t.dispose();
      return stats;
    };
    assert.deepEqual(run(), run());
  });

  for (const [name, loss] of [
    ['minimax', losses.minimax()], ['non-saturating', losses.nonSaturating()], ['log-ratio', losses.logRatio()],
    ['f-GAN kl', losses.fgan('kl')], ['f-GAN reverse kl', losses.fgan('reverse_kl')], ['f-GAN pearson', losses.fgan('pearson')],
    ['f-GAN neyman', losses.fgan('neyman')], ['f-GAN hellinger', losses.fgan('squared_hellinger')], ['f-GAN js', losses.fgan('jensen_shannon', { generator: 'saturating' })],
    ['f-GAN gan', losses.fgan('gan')], ['f-GAN tv', losses.fgan('total_variation')], ['wgan clip', losses.wgan({ clip: 0.01 })],
    ['wgan-gp', losses.wgan({ gradientPenalty: 10 })], ['lsgan', losses.leastSquares()], ['hinge', losses.hinge()],
  ] as const) {
    it(`trains with the ${name} loss and reports finite statistics`, async () => {
      const { tf } = await testBackend();
      const t = engineNamed(tf, small(loss), 'tfjs');
      for (let i = 0; i < 5; i++) {
        const s = t.trainStep();
        for (const [k, v] of Object.entries(s)) assert.ok(Number.isFinite(v), `${name}: ${k} = ${v}`);
      }
      t.dispose();
    });
  }

  it('pauses on a NaN-producing custom loss without touching the weights', async () => {
    const { tf } = await testBackend();
    const t = engineNamed(tf, small({
      divergence: 'jsd',
      critic: ({ real, fake, tf: ops }) => ops.add(ops.mean(ops.softplus(ops.neg(real))), ops.mean(ops.softplus(fake))),
      // log of a negative number: NaN as soon as the generator loss is evaluated.
      generator: ({ fake, tf: ops }) => ops.mean(ops.log(ops.sub(ops.neg(ops.abs(fake)), 1))),
      estimate: ({ real, tf: ops }) => ops.mean(real),
    }), 'tfjs');
    const before = await t.saveState();
    assert.throws(() => t.trainStep(), (e: unknown) => e instanceof NonFiniteError && e.what === 'generator loss' && e.step === 1);
    assert.equal(t.nonFiniteWeight(), undefined);
    const after = await t.saveState();
    // The critic update of the step was good and applied; the generator's was not.
    for (const b of before.filter((x) => x.name.includes('generator/'))) {
      assert.deepEqual(after.find((a) => a.name === b.name)?.data, b.data, b.name);
    }
    t.dispose();
  });

  it('leaks no tensors over 1,000 steps with snapshots', async () => {
    const { tf } = await testBackend();
    const t = engineNamed(tf, small(losses.nonSaturating()), 'tfjs');
    const inspector = new RunInspector(t, { gridSize: 256, latentSamples: 4000 });
    const snap = () => inspector.snapshot({ runId: 1, version: 1, backend: 'wasm', stats: undefined, stepsPerSecond: 0 });
    t.trainStep();
    snap();
    const baseline = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) {
      t.trainStep();
      if (i % 50 === 0) snap();
    }
    assert.equal(tf.memory().numTensors, baseline);
    t.dispose();
  });

  it('leaks no tensors with the gradient penalty and weight clipping', async () => {
    const { tf } = await testBackend();
    for (const loss of [losses.wgan({ gradientPenalty: 10 }), losses.wgan({ clip: 0.01 })]) {
      const t = engineNamed(tf, small(loss), 'tfjs');
      t.trainStep();
      const baseline = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) t.trainStep();
      assert.equal(tf.memory().numTensors, baseline);
      t.dispose();
    }
  });

  it('restores weights and optimiser state from saveState', async () => {
    const { tf } = await testBackend();
    const a = engineNamed(tf, small(losses.nonSaturating()), 'tfjs');
    for (let i = 0; i < 10; i++) a.trainStep();
    const state = await a.saveState();
    const b = engineNamed(tf, small(losses.nonSaturating()), 'tfjs');
    await b.restoreState(state, a.step);
    assert.equal(b.step, 10);
    const restored = await b.saveState();
    assert.deepEqual(restored.map((t) => t.name), state.map((t) => t.name));
    for (let i = 0; i < state.length; i++) assert.deepEqual(restored[i]!.data, state[i]!.data, state[i]!.name);
    a.dispose();
    b.dispose();
  });
});
