/**
 * Products on two threads (src/training/fused/parallelProducts.ts): the same bits as on one,
 * with the helper thread really taking part (in large products, and in mid-sized ones once it is
 * awake), and a run on two threads equal to one on one.
 */
import assert from 'node:assert/strict';
import { defineGan, losses, targets } from '../../../src/definition/api';
import { engineNamed } from '../../../src/training/createEngine';
import { Arena } from '../../../src/training/fused/kernel';
import { testBackend } from './helpers';

/** C = A·B (+ bias, with the leaky ReLU stored), and Xᵀ·dZ read through transposed strides, on an arena's products. */
function products(arena: Arena, rounds: number): Float32Array[] {
  const [m, k, n] = [1536, 96, 80];
  const a = arena.alloc(m * k);
  const b = arena.alloc(k * n);
  const bias = arena.alloc(n);
  const c = arena.alloc(m * n);
  const h = arena.alloc(m * n);
  const g = arena.alloc(k * n);
  arena.view(a).set(Float32Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.37)));
  arena.view(b).set(Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.11)));
  arena.view(bias).set(Float32Array.from({ length: n }, (_, i) => i / n - 0.5));
  for (let r = 0; r < rounds; r++) {
    arena.products.matmul(a.ptr, k, 1, b.ptr, c.ptr, m, k, n, bias.ptr, h.ptr, 0.2, false);
    // Aᵀ·C: [k, m]·[m, n], A read transposed, accumulated onto itself after the first round.
    arena.products.matmul(a.ptr, 1, k, c.ptr, g.ptr, k, m, n, 0, 0, 0, r > 0);
  }
  return [arena.view(c).slice(), arena.view(h).slice(), arena.view(g).slice()];
}

describe('products on two threads', function () {
  this.timeout(120_000);

  it('give the same bits as on one, with the helper thread running chunks', async () => {
    const serial = new Arena(1);
    const expected = products(serial, 3);
    serial.dispose();
    const parallel = new Arena(2);
    try {
      assert.equal(parallel.products.threads, 2, 'no shared-memory build: the helper cannot run');
      // The helper starts with the first large product and joins when it is scheduled.
      const started = performance.now();
      while (parallel.products.helperChunks() === 0 && performance.now() - started < 60_000) products(parallel, 1);
      assert.ok(parallel.products.helperChunks() > 0, 'the helper thread never ran a chunk');
      const got = products(parallel, 3);
      for (let i = 0; i < expected.length; i++) assert.deepEqual(got[i], expected[i], `product ${i}`);
    } finally {
      parallel.dispose();
    }
  });

  it('split mid-sized products once the helper is awake, with the same bits as on one thread', () => {
    // 256×64×64: a 2-D ring network's layer, under the size that wakes a sleeping helper.
    const [m, k, n] = [256, 64, 64];
    const run = (arena: Arena, rounds: number): Float32Array => {
      const a = arena.alloc(m * k);
      const b = arena.alloc(k * n);
      const c = arena.alloc(m * n);
      arena.view(a).set(Float32Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.29)));
      arena.view(b).set(Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.13)));
      for (let r = 0; r < rounds; r++) arena.products.matmul(a.ptr, k, 1, b.ptr, c.ptr, m, k, n, 0, 0, 0, r > 0);
      return arena.view(c).slice();
    };
    const serial = new Arena(1);
    const expected = run(serial, 50);
    serial.dispose();
    const parallel = new Arena(2);
    try {
      // The first such product wakes the helper and runs alone; later ones find it polling.
      const started = performance.now();
      while (parallel.products.helperChunks() === 0 && performance.now() - started < 60_000) run(parallel, 50);
      assert.ok(parallel.products.helperChunks() > 0, 'the helper thread never ran a chunk of a mid-sized product');
      assert.deepEqual(run(parallel, 50), expected);
    } finally {
      parallel.dispose();
    }
  });

  it('train in halves of each pass to the same weights as one thread, with the helper running halves', async () => {
    const { tf } = await testBackend();
    // Without a gradient penalty every pass of 64 rows or more runs in two halves.
    const def = defineGan({
      target: targets.ring({ modes: 8, radius: 2, std: 0.2 }),
      generator: { kind: 'mlp', latentDim: 2, hidden: [32, 32], activation: 'leakyRelu' }, critic: { hidden: [32, 32], activation: 'elu' },
      batchSize: 100, seed: 3, loss: losses.nonSaturating(),
    });
    const run = async (threads: number) => {
      const t = engineNamed(tf, def, 'fused', threads);
      // Long enough for the helper thread to start (tens of milliseconds) and take part.
      for (let i = 0; i < 500; i++) t.trainStep();
      const helped = t.threads === 2;
      const state = await t.saveState();
      t.dispose();
      return { state, helped };
    };
    const one = await run(1);
    // The helper joins once it is scheduled; on a busy machine a run may end first.
    let two = await run(2);
    for (let tries = 0; !two.helped && tries < 20; tries++) two = await run(2);
    assert.ok(two.helped, 'the helper thread never ran a half of a pass');
    for (let i = 0; i < one.state.length; i++) assert.deepEqual(two.state[i]!.data, one.state[i]!.data, one.state[i]!.name);
  });

  it('train a large network to the same weights as one thread', async () => {
    const { tf } = await testBackend();
    const def = defineGan({
      target: targets.mixture([{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }]),
      generator: { kind: 'mlp', latentDim: 1, hidden: [128, 128], activation: 'leakyRelu' }, critic: { hidden: [128, 128], activation: 'tanh' },
      batchSize: 512, criticSteps: 2, seed: 4, loss: losses.wgan({ gradientPenalty: 10 }),
    });
    const run = async (threads: number) => {
      const t = engineNamed(tf, def, 'fused', threads);
      for (let i = 0; i < 3; i++) t.trainStep();
      // On a busy machine the helper may not have been scheduled yet; the products test sees it work.
      assert.ok(t.threads <= threads, `${t.threads} threads`);
      const state = await t.saveState();
      t.dispose();
      return state;
    };
    const [one, two] = [await run(1), await run(2)];
    assert.deepEqual(two.map((s) => s.name), one.map((s) => s.name));
    for (let i = 0; i < one.length; i++) assert.deepEqual(two[i]!.data, one[i]!.data, one[i]!.name);
  });
});
