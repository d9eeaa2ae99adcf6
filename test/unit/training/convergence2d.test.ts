/**
 * Training in 2-D does what theory.md §7 says, on both engines: NS-GAN covers the ring of 8
 * (PyTorch, same configuration: 8/8 modes, JSD 0.26–0.40), and a Gaussian model x = μ + A·z
 * trained by an f-GAN lands on the optimum of the divergence it minimises: KL(P‖Q) by moment
 * matching (closed form), KL(Q‖P) by descending an independent quadrature of it from the
 * generator's start.
 */
import assert from 'node:assert/strict';
import { defineGan, losses, targets } from '../../../src/definition/api';
import type { LossSpec } from '../../../src/definition/types';
import { compositeGaussLegendre } from '../../../src/core/gaussLegendre';
import { nelderMead } from '../../../src/core/nelderMead';
import { createTarget2D, logPdf2D, type Target2DSpec } from '../../../src/core/targets2d';
import { createEngine } from '../../../src/training/createEngine';
import { RunInspector } from '../../../src/training/inspector';
import type { EngineName, Snapshot } from '../../../src/protocol';
import { testBackend } from './helpers';

const ENGINES: readonly EngineName[] = ['tfjs', 'fused'];

function snapshotOf(inspector: RunInspector): Snapshot {
  return inspector.snapshot({ runId: 1, version: 1, backend: 'wasm', stats: undefined, stepsPerSecond: 0 });
}

const twoModes = targets.mixture([{ weight: 0.5, mean: [-2, 0], std: 0.5 }, { weight: 0.5, mean: [2, 0], std: [0.5, 1] }]);
const p = createTarget2D(twoModes as Target2DSpec);

/** x = μ + L·z with L = [[l11, 0], [l21, l22]] (log-diagonal), the 5 parameters a descent moves. */
type Gaussian = { mean: [number, number]; cov: [[number, number], [number, number]] };
const gaussianOf = (v: readonly number[]): Gaussian => {
  const [l11, l21, l22] = [Math.exp(v[2]!), v[3]!, Math.exp(v[4]!)];
  return { mean: [v[0]!, v[1]!], cov: [[l11 * l11, l11 * l21], [l11 * l21, l21 * l21 + l22 * l22]] };
};

// E_q[g] = ∫∫ g(μ + L z) φ(z₁) φ(z₂) dz by Gauss–Legendre on [−8, 8]² (the rest of φ is below 1e-15).
const nodes = compositeGaussLegendre(Array.from({ length: 33 }, (_, k) => -8 + k / 2));
const weights = Float64Array.from(nodes.w, (w, i) => (w * Math.exp(-0.5 * nodes.x[i]! ** 2)) / Math.sqrt(2 * Math.PI));

/** KL(Q‖P) = −H(Q) − E_Q[log p] for Q Gaussian. */
function reverseKl(v: readonly number[]): number {
  const [m1, m2, a, l21, b] = v as [number, number, number, number, number];
  const [l11, l22] = [Math.exp(a), Math.exp(b)];
  const entropy = Math.log(2 * Math.PI * Math.E) + a + b;
  let cross = 0;
  for (let i = 0; i < nodes.x.length; i++) {
    for (let j = 0; j < nodes.x.length; j++) {
      const z1 = nodes.x[i]!;
      const z2 = nodes.x[j]!;
      cross += weights[i]! * weights[j]! * logPdf2D(p, m1 + l11 * z1, m2 + l21 * z1 + l22 * z2);
    }
  }
  return -entropy - cross;
}

/** The trained N(μ, AAᵀ) from the generator's parameters: μ (2), then A row-major (4). */
function trainedGaussian(values: Float32Array): Gaussian {
  const [m1, m2, a11, a12, a21, a22] = Array.from(values) as [number, number, number, number, number, number];
  return { mean: [m1, m2], cov: [[a11 * a11 + a12 * a12, a11 * a21 + a12 * a22], [a11 * a21 + a12 * a22, a21 * a21 + a22 * a22]] };
}

/** Whether two Gaussians agree: means within `meanTol`, marginal stds within `stdTol` relative. */
function close(got: Gaussian, want: Gaussian, meanTol: number, stdTol: number): boolean {
  const stdOk = [0, 1].every((i) => Math.abs(Math.sqrt(got.cov[i]![i]!) / Math.sqrt(want.cov[i]![i]!) - 1) < stdTol);
  return Math.hypot(got.mean[0] - want.mean[0], got.mean[1] - want.mean[1]) < meanTol && stdOk;
}

const show = (g: Gaussian): string => `μ (${g.mean.map((m) => m.toFixed(3)).join(', ')}), std (${[0, 1].map((i) => Math.sqrt(g.cov[i]![i]!).toFixed(3)).join(', ')}), cov₁₂ ${g.cov[0][1].toFixed(3)}`;

describe('training converges where theory says, in 2-D', function () {
  this.timeout(600_000);

  for (const engine of ENGINES) it(`NS-GAN on the ring of 8 (${engine} engine): at least 7 of 8 modes and JSD below 0.45 after 5,000 steps`, async () => {
    const { tf } = await testBackend();
    const trainer = createEngine(tf, defineGan({
      target: targets.ring({ modes: 8, radius: 2, std: 0.2 }),
      generator: { kind: 'mlp', latentDim: 2, hidden: [64, 64], activation: 'leakyRelu' },
      critic: { hidden: [64, 64], activation: 'leakyRelu' }, optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
      batchSize: 256, seed: 1, loss: losses.nonSaturating(),
    }), engine);
    assert.equal(trainer.name, engine);
    const inspector = new RunInspector(trainer, { gridSize: 512, latentSamples: 20000 });
    const first = snapshotOf(inspector);
    assert.equal(first.dataDim, 2);
    assert.ok(first.metrics.jsd > 0.5, `initial JSD ${first.metrics.jsd}`);
    for (let step = 0; step < 5000; step++) trainer.trainStep();
    const last = snapshotOf(inspector);
    const modes = last.plane!.modes!;
    assert.ok(modes.covered >= 7 && last.metrics.jsd < 0.45, `${modes.covered}/${modes.of} modes, JSD ${last.metrics.jsd.toFixed(3)}`);
    trainer.dispose();
  });

  const fit = async (loss: LossSpec, engine: EngineName): Promise<Gaussian> => {
    const { tf } = await testBackend();
    const trainer = createEngine(tf, defineGan({
      target: twoModes, generator: { kind: 'affine', mean: [0.5, 0.5], std: 1 }, critic: { hidden: [64, 64], activation: 'tanh' },
      criticOptimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 }, generatorOptimizer: { kind: 'adam', lr: 1e-2, beta1: 0.5 },
      criticSteps: 5, batchSize: 256, seed: 3, loss,
    }), engine);
    for (let i = 0; i < 800; i++) trainer.trainStep();
    const g = trainedGaussian(trainer.generatorParameters());
    trainer.dispose();
    return g;
  };

  // KL(P‖N(μ, Σ)) is minimised by P's own mean and covariance.
  const klOptimum: Gaussian = { mean: [0, 0], cov: [[4 + 0.25, 0], [0, (0.25 + 1) / 2]] };
  const reverseOptimum = gaussianOf(nelderMead(reverseKl, [0.5, 0.5, 0, 0, 0]));

  it('the reverse-KL reference descends to the mode nearest the start, not to the moment match', () => {
    assert.ok(close(reverseOptimum, { mean: [2, 0], cov: [[0.25, 0], [0, 1]] }, 0.05, 0.05), show(reverseOptimum));
    assert.ok(reverseKl([2, 0, Math.log(0.5), 0, 0]) < reverseKl([0, 0, Math.log(Math.sqrt(4.25)), 0, Math.log(Math.sqrt(0.625))]));
  });

  for (const engine of ENGINES) {
    it(`saturating f-GAN KL (${engine} engine): N(μ, AAᵀ) lands on P's mean and covariance`, async () => {
      const g = await fit(losses.fgan('kl', { generator: 'saturating' }), engine);
      assert.ok(close(g, klOptimum, 0.3, 0.15), `trained ${show(g)}; optimum ${show(klOptimum)}`);
    });
    it(`f-GAN reverse KL (${engine} engine): N(μ, AAᵀ) lands on the reverse-KL optimum reachable from its start`, async () => {
      const g = await fit(losses.fgan('reverse_kl'), engine);
      assert.ok(close(g, reverseOptimum, 0.25, 0.2), `trained ${show(g)}; optimum ${show(reverseOptimum)}`);
    });
  }
});
