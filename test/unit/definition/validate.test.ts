import assert from 'node:assert/strict';
import { defineGan, losses, targets } from '../../../src/definition/api';
import { DefinitionError, validateDefinition } from '../../../src/definition/validate';
import { PRESETS } from '../../../src/definition/presets';

const bimodal = targets.mixture([{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }]);

function errorOf(config: unknown): DefinitionError {
  try {
    validateDefinition(config);
  } catch (e) {
    assert.ok(e instanceof DefinitionError, `expected DefinitionError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the definition to be rejected');
}

describe('defineGan validation', () => {
  it('fills in defaults for a minimal definition', () => {
    const d = defineGan({ target: bimodal, loss: losses.nonSaturating() });
    assert.deepEqual(d.generator, { kind: 'mlp', latentDim: 1, hidden: [32, 32], activation: 'leakyRelu' });
    assert.deepEqual(d.critic, { kind: 'mlp', hidden: [32, 32], activation: 'leakyRelu' });
    assert.equal(d.criticSteps, 1);
    assert.equal(d.batchSize, 256);
    assert.equal(d.generatorOptimizer.kind, 'adam');
  });

  it('the optimal critic: kind \'optimal\' alone, built-in losses only', () => {
    const ok = defineGan({ target: bimodal, critic: { kind: 'optimal' }, loss: losses.minimax() });
    assert.deepEqual(ok.critic, { kind: 'optimal' });
    // defineGan's result is validated again by the loader: it must pass as it is.
    assert.deepEqual(validateDefinition(ok).critic, { kind: 'optimal' });
    const cases: [unknown, string, RegExp][] = [
      [{ kind: 'best' }, 'critic.kind', /one of 'mlp', 'optimal'/],
      [{ kind: 'optimal', hidden: [8] }, 'critic.hidden', /does not apply to the optimal critic/],
    ];
    for (const [critic, field, message] of cases) {
      const e = errorOf({ target: bimodal, critic, loss: losses.minimax() });
      assert.equal(e.field, field);
      assert.match(e.message, message);
    }
    const custom = errorOf({ target: bimodal, critic: { kind: 'optimal' }, loss: { divergence: 'jsd', critic: () => 0, generator: () => 0, estimate: () => 0 } });
    assert.equal(custom.field, 'critic.kind');
    assert.match(custom.message, /built-in loss/);
    assert.equal(defineGan({ target: targets.ring({ modes: 8, radius: 2, std: 0.2 }), critic: { kind: 'optimal' }, loss: losses.wgan() }).critic.kind, 'optimal');
    assert.equal(defineGan({ target: bimodal, critic: { kind: 'optimal' }, loss: losses.wgan() }).critic.kind, 'optimal');
  });

  it('names the field of a bad hidden size', () => {
    const e = errorOf({ target: bimodal, critic: { hidden: [32, -3] }, loss: losses.nonSaturating() });
    assert.equal(e.field, 'critic.hidden[1]');
    assert.equal(e.message, 'critic.hidden[1] must be a positive integer, got -3');
  });

  it('rejects enormous networks before allocating them', () => {
    const e = errorOf({ target: bimodal, critic: { hidden: [1024, 1024, 1024, 1024, 1024] }, loss: losses.nonSaturating() });
    assert.equal(e.field, 'critic.hidden');
    const wide = errorOf({ target: bimodal, generator: { kind: 'mlp', hidden: [1e9] }, loss: losses.nonSaturating() });
    assert.equal(wide.field, 'generator.hidden[0]');
  });

  it('rejects learning rates, unknown fields and wrong types with the field named', () => {
    assert.equal(errorOf({ target: bimodal, optimizer: { kind: 'adam', lr: 0 }, loss: losses.hinge() }).field, 'optimizer.lr');
    assert.equal(errorOf({ target: bimodal, optimizer: { kind: 'adam', lr: NaN }, loss: losses.hinge() }).field, 'optimizer.lr');
    assert.equal(errorOf({ target: bimodal, optimiser: {}, loss: losses.hinge() }).field, 'optimiser');
    assert.equal(errorOf({ target: bimodal, batchSize: 2.5, loss: losses.hinge() }).field, 'batchSize');
    assert.equal(errorOf({ target: bimodal, generator: { kind: 'gan' }, loss: losses.hinge() }).field, 'generator.kind');
    assert.equal(errorOf({ target: bimodal, critic: { activation: 'swish' }, loss: losses.hinge() }).field, 'critic.activation');
    assert.equal(errorOf({ target: bimodal }).field, 'loss');
    assert.equal(errorOf({ target: bimodal, loss: losses.fgan('kl2' as never) }).field, 'loss.divergence');
  });

  it('reports an invalid target through the field of the target it names', () => {
    const e = errorOf({ target: targets.mixture([{ weight: 1, mean: 0, std: -1 }]), loss: losses.nonSaturating() });
    assert.equal(e.field, 'target.components[0].std');
    assert.match(e.message, /std/);
  });

  it('names the field of every bad 2-D target and of an affine generator of the wrong dimension', () => {
    const ns = losses.nonSaturating();
    const ring = targets.ring({ modes: 8, radius: 2, std: 0.2 });
    const cases: [unknown, string, RegExp][] = [
      [targets.mixture([{ weight: 1, mean: [0, 0], std: 1 }, { weight: 1, mean: [1, 1], cov: [[1, 2], [2, 1]] }]), 'target.components[1].cov', /positive definite/],
      [{ kind: 'mixture', components: [{ weight: 1, mean: [0, 0], cov: [[1, 0.5], [0.2, 1]] }] }, 'target.components[0].cov', /symmetric/],
      [{ kind: 'mixture', components: [{ weight: 1, mean: [0, 0], std: 1 }, { weight: 1, mean: 1, std: 1 }] }, 'target.components[1].mean', /one dimension/],
      [{ kind: 'mixture', components: [{ weight: 1, mean: 1, std: 1 }, { weight: 1, mean: [0, 0], std: 1 }] }, 'target.components[1].mean', /one dimension/],
      [{ kind: 'mixture', components: [{ weight: 1, mean: [0, 0, 1], std: 1 }] }, 'target.components[0].mean', /\[x, y\]/],
      [targets.ring({ modes: 8, radius: NaN, std: 0.2 }), 'target.radius', /finite/],
      [targets.mixture([{ weight: 1, mean: [1e300, 0], std: 1 }]), 'target.components[0].mean[0]', /within ±/],
      [targets.ring({ modes: 8, radius: 2, std: 1e200 }), 'target.std', /within ±/],
      [targets.ring({ modes: 1e6, radius: 2, std: 0.2 }), 'target.modes', /at most|from 1 to/],
      [targets.segment({ from: [0, 0], to: [0, 0] }), 'target.to', /differ/],
      [targets.box([1, 1], [0, 2]), 'target.hi', /exceed/],
    ];
    for (const [target, field, message] of cases) {
      const e = errorOf({ target, loss: ns });
      assert.equal(e.field, field, e.message);
      assert.match(e.message, message);
      assert.ok(e.message.startsWith(field), e.message);
    }
    assert.equal(errorOf({ target: ring, generator: { kind: 'affine', mean: 1 }, loss: ns }).field, 'generator.mean');
    assert.equal(errorOf({ target: targets.gaussian(0, 1), generator: { kind: 'affine', mean: [1, 2] }, loss: ns }).field, 'generator.mean');
    assert.equal(errorOf({ target: ring, generator: { kind: 'affine', scale: [[1, 0]] }, loss: ns }).field, 'generator.scale');
    assert.equal(errorOf({ target: ring, generator: { kind: 'affine', std: [1, 0] }, loss: ns }).field, 'generator.std[1]');
    assert.equal(errorOf({ target: ring, generator: { kind: 'affine', std: 1, scale: [[1, 0], [0, 1]] }, loss: ns }).field, 'generator.scale');
  });

  it('gives a 2-D target a 2-D latent by default and the critic a 2-D input', () => {
    const d = defineGan({ target: targets.ring({ modes: 8, radius: 2, std: 0.2 }), loss: losses.nonSaturating() });
    assert.equal(d.dataDim, 2);
    assert.deepEqual(d.generator, { kind: 'mlp', latentDim: 2, hidden: [32, 32], activation: 'leakyRelu' });
    const curve = defineGan({ target: targets.segment({ from: [0, 0], to: [0, 1] }), generator: { kind: 'mlp', latentDim: 1 }, loss: losses.wgan() });
    assert.equal(curve.generator.kind === 'mlp' && curve.generator.latentDim, 1);
    assert.deepEqual(validateDefinition(curve), curve);
  });

  it('turns a throwing getter into an error naming the field', () => {
    const config = { target: bimodal, loss: losses.nonSaturating() };
    Object.defineProperty(config, 'batchSize', { enumerable: true, get: () => { throw new Error('boom'); } });
    const e = errorOf(config);
    assert.equal(e.field, 'batchSize');
    assert.match(e.message, /boom/);
  });

  it('checks custom losses have their functions and a known divergence', () => {
    const fn = () => { throw new Error('unused'); };
    assert.equal(errorOf({ target: bimodal, loss: { divergence: 'jsd', critic: fn, generator: fn } }).field, 'loss.estimate');
    assert.equal(errorOf({ target: bimodal, loss: { divergence: 'chi', critic: fn, generator: fn, estimate: fn } }).field, 'loss.divergence');
    assert.equal(validateDefinition({ target: bimodal, loss: { divergence: 'kl', critic: fn, generator: fn, estimate: fn } }).loss.kind, 'custom');
  });

  it('applies the papers\' defaults for WGAN and requires exactly one of clip / penalty', () => {
    const w = defineGan({ target: bimodal, loss: losses.wgan({ clip: 0.01 }) });
    assert.equal(w.criticOptimizer.kind, 'rmsprop');
    assert.equal(w.criticOptimizer.lr, 5e-5);
    assert.equal(w.criticSteps, 5);
    assert.equal(errorOf({ target: bimodal, loss: { kind: 'wgan' } }).field, 'loss');
  });

  it('takes a one-sided gradient penalty, and only as true or false with a penalty', () => {
    assert.deepEqual(defineGan({ target: bimodal, loss: losses.wgan({ gradientPenalty: 10, oneSided: true }) }).loss, { kind: 'wgan', gradientPenalty: 10, oneSided: true });
    // false is the default and leaves the loss (and its key) as it was without the option.
    assert.deepEqual(defineGan({ target: bimodal, loss: losses.wgan({ gradientPenalty: 10, oneSided: false }) }).loss, { kind: 'wgan', gradientPenalty: 10 });
    assert.equal(errorOf({ target: bimodal, loss: { kind: 'wgan', gradientPenalty: 10, oneSided: 'yes' } }).field, 'loss.oneSided');
    assert.equal(errorOf({ target: bimodal, loss: { kind: 'wgan', clip: 0.01, oneSided: true } }).field, 'loss.oneSided');
  });

  it('is idempotent: a validated definition validates to itself', () => {
    for (const [name, preset] of Object.entries(PRESETS)) {
      const d = preset.build();
      assert.deepEqual(validateDefinition(d), d, name);
    }
  });
});
