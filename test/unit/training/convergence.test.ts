/**
 * Does training do what theory.md says? Seeded runs on both engines, checked against the
 * divergence core: convergence of the non-saturating GAN and the f-GAN optima of a Gaussian
 * model (the critics' estimates are in criticEstimates.test.ts).
 */
import assert from 'node:assert/strict';
import { defineGan, losses, targets } from '../../../src/definition/api';
import type { LossSpec } from '../../../src/definition/types';
import { divergencesBetween } from '../../../src/core/analytic';
import { nelderMead } from '../../../src/core/nelderMead';
import { createTarget } from '../../../src/core/targets';
import type { DivergenceName } from '../../../src/core/divergences';
import { createEngine } from '../../../src/training/createEngine';
import type { TrainingEngine } from '../../../src/training/engine';
import { RunInspector } from '../../../src/training/inspector';
import type { EngineName, Snapshot } from '../../../src/protocol';
import { testBackend } from './helpers';

const bimodalSpec = [{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }];
const bimodal = targets.mixture(bimodalSpec);
const p = createTarget(bimodal);

function snapshotOf(inspector: RunInspector): Snapshot {
  return inspector.snapshot({ runId: 1, version: 1, backend: 'wasm', stats: undefined, stepsPerSecond: 0 });
}

/** Analytic D(P ‖ N(μ, σ²)) with the divergence core (adaptive quadrature). */
function divergenceToGaussian(name: DivergenceName, mu: number, sigma: number): number {
  return divergencesBetween(p, createTarget(targets.gaussian(mu, Math.abs(sigma))))[name];
}

/** The optimum a descent on (μ, log σ) from `start` reaches. */
function minimise(f: (mu: number, sigma: number) => number, start: [number, number]): [number, number] {
  const [mu, logSigma] = nelderMead((v) => f(v[0]!, Math.exp(v[1]!)), [start[0], Math.log(start[1])], { iterations: 300 });
  return [mu!, Math.exp(logSigma!)];
}

async function affineParameters(trainer: TrainingEngine): Promise<[number, number]> {
  const [mu, sigma] = (await trainer.saveState()).find((t) => t.name === 'generator')!.data;
  return [mu!, Math.abs(sigma!)];
}

const ENGINES: readonly EngineName[] = ['tfjs', 'fused'];

describe('training converges where theory says', function () {
  this.timeout(300_000);

  for (const engine of ENGINES) it(`non-saturating GAN (${engine} engine): JSD falls from log 2 to a mean below 0.25 over the last 500 of 3,000 steps, both modes held`, async () => {
    const { tf } = await testBackend();
    const trainer = createEngine(tf, defineGan({
      target: bimodal, generator: { kind: 'mlp', latentDim: 1, hidden: [32, 32], activation: 'leakyRelu' },
      critic: { hidden: [32, 32], activation: 'leakyRelu' }, optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
      criticSteps: 1, batchSize: 256, seed: 1, loss: losses.nonSaturating(),
    }), engine);
    assert.equal(trainer.name, engine);
    const inspector = new RunInspector(trainer, { gridSize: 512, latentSamples: 20000 });
    const first = snapshotOf(inspector).metrics.jsd;
    assert.ok(first > 0.6 && first <= Math.LN2, `initial JSD ${first}`);
    const late: number[] = [];
    let leftMass = 0;
    for (let step = 1; step <= 3000; step++) {
      trainer.trainStep();
      if (step > 2500 && step % 25 === 0) {
        const s = snapshotOf(inspector);
        late.push(s.metrics.jsd);
        const dx = s.x[1]! - s.x[0]!;
        leftMass = s.q.reduce((sum, qi, i) => sum + (s.x[i]! < 0 ? qi * dx : 0), 0);
      }
    }
    const mean = late.reduce((a, b) => a + b, 0) / late.length;
    assert.ok(mean < 0.25, `mean JSD over the last 500 steps ${mean.toFixed(3)}`);
    assert.ok(leftMass >= 0.4 && leftMass <= 0.6, `q's mass left of 0: ${leftMass.toFixed(3)}`);
    trainer.dispose();
  });

  const fganRun = async (loss: LossSpec, steps: number, engine: EngineName): Promise<[number, number]> => {
    const { tf } = await testBackend();
    const trainer = createEngine(tf, defineGan({
      target: bimodal, generator: { kind: 'affine', mean: 0.5, std: 1 }, critic: { hidden: [64, 64], activation: 'tanh' },
      criticOptimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 }, generatorOptimizer: { kind: 'adam', lr: 1e-2, beta1: 0.5 },
      criticSteps: 5, batchSize: 256, seed: 3, loss,
    }), engine);
    for (let i = 0; i < steps; i++) trainer.trainStep();
    const result = await affineParameters(trainer);
    trainer.dispose();
    return result;
  };

  for (const [name, divergence, catalog] of [['KL', 'kl', 'kl'], ['Jensen–Shannon', 'jensen_shannon', 'jensen_shannon'], ['squared Hellinger', 'squared_hellinger', 'squared_hellinger']] as const) {
    for (const engine of ENGINES) it(`saturating f-GAN ${name} (${engine} engine): a Gaussian model lands on the (μ, σ) minimising the analytic divergence`, async () => {
      const [muStar, sigmaStar] = minimise((m, s) => divergenceToGaussian(catalog, m, s), [0.5, 1]);
      const [mu, sigma] = await fganRun(losses.fgan(divergence, { generator: 'saturating' }), 600, engine);
      assert.ok(Math.abs(mu - muStar) < 0.25 && Math.abs(sigma - sigmaStar) / sigmaStar < 0.15,
        `trained (μ, σ) = (${mu.toFixed(3)}, ${sigma.toFixed(3)}), optimum (${muStar.toFixed(3)}, ${sigmaStar.toFixed(3)})`);
    });
  }

  for (const engine of ENGINES) it(`non-saturating f-GAN KL (${engine} engine) lands on the reverse-KL optimum reachable from its start, not the KL one`, async () => {
    const [muR, sigmaR] = minimise((m, s) => divergenceToGaussian('reverse_kl', m, s), [0.5, 1]);
    const [muKl, sigmaKl] = minimise((m, s) => divergenceToGaussian('kl', m, s), [0.5, 1]);
    const [mu, sigma] = await fganRun(losses.fgan('kl', { generator: 'nonSaturating' }), 600, engine);
    assert.ok(Math.abs(mu - muR) < 0.25 && Math.abs(sigma - sigmaR) / sigmaR < 0.2,
      `trained (μ, σ) = (${mu.toFixed(3)}, ${sigma.toFixed(3)}), reverse-KL optimum (${muR.toFixed(3)}, ${sigmaR.toFixed(3)}), KL optimum (${muKl.toFixed(3)}, ${sigmaKl.toFixed(3)})`);
  });
});
