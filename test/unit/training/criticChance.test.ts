/**
 * A critic at chance: the chance values next to the loss catalog are what the losses themselves
 * give a constant critic, and the rule says "at chance" for a run whose critic cannot tell P
 * from Q and not for one whose critic can.
 */
import assert from 'node:assert/strict';
import { defineGan, losses, targets } from '../../../src/definition/api';
import type { LossSpec } from '../../../src/definition/types';
import { F_DIVERGENCES, type FDivergenceName } from '../../../src/core/divergences';
import { chanceNote, criticAtChance } from '../../../src/core/criticChance';
import { emptyHistory, SCALAR_KEYS } from '../../../src/protocol';
import { createLoss } from '../../../src/training/losses';
import { RunInspector } from '../../../src/training/inspector';
import { engineNamed } from '../../../src/training/createEngine';
import { testBackend } from './helpers';

const bimodal = targets.mixture([{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }]);

const WITH_CHANCE: readonly [string, LossSpec][] = [
  ['minimax', losses.minimax()], ['non-saturating', losses.nonSaturating()], ['log-ratio', losses.logRatio()],
  ...Object.keys(F_DIVERGENCES).map((d): [string, LossSpec] => [`f-GAN ${d}`, losses.fgan(d as FDivergenceName)]),
  ['least squares', losses.leastSquares()], ['hinge', losses.hinge()],
];

describe('a critic at chance', function () {
  this.timeout(120_000);

  for (const [name, spec] of WITH_CHANCE) {
    it(`${name}: the chance value is the least critic loss of a constant critic, and its estimate there`, async () => {
      const { tf } = await testBackend();
      const loss = createLoss(tf, spec);
      const chance = loss.chance;
      assert.ok(chance, 'no chance value');
      // A constant raw output v on both batches: the loss no longer depends on P or Q.
      const at = (v: number, f: typeof loss.criticLoss): number => tf.tidy(() => f(tf.fill([4, 1], v), tf.fill([4, 1], v)).dataSync()[0]!);
      const argmin = (vs: readonly number[]): number => {
        const ls = vs.map((v) => at(v, loss.criticLoss));
        return vs[ls.indexOf(Math.min(...ls))]!;
      };
      // A coarse search over v ∈ [−6, 6], then a fine one around its best.
      const coarse = argmin(Array.from({ length: 1201 }, (_, i) => -6 + i * 0.01));
      const v = argmin(Array.from({ length: 201 }, (_, i) => coarse - 0.01 + i * 1e-4));
      const least = at(v, loss.criticLoss);
      assert.ok(Math.abs(least - chance.loss) < 1e-4, `least constant loss ${least} at v = ${v}, chance ${chance.loss}`);
      const estimate = at(v, loss.estimate);
      assert.ok(Math.abs(estimate - chance.estimate) < 1e-4, `estimate there ${estimate}, chance ${chance.estimate}`);
      // lossPerUnit: the estimate is affine in the loss with this slope (where a step changes either).
      const [l1, e1] = [at(v + 0.5, loss.criticLoss), at(v + 0.5, loss.estimate)];
      if (Math.abs(e1 - estimate) > 1e-3) assert.ok(Math.abs(Math.abs((l1 - least) / (e1 - estimate)) - chance.lossPerUnit) < 1e-3, `slope ${(l1 - least) / (e1 - estimate)}`);
    });
  }

  it('WGAN (clipped or penalised) and custom losses have no chance value', async () => {
    const { tf } = await testBackend();
    for (const spec of [losses.wgan({ clip: 0.01 }), losses.wgan({ gradientPenalty: 10 }), losses.wgan({ gradientPenalty: 10, oneSided: true })]) {
      assert.equal(createLoss(tf, spec).chance, undefined);
    }
    const custom: LossSpec = { kind: 'custom', divergence: 'jsd', critic: ({ real, tf: t }) => t.mean(real), generator: ({ fake, tf: t }) => t.mean(fake), estimate: ({ real, tf: t }) => t.mean(real) };
    assert.equal(createLoss(tf, custom).chance, undefined);
  });

  /**
   * A non-saturating run on a frozen generator (N(0, 1.5²), JSD ≈ 0.3 from the data): its
   * snapshots' history, as the panel and the CLI hold it, after `steps` critic steps.
   */
  const frozenRun = async (criticLr: number, steps: number, blind: boolean) => {
    const { tf } = await testBackend();
    const trainer = engineNamed(tf, defineGan({
      target: bimodal, generator: { kind: 'affine', mean: 0, std: 1.5 }, critic: { hidden: [32, 32], activation: 'leakyRelu' },
      criticOptimizer: { kind: 'adam', lr: criticLr, beta1: 0.5 }, generatorOptimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
      batchSize: 256, seed: 2, loss: losses.nonSaturating(),
    }), 'tfjs');
    if (blind) {
      // All critic weights 0: the logit is 0 everywhere, D ≡ ½, and a learning rate of 1e-12 keeps it there.
      const state = await trainer.saveState();
      await trainer.restoreState(state.map((t) => (t.name === 'critic' ? { ...t, data: new Float32Array(t.data.length) } : t)), 0);
    }
    const inspector = new RunInspector(trainer, { gridSize: 512, latentSamples: 20000 });
    const history = emptyHistory();
    for (let i = 1; i <= steps; i++) {
      const stats = trainer.trainStep({ freezeGenerator: true });
      if (i % 25 === 0) {
        const m = inspector.snapshot({ runId: 1, version: 1, backend: 'wasm', stats, stepsPerSecond: 0 }).metrics;
        for (const k of SCALAR_KEYS) history[k].push(m[k]);
      }
    }
    const chance = trainer.loss.chance;
    trainer.dispose();
    return { history, chance };
  };

  it('says so for a critic whose output is constant, with the gap it cannot see', async () => {
    const { history, chance } = await frozenRun(1e-12, 300, true);
    assert.ok(history.criticLoss.every((l) => Math.abs(l - Math.log(4)) < 1e-5), `losses ${history.criticLoss.slice(0, 3).join(', ')}`);
    const verdict = criticAtChance(history, chance);
    assert.ok(verdict?.atChance, JSON.stringify(verdict));
    assert.ok(verdict.exact > 0.2, `exact JSD ${verdict.exact}`);
    const note = chanceNote(verdict, chance, 'JSD', (v) => v.toFixed(2)) ?? '';
    assert.match(note, /^Critic at chance \(loss ≈ log 4\): it cannot tell P from Q — the gap to the exact JSD \(0\.\d\d\) is the critic's blindness, not convergence\.$/);
  });

  it('does not for a critic trained on the same frozen generator', async () => {
    const { history, chance } = await frozenRun(2e-3, 300, false);
    const verdict = criticAtChance(history, chance);
    assert.ok(verdict && !verdict.atChance, JSON.stringify(verdict));
    assert.ok(verdict.estimate > 0.1, `the trained critic sees the JSD: estimate ${verdict.estimate}`);
    assert.equal(chanceNote(verdict, chance, 'JSD', String), undefined);
  });
});
