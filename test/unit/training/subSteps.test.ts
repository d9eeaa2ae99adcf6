/** GAN Lab's half steps: the critic's updates, then the generator's, each on its own (src/training/stepper.ts). */
import assert from 'node:assert/strict';
import { PRESETS } from '../../../src/definition/presets';
import { engineNamed } from '../../../src/training/createEngine';
import { ENGINE_NAMES } from '../../../src/protocol';
import { testBackend } from './helpers';

const grid = Float32Array.from({ length: 64 }, (_, i) => -4 + i / 8);
const z = Float32Array.from({ length: 64 }, (_, i) => -3 + i / 10);

describe('half steps: the critic, then the generator', function () {
  this.timeout(60_000);

  for (const engine of ENGINE_NAMES) {
    it(`a critic half step and a generator half step are exactly one step (${engine} engine)`, async () => {
      const { tf } = await testBackend();
      const whole = engineNamed(tf, PRESETS['non-saturating']!.build(), engine);
      const halves = engineNamed(tf, PRESETS['non-saturating']!.build(), engine);
      for (let i = 0; i < 3; i++) {
        whole.trainStep();
        const g = halves.generate(z);
        const d = halves.criticAt(grid);
        halves.trainCritic();
        assert.equal(halves.step, i, 'a critic half step counted as a step');
        assert.deepEqual(halves.generate(z), g, 'the critic half step moved the generator');
        assert.notDeepEqual(halves.criticAt(grid), d, 'the critic half step did not move the critic');
        const d2 = halves.criticAt(grid);
        const stats = halves.trainGenerator();
        assert.equal(stats.step, i + 1);
        assert.ok(Number.isFinite(stats.criticLoss), 'the step lost its critic loss');
        assert.deepEqual(halves.criticAt(grid), d2, 'the generator half step moved the critic');
        assert.notDeepEqual(halves.generate(z), g, 'the generator half step did not move the generator');
      }
      assert.deepEqual(halves.generatorParameters(), whole.generatorParameters(), 'half steps drew other batches than whole steps');
      assert.deepEqual(halves.criticAt(grid), whole.criticAt(grid));
      whole.dispose();
      halves.dispose();
    });
  }
});
