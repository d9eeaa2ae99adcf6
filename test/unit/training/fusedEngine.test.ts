/**
 * The fused WebAssembly engine against the tfjs engine (the reference): from the same seed both
 * start from the same weights and draw the same batches, so gradients on a given batch and the
 * weights after updates must agree to float32 rounding, for every loss the fused engine runs.
 */
import assert from 'node:assert/strict';
import { createRng } from '../../../src/core/rng';
import { defineGan, losses, targets } from '../../../src/definition/api';
import { ACTIVATIONS, type Activation, type GanConfig, type GanDefinition } from '../../../src/definition/types';
import { createEngine, engineNamed } from '../../../src/training/createEngine';
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

/** Multiplies the critic's weights by `scale`: steeper critics, whose slopes a one-sided penalty charges. */
async function scaleCritic(t: TrainingEngine, scale: number): Promise<void> {
  const state = await t.saveState();
  await t.restoreState(state.map((s) => (s.name === 'critic' ? { ...s, data: s.data.map((w) => w * scale) } : s)), t.step);
}

/** Adam's first moment of a network in a saved state (either engine's names), or undefined for another optimiser. */
function firstMoment(state: readonly SavedTensor[], network: 'generator' | 'critic'): Float32Array | undefined {
  return state.find((t) => t.name.startsWith(`opt/${network}/`) && t.name.endsWith('/m'))?.data;
}

/**
 * A network's weights after one optimiser update against the reference's, from the same weights
 * and gradient batch. Adam moves each weight by about lr·sign(g) in its first steps, so where g is
 * at rounding level (a sum that is exactly 0, computed in two orders: |m| ≤ 1e-5 of the largest)
 * its sign, and the step, are rounding noise: there the two steps, each within Adam's bound lr
 * (clipping after it only brings them closer), may differ by up to 2·lr. Elsewhere the weights
 * match to TOLERANCE. (A ReLU's dead units have gradient exactly 0 in both: they agree anyway.)
 * The gradients themselves are compared strictly, on a fixed batch, before any update.
 */
function closeUpdate(after: Float32Array, expected: Float32Array, m: Float32Array | undefined, lr: number, what: string): void {
  let largest = 0;
  for (const v of m ?? []) largest = Math.max(largest, Math.abs(v));
  const noise = (i: number): boolean => m !== undefined && Math.abs(m[i]!) <= 1e-5 * largest;
  const kept = [...after.keys()].filter((i) => !noise(i));
  close(Float32Array.from(kept, (i) => after[i]!), Float32Array.from(kept, (i) => expected[i]!), what);
  for (let i = 0; i < after.length; i++) {
    if (noise(i)) assert.ok(Math.abs(after[i]! - expected[i]!) <= 2.001 * lr, `${what}: weight ${i} is ${after[i]}, the reference's ${expected[i]}, on a rounding-level gradient`);
  }
}

/**
 * Same batch into both engines: gradients; then `updates` steps from the same seed, each update
 * compared from the same weights: the critic's, then (with the reference's critic in both) the
 * generator's, then both engines continue from the reference's weights. `criticScale` scales both
 * critics' initial weights.
 */
async function assertEquivalent(def: GanDefinition, updates = 1, criticScale = 1): Promise<void> {
  const [reference, fused] = await pair(def);
  try {
    if (criticScale !== 1) for (const t of [reference, fused]) await scaleCritic(t, criticScale);
    const rng = createRng(99);
    const real = sampleReal(reference.target, rng, def.batchSize);
    const latent = sampleLatent(rng, def.batchSize, reference.latentDim);
    const a = reference.gradientsAt(real, latent);
    const b = fused.gradientsAt(real, latent);
    close(b.critic, a.critic, 'critic gradient');
    close(b.generator, a.generator, 'generator gradient');
    assert.ok(Math.abs(b.criticLoss - a.criticLoss) <= TOLERANCE * Math.max(1, Math.abs(a.criticLoss)), `critic loss ${b.criticLoss} vs ${a.criticLoss}`);
    assert.ok(Math.abs(b.generatorLoss - a.generatorLoss) <= TOLERANCE * Math.max(1, Math.abs(a.generatorLoss)), `generator loss ${b.generatorLoss} vs ${a.generatorLoss}`);
    const lr = (network: 'generator' | 'critic'): number => (network === 'critic' ? def.criticOptimizer : def.generatorOptimizer).lr;
    // Both engines go on from the reference's weights of `network` (and their own for the rest), at one step, so from one batch.
    const sync = async (network: 'generator' | 'critic', step: number): Promise<void> => {
      const ra = await reference.saveState();
      const rb = await fused.saveState();
      await reference.restoreState(ra, step);
      await fused.restoreState(rb.map((t) => (t.name === network ? { ...t, data: tensor(ra, network) } : t)), step);
    };
    for (let i = 0; i < updates; i++) {
      reference.trainCritic();
      fused.trainCritic();
      const [ca, cb] = [await reference.saveState(), await fused.saveState()];
      closeUpdate(tensor(cb, 'critic'), tensor(ca, 'critic'), firstMoment(ca, 'critic'), lr('critic'), `critic weights after update ${i + 1}`);
      if (def.criticOptimizer.kind === 'adam') close(tensor(cb, 'opt/critic/critic/v'), tensor(ca, [...ca].find((t) => /^opt\/critic\/.*\/v$/.test(t.name))!.name), 'Adam second moment');
      await sync('critic', i);
      const sa = reference.trainGenerator();
      const sb = fused.trainGenerator();
      assert.ok(Math.abs(sb.generatorGradNorm - sa.generatorGradNorm) <= TOLERANCE * sa.generatorGradNorm, `generator gradient norm ${sb.generatorGradNorm} vs ${sa.generatorGradNorm}`);
      const [ga, gb] = [await reference.saveState(), await fused.saveState()];
      closeUpdate(tensor(gb, 'generator'), tensor(ga, 'generator'), firstMoment(ga, 'generator'), lr('generator'), `generator weights after update ${i + 1}`);
      await sync('generator', i + 1);
    }
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
    ['wgan-gp', losses.wgan({ gradientPenalty: 10 })], ['wgan-gp one-sided', losses.wgan({ gradientPenalty: 10, oneSided: true })],
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

  /**
   * ‖∇(L + λ·penalty) − ∇L‖ / ‖∇L‖ of the critic on one batch: a test of the penalty needs
   * one that moves the gradient.
   */
  async function penaltyShare(def: GanDefinition, criticScale: number): Promise<number> {
    const { tf } = await testBackend();
    const [penalised, plain] = [engineNamed(tf, def, 'fused'), engineNamed(tf, { ...def, loss: losses.wgan({ clip: 100 }) }, 'fused')];
    for (const t of [penalised, plain]) await scaleCritic(t, criticScale);
    const rng = createRng(99);
    const real = sampleReal(plain.target, rng, def.batchSize);
    const latent = sampleLatent(rng, def.batchSize, plain.latentDim);
    const share = relativeError(plain.gradientsAt(real, latent).critic, penalised.gradientsAt(real, latent).critic);
    penalised.dispose();
    plain.dispose();
    return share;
  }

  for (const activation of ACTIVATIONS) {
    for (const dim of [1, 2] as const) {
      for (const oneSided of [false, true]) {
        it(`matches the tfjs engine's gradient penalty with ${activation} layers in ${dim}-D${oneSided ? ', one-sided' : ''} over three updates`, async () => {
          const def = definition({
            ...(dim === 2 ? { target: ring } : {}),
            generator: { kind: 'mlp', latentDim: dim, hidden: [16], activation }, critic: { hidden: [16, 12], activation },
            loss: losses.wgan({ gradientPenalty: 10, oneSided }),
            // A linear critic's biases have gradient 0 exactly, so the engines' rounding noise is
            // all they get, which Adam would blow up into full steps of opposite signs.
            ...(activation === 'linear' ? { criticOptimizer: { kind: 'sgd', lr: 1e-4 } } : {}),
          });
          // The critics start with slopes below 1, which a one-sided penalty does not charge;
          // sigmoid's are at most ¼ per layer.
          const scale = oneSided ? (activation === 'sigmoid' ? 4 : 2) : 1;
          const share = await penaltyShare(def, scale);
          assert.ok(share > 0.1, `the penalty moves the critic's gradient by ${share.toExponential(2)} only`);
          await assertEquivalent(def, 3, scale);
        });
      }
    }
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

  it('takes a gradient penalty swapped into a running training and keeps its weights, optimiser state and step', async () => {
    const { tf } = await testBackend();
    const def = definition();
    const t = createEngine(tf, def, 'auto');
    assert.equal(t.name, 'fused');
    for (let i = 0; i < 4; i++) t.trainStep();
    const before = await t.saveState();
    t.replaceLoss({ ...def, loss: losses.wgan({ gradientPenalty: 10 }) });
    assert.equal(t.loss.gradientPenalty, 10);
    assert.deepEqual(tensor(await t.saveState(), 'critic'), tensor(before, 'critic'));
    t.trainStep();
    t.replaceLoss(def);
    t.trainStep();
    assert.equal(t.name, 'fused');
    assert.equal(t.step, 6);
    assert.equal(tensor(await t.saveState(), 'opt/critic/iter')[0], 6);
    t.dispose();
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

  it('takes the fused engine wherever its kernel loads, and tfjs when asked', () => {
    assert.deepEqual(chooseEngine('auto', fits), { name: 'fused' });
    assert.deepEqual(chooseEngine('fused', fits), { name: 'fused' });
    assert.deepEqual(chooseEngine('tfjs', fits), { name: 'tfjs' });
  });

  it('falls back to tfjs, saying why, when the kernel cannot load', () => {
    const noKernel = chooseEngine('auto', () => 'the fused kernel fused-kernel.wasm is not in dist/');
    assert.equal(noKernel.name, 'tfjs');
    assert.match(noKernel.note ?? '', /not in dist/);
  });
});
