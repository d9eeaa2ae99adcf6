/** The networks' shapes and descriptions, read from a definition in one place for both engines. */
import assert from 'node:assert/strict';
import { defineGan, losses, targets } from '../../../src/definition/api';
import { describeNetwork, mlpWidths, networkShapes } from '../../../src/training/networkShapes';

const target = targets.gaussian(0, 1);

describe('network shapes', () => {
  it('the generator maps the latent to the data dimension, the critic the data dimension to one output', () => {
    const s = networkShapes(defineGan({
      target, generator: { kind: 'mlp', latentDim: 3, hidden: [8], activation: 'tanh' },
      critic: { hidden: [16, 16], activation: 'leakyRelu' }, loss: losses.nonSaturating(),
    }));
    assert.equal(s.dataDim, 1);
    assert.equal(s.latentDim, 3);
    assert.deepEqual([s.generator.inputs, s.generator.outputs], [3, s.dataDim]);
    assert.deepEqual([s.critic.inputs, s.critic.outputs], [s.dataDim, 1]);
    assert.deepEqual(mlpWidths(s.critic), [16, 16, 1]);
    assert.equal(describeNetwork(s.generator), 'MLP 3→8→1 (tanh)');
    assert.equal(describeNetwork(s.critic), 'MLP 1→16→16→1 (leakyRelu)');
  });

  it('an affine generator has a one-dimensional latent', () => {
    const s = networkShapes(defineGan({ target, generator: { kind: 'affine', mean: 0.5, std: 2 }, loss: losses.nonSaturating() }));
    assert.equal(s.latentDim, 1);
    assert.deepEqual(s.generator, { kind: 'affine', inputs: 1, outputs: 1, mean: [0.5], scale: [2] });
    assert.equal(describeNetwork(s.generator), 'affine x = μ + σ·z');
  });
});
