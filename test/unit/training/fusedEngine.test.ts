/**
 * The fused WebAssembly engine against the tfjs engine (the reference): from the same seed both
 * start from the same weights and draw the same batches, so gradients on a given batch and the
 * weights after updates must agree to float32 rounding, for every loss the fused engine runs.
 */
import assert from 'node:assert/strict';
import { createRng } from '../../../src/core/rng';
import { defineGan, losses, targets } from '../../../src/definition/api';
import type { Activation, GanConfig, GanDefinition } from '../../../src/definition/types';
import { createEngine, engineForLoss, engineNamed } from '../../../src/training/createEngine';
import { chooseEngine, NonFiniteError, sampleLatent, sampleReal, type SavedTensor, type TrainingEngine } from '../../../src/training/engine';
import { testBackend } from './helpers';

const TOLERANCE = 1e-4;
const bimodal = targets.mixture([{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }]);

function definition(overrides: Partial<GanConfig> = {}): GanDefinition {
  return defineGan({
    target: bimodal, generator: { kind: 'mlp', latentDim: 1, hidden: [24, 20], activation: 'leakyRelu' },
    critic: { hidden: [20, 24], activation: 'leakyRelu' }, optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
    // One critic update per step, so "one update" is one Adam step (WGAN defaults to five).
    criticSteps: 1, batchSize: 50, seed: 5, loss: losses.nonSaturating(), ...overrides,
  });
}

/** ‖a − b‖ / ‖b‖: elementwise rounding differences, not a loose average. */
function relativeError(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

function close(a: Float32Array, b: Float32Array, what: string): void {
  const e = relativeError(a, b);
  assert.ok(e < TOLERANCE, `${what}: relative error ${e.toExponential(2)}`);
}

function tensor(state: readonly SavedTensor[], name: string): Float32Array {
  const t = state.find((s) => s.name === name);
  assert.ok(t, `no ${name} in the saved state`);
  return t.data;
}

async function pair(def: GanDefinition): Promise<[TrainingEngine, TrainingEngine]> {
  const { tf } = await testBackend();
  return [engineNamed(tf, def, 'tfjs'), engineNamed(tf, def, 'fused')];
}

/** Same batch into both engines: gradients, then `updates` steps from the same seed: weights and Adam moments. */
async function assertEquivalent(def: GanDefinition, updates = 1): Promise<void> {
  const [reference, fused] = await pair(def);
  try {
    const rng = createRng(99);
    const real = sampleReal(reference.target, rng, def.batchSize);
    const latent = sampleLatent(rng, def.batchSize, reference.latentDim);
    const a = reference.gradientsAt(real, latent);
    const b = fused.gradientsAt(real, latent);
    close(b.critic, a.critic, 'critic gradient');
    close(b.generator, a.generator, 'generator gradient');
    assert.ok(Math.abs(b.criticLoss - a.criticLoss) <= TOLERANCE * Math.max(1, Math.abs(a.criticLoss)), `critic loss ${b.criticLoss} vs ${a.criticLoss}`);
    assert.ok(Math.abs(b.generatorLoss - a.generatorLoss) <= TOLERANCE * Math.max(1, Math.abs(a.generatorLoss)), `generator loss ${b.generatorLoss} vs ${a.generatorLoss}`);
    for (let i = 0; i < updates; i++) {
      const sa = reference.trainStep();
      const sb = fused.trainStep();
      assert.ok(Math.abs(sb.criticGradNorm - sa.criticGradNorm) <= TOLERANCE * sa.criticGradNorm, `critic gradient norm ${sb.criticGradNorm} vs ${sa.criticGradNorm}`);
    }
    const [ra, rb] = [await reference.saveState(), await fused.saveState()];
    for (const name of ['generator', 'critic']) close(tensor(rb, name), tensor(ra, name), `${name} weights after ${updates} update(s)`);
    if (def.criticOptimizer.kind === 'adam') close(tensor(rb, 'opt/critic/critic/v'), tensor(ra, [...ra].find((t) => /^opt\/critic\/.*\/v$/.test(t.name))!.name), 'Adam second moment');
  } finally {
    reference.dispose();
    fused.dispose();
  }
}

const customJs = losses.custom({
  name: 'hand-written JS GAN',
  divergence: 'jsd',
  critic: ({ real, fake, tf }) => tf.add(tf.mean(tf.softplus(tf.neg(real))), tf.mean(tf.softplus(fake))),
  generator: ({ fake, tf }) => tf.mean(tf.softplus(tf.neg(fake))),
  estimate: ({ real, fake, tf }) => tf.div(tf.add(tf.neg(tf.add(tf.mean(tf.softplus(tf.neg(real))), tf.mean(tf.softplus(fake)))), Math.log(4)), 2),
});

const ring = targets.ring({ modes: 8, radius: 2, std: 0.2 });

const LOSS_CASES = [
    ['minimax', losses.minimax()], ['non-saturating', losses.nonSaturating()], ['log-ratio', losses.logRatio()],
    ['f-GAN kl', losses.fgan('kl')], ['f-GAN reverse kl (saturating)', losses.fgan('reverse_kl', { generator: 'saturating' })],
    ['f-GAN pearson', losses.fgan('pearson')], ['f-GAN neyman', losses.fgan('neyman')],
    ['f-GAN squared hellinger (saturating)', losses.fgan('squared_hellinger', { generator: 'saturating' })],
    ['f-GAN jensen-shannon', losses.fgan('jensen_shannon')], ['f-GAN gan (saturating)', losses.fgan('gan', { generator: 'saturating' })],
    ['f-GAN total variation', losses.fgan('total_variation')], ['wgan clip', losses.wgan({ clip: 0.05 })],
    ['least squares', losses.leastSquares()], ['hinge', losses.hinge()], ['custom (tf ops)', customJs],
    ['custom, a critic loss of the real outputs alone', losses.custom({
      divergence: 'wasserstein1',
      critic: ({ real, tf }) => tf.neg(tf.mean(real)),
      generator: ({ fake, tf }) => tf.neg(tf.mean(fake)),
      estimate: ({ real, tf }) => tf.mean(real),
    })],
    ['f-GAN with a custom f', losses.fgan({
      name: 'KL by hand', f: (u: number) => u * Math.log(u),
      conjugate: (t, tf) => tf.exp(tf.sub(t, 1)), activation: (v) => v,
    })],
  ] as const;

describe('fused engine', function () {
  this.timeout(120_000);

  for (const [name, loss] of LOSS_CASES) {
    it(`matches the tfjs engine's gradients and update: ${name}`, async () => {
      await assertEquivalent(definition({ loss }));
    });
  }

  // The same in 2-D: [n, 2] batches, a 2-D latent and a critic of two inputs.
  for (const [name, loss] of LOSS_CASES) {
    it(`matches the tfjs engine in 2-D: ${name}`, async () => {
      await assertEquivalent(definition({ target: ring, generator: { kind: 'mlp', latentDim: 2, hidden: [24, 20], activation: 'leakyRelu' }, loss }));
    });
  }

  it('matches in 2-D with the affine generator (μ + A·z) over three updates', async () => {
    await assertEquivalent(definition({
      target: ring, generator: { kind: 'affine', mean: [0.3, -0.2], scale: [[1, 0.3], [-0.2, 0.8]] }, loss: losses.fgan('kl', { generator: 'saturating' }),
    }), 3);
  });

  it('matches in 2-D with tanh layers, a 1-D latent (a curve) and a 3-D latent', async () => {
    for (const latentDim of [1, 3]) {
      await assertEquivalent(definition({ target: ring, generator: { kind: 'mlp', latentDim, hidden: [16, 8], activation: 'tanh' }, critic: { hidden: [12], activation: 'tanh' } }), 3);
    }
  });

  for (const activation of ['relu', 'tanh', 'elu', 'sigmoid', 'linear'] satisfies Activation[]) {
    it(`matches with ${activation} layers over three updates`, async () => {
      await assertEquivalent(definition({ generator: { kind: 'mlp', latentDim: 1, hidden: [16], activation }, critic: { hidden: [16, 12], activation } }), 3);
    });
  }

  it('matches with layers of width 1, 3 and 5 (the kernel\'s remainder paths) and an odd batch', async () => {
    await assertEquivalent(definition({
      generator: { kind: 'mlp', latentDim: 2, hidden: [3, 1], activation: 'leakyRelu' },
      critic: { hidden: [1, 5], activation: 'relu' }, batchSize: 37,
    }), 3);
  });

  it('matches with RMSprop and SGD, a 3-D latent and two critic steps', async () => {
    await assertEquivalent(definition({
      generator: { kind: 'mlp', latentDim: 3, hidden: [16, 8], activation: 'tanh' },
      criticOptimizer: { kind: 'rmsprop', lr: 1e-3 }, generatorOptimizer: { kind: 'sgd', lr: 1e-2 }, criticSteps: 2,
    }), 3);
  });

  it('matches with the affine generator (μ + σ·z)', async () => {
    await assertEquivalent(definition({ generator: { kind: 'affine', mean: 0.5, std: 1 }, loss: losses.fgan('kl', { generator: 'saturating' }) }), 3);
  });

  it('keeps the critic inside the clipping box', async () => {
    const { tf } = await testBackend();
    const t = engineNamed(tf, definition({ loss: losses.wgan({ clip: 0.01 }) }), 'fused');
    for (let i = 0; i < 5; i++) t.trainStep();
    const critic = tensor(await t.saveState(), 'critic');
    assert.ok(critic.every((w) => Math.abs(w) <= 0.01 + 1e-9), 'a critic weight outside [−0.01, 0.01]');
    assert.ok(critic.some((w) => Math.abs(w) === Math.fround(0.01)), 'no weight at the clip: the test would not see clipping');
  });

  it('pauses on a NaN-producing custom loss without touching the generator', async () => {
    const { tf } = await testBackend();
    const t = engineNamed(tf, definition({
      loss: {
        divergence: 'jsd',
        critic: ({ real, fake, tf: ops }) => ops.add(ops.mean(ops.softplus(ops.neg(real))), ops.mean(ops.softplus(fake))),
        generator: ({ fake, tf: ops }) => ops.mean(ops.log(ops.sub(ops.neg(ops.abs(fake)), 1))),
        estimate: ({ real, tf: ops }) => ops.mean(real),
      },
    }), 'fused');
    const before = tensor(await t.saveState(), 'generator').slice();
    assert.throws(() => t.trainStep(), (e: unknown) => e instanceof NonFiniteError && e.what === 'generator loss' && e.step === 1);
    assert.equal(t.nonFiniteWeight(), undefined);
    assert.deepEqual(tensor(await t.saveState(), 'generator'), before);
  });

  it('refuses a gradient penalty, which it does not compute, at the start and on a loss swap', async () => {
    const { tf } = await testBackend();
    const gp = losses.wgan({ gradientPenalty: 10 });
    assert.throws(() => engineNamed(tf, definition({ loss: gp }), 'fused'), /no gradient penalty/);
    const t = engineNamed(tf, definition(), 'fused');
    assert.throws(() => t.replaceLoss({ ...t.definition, loss: gp }), /no gradient penalty/);
    assert.equal(t.loss.gradientPenalty, undefined);
  });

  it('takes a larger batch swapped in with the loss', async () => {
    const { tf } = await testBackend();
    const t = engineNamed(tf, definition(), 'fused');
    t.trainStep();
    t.replaceLoss({ ...t.definition, batchSize: 3000, loss: losses.hinge() });
    const s = t.trainStep();
    assert.ok(Number.isFinite(s.criticLoss) && Number.isFinite(s.generatorGradNorm), JSON.stringify(s));
    assert.equal(t.step, 2);
  });

  it('computes gradients on a batch larger than the definition\'s', async () => {
    const [reference, fused] = await pair(definition());
    const rng = createRng(4);
    const real = sampleReal(reference.target, rng, 3000);
    const latent = sampleLatent(rng, 3000, 1);
    const [a, b] = [reference.gradientsAt(real, latent), fused.gradientsAt(real, latent)];
    reference.dispose();
    fused.dispose();
    close(b.critic, a.critic, 'critic gradient');
    close(b.generator, a.generator, 'generator gradient');
  });

  it('hands a run to the tfjs engine and back with its weights, optimiser state and step', async () => {
    const { tf } = await testBackend();
    const def = definition();
    const fused = createEngine(tf, def, 'auto');
    assert.equal(fused.name, 'fused');
    for (let i = 0; i < 4; i++) fused.trainStep();
    const saved = await fused.saveState();
    const gp = { ...def, loss: losses.wgan({ gradientPenalty: 10 }) };
    const moved = await engineForLoss(tf, fused, gp, 'auto');
    assert.equal(moved.name, 'tfjs');
    assert.equal(moved.step, 4);
    close(tensor(await moved.saveState(), 'critic'), tensor(saved, 'critic'), 'critic weights after the move');
    moved.trainStep();
    const back = await engineForLoss(tf, moved, def, 'auto');
    assert.equal(back.name, 'fused');
    assert.equal(back.step, 5);
    assert.equal(tensor(await back.saveState(), 'opt/critic/iter')[0], 5);
    back.dispose();
  });

  it('resumes a tfjs checkpoint exactly as tfjs would', async () => {
    const [reference, fused] = await pair(definition());
    for (let i = 0; i < 3; i++) reference.trainStep();
    await fused.restoreState(await reference.saveState(), reference.step);
    await reference.restoreState(await reference.saveState(), reference.step);
    for (let i = 0; i < 2; i++) {
      reference.trainStep();
      fused.trainStep();
    }
    const [ra, rb] = [await reference.saveState(), await fused.saveState()];
    reference.dispose();
    fused.dispose();
    for (const name of ['generator', 'critic']) close(tensor(rb, name), tensor(ra, name), `${name} after resuming`);
  });
});

describe('engine choice', () => {
  const fits = (): undefined => undefined;

  it('takes the fused engine where the definition fits and tfjs for the gradient penalty, saying why', () => {
    assert.deepEqual(chooseEngine(definition(), 'auto', fits), { name: 'fused' });
    const withPenalty = definition({ loss: losses.wgan({ gradientPenalty: 10 }) });
    assert.deepEqual(chooseEngine(withPenalty, 'auto', fits), { name: 'tfjs' });
    const asked = chooseEngine(withPenalty, 'fused', fits);
    assert.equal(asked.name, 'tfjs');
    assert.match(asked.note ?? '', /gradient penalty/);
  });

  it('honours a tfjs preference and falls back when the kernel cannot load', () => {
    assert.deepEqual(chooseEngine(definition(), 'tfjs', fits), { name: 'tfjs' });
    const noKernel = chooseEngine(definition(), 'auto', () => 'the fused kernel fused-kernel.wasm is not in dist/');
    assert.equal(noKernel.name, 'tfjs');
    assert.match(noKernel.note ?? '', /not in dist/);
  });
});
