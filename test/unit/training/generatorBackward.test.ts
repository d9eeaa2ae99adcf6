/**
 * The engines' generator backward pass with given per-sample ∂L/∂x (engine.ts's
 * generatorParameterGradient) and the generator loss's gradient on a latent set: against central
 * differences of the binned divergences (core/sampleGradients.ts) on affine generators, against
 * each other, against the training path's gradient, and leaving training as it was.
 */
import assert from 'node:assert/strict';
import { F_DIVERGENCES } from '../../../src/core/divergences';
import { fDivergenceFunctional, JSD_FUNCTIONAL, WASSERSTEIN1, type LatticeFunctional } from '../../../src/core/firstVariation';
import { latentQuantiles } from '../../../src/core/generatorDensity';
import { latentQuantileLattice } from '../../../src/core/pushForward2d';
import { createRng } from '../../../src/core/rng';
import { binnedFunctional } from '../../../src/core/sampleGradients';
import { defineGan, losses } from '../../../src/definition/api';
import type { GanConfig, GanDefinition } from '../../../src/definition/types';
import type { EngineName } from '../../../src/protocol';
import { engineNamed } from '../../../src/training/createEngine';
import { sampleLatent, sampleReal, type TrainingEngine } from '../../../src/training/engine';
import { FusedEngine } from '../../../src/training/fused/fusedEngine';
import type { GradientEngine } from '../../../src/training/gradientEngine';
import { createLoss } from '../../../src/training/losses';
import { networkShapes } from '../../../src/training/networkShapes';
import { initialParameters } from '../../../src/training/parameters';
import { TfjsEngine } from '../../../src/training/tfjsEngine';
import { affineCase1D, affineCase2D, affinePoints, BIMODAL, finiteDifferences, RING, vectorRelativeError, type AffineCase } from '../core/affineCases';
import { testBackend } from './helpers';

const ENGINES: readonly EngineName[] = ['tfjs', 'fused'];
const TOLERANCE = 1e-4;

function affineDefinition(c: AffineCase): GanDefinition {
  const t = c.theta;
  return defineGan({
    target: c.dim === 1 ? BIMODAL : RING,
    generator: c.dim === 1 ? { kind: 'affine', mean: t[0]!, std: t[1]! } : { kind: 'affine', mean: [t[0]!, t[1]!], scale: [[t[2]!, t[3]!], [t[4]!, t[5]!]] },
    critic: { hidden: [8], activation: 'tanh' }, loss: losses.nonSaturating(), seed: 1,
  });
}

function mlpDefinition(dim: 1 | 2, overrides: Partial<GanConfig> = {}): GanDefinition {
  return defineGan({
    target: dim === 1 ? BIMODAL : RING,
    generator: { kind: 'mlp', latentDim: dim, hidden: [32, 24], activation: 'leakyRelu' },
    critic: { hidden: [24, 16], activation: 'leakyRelu' }, optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 },
    criticSteps: 1, batchSize: 64, seed: 7, loss: losses.nonSaturating(), ...overrides,
  });
}

/** More rows than the fused engine's workspace (MIN_ROWS = 4,096), so its chunks are summed. */
function latentSet(dim: 1 | 2): Float32Array {
  return Float32Array.from(dim === 1 ? latentQuantiles(10_000) : latentQuantileLattice(96));
}

async function withEngine<T>(def: GanDefinition, name: EngineName, run: (e: TrainingEngine) => T | Promise<T>): Promise<T> {
  const { tf } = await testBackend();
  const engine = engineNamed(tf, def, name);
  try {
    return await run(engine);
  } finally {
    engine.dispose();
  }
}

describe('generator backward with per-sample gradients', function () {
  this.timeout(300_000);

  // Measured (‖engine − FD‖/‖FD‖): tfjs 1-D 7e-8 – 2e-5, 2-D 6e-7 – 2e-6 (its float32 sums over 20,000 and
  // 16,384 samples); fused 2e-8 – 6e-8 (the affine backward sums in float64). The core's own error is ≤ 3e-8.
  for (const name of ENGINES) {
    it(`${name}: ∇θ D from per-sample gradients matches central differences of the binned divergence (affine, 1-D and 2-D)`, async () => {
      const cases: [AffineCase, [string, LatticeFunctional][]][] = [
        [affineCase1D(), [['JSD', JSD_FUNCTIONAL], ['KL', fDivergenceFunctional(F_DIVERGENCES.kl)], ['reverse KL', fDivergenceFunctional(F_DIVERGENCES.reverse_kl)], ['W₁', WASSERSTEIN1]]],
        [affineCase2D(), [['JSD', JSD_FUNCTIONAL], ['KL', fDivergenceFunctional(F_DIVERGENCES.kl)], ['reverse KL', fDivergenceFunctional(F_DIVERGENCES.reverse_kl)]]],
      ];
      for (const [c, functionals] of cases) {
        await withEngine(affineDefinition(c), name, (engine) => {
          for (const [label, f] of functionals) {
            const perSample = binnedFunctional(f, c.lattice, c.logP, affinePoints(c)).gradients;
            const gradient = engine.generatorParameterGradient(c.z, Float32Array.from(perSample));
            const err = vectorRelativeError(gradient, finiteDifferences(c, f));
            assert.ok(err < TOLERANCE, `${c.dim}-D ${label}: relative error ${err.toExponential(2)}`);
          }
        });
      }
    });
  }

  it('several cotangent sets in one call give what each gives alone (one forward pass for all)', async () => {
    for (const dim of [1, 2] as const) {
      const def = mlpDefinition(dim);
      const z = latentSet(dim);
      const rng = createRng(33);
      const gs = [0, 1, 2].map(() => Float32Array.from({ length: (z.length / dim) * dim }, () => rng.normal() / 1000));
      for (const name of ENGINES) {
        await withEngine(def, name, (e) => {
          const together = e.generatorParameterGradients(z, gs);
          gs.forEach((g, j) => assert.deepEqual(together[j], e.generatorParameterGradient(z, g), `${name} ${dim}-D set ${j}`));
        });
      }
    }
  });

  // Measured: 1.8e-6 in 1-D and in 2-D.
  it('both engines give the same ∇θ for the same per-sample ∂L/∂x, on sets larger than the fused workspace', async () => {
    for (const dim of [1, 2] as const) {
      const def = mlpDefinition(dim);
      const z = latentSet(dim);
      const rng = createRng(21);
      const g = Float32Array.from({ length: (z.length / dim) * dim }, () => rng.normal() / 1000);
      const [a, b] = await Promise.all(ENGINES.map((name) => withEngine(def, name, (e) => e.generatorParameterGradient(z, g))));
      const err = vectorRelativeError(b!, a!);
      assert.ok(err < TOLERANCE, `${dim}-D: relative error ${err.toExponential(2)}`);
    }
  });

  // Measured: the same to the bit as gradientsAt on 300 points; fused vs tfjs on 10,000 / 9,216 points 4e-6 / 1.4e-6.
  it('the loss gradient on a latent set is the training path\'s on that batch, and agrees across engines on a large set', async () => {
    for (const dim of [1, 2] as const) {
      const def = mlpDefinition(dim);
      const rng = createRng(4);
      const byEngine: Float32Array[] = [];
      for (const name of ENGINES) {
        await withEngine(def, name, (engine) => {
          const latent = sampleLatent(rng, 300, dim);
          const real = sampleReal(engine.target, rng, 300);
          const err = vectorRelativeError(engine.generatorLossGradient(latent), engine.gradientsAt(real, latent).generator);
          assert.ok(err < TOLERANCE, `${name} ${dim}-D: relative error ${err.toExponential(2)} against gradientsAt`);
          byEngine.push(engine.generatorLossGradient(latentSet(dim)));
        });
      }
      const err = vectorRelativeError(byEngine[1]!, byEngine[0]!);
      assert.ok(err < TOLERANCE, `${dim}-D: fused vs tfjs on ${latentSet(dim).length / dim} points, relative error ${err.toExponential(2)}`);
    }
  });

  // The alignment generates its set and then runs backward passes on it: the fused engine starts them from generate()'s pass.
  it('a backward pass right after generate() on the same set gives what a fresh forward pass gives, also when the set was refilled or the weights replaced', async () => {
    for (const dim of [1, 2] as const) {
      const def = mlpDefinition(dim);
      // Exactly one workspace of rows (MIN_ROWS), the case generate() leaves behind.
      const quantiles = () => Float32Array.from(dim === 1 ? latentQuantiles(4096) : latentQuantileLattice(64));
      const rng = createRng(5);
      const g = Float32Array.from({ length: 4096 * dim }, () => rng.normal() / 1000);
      await withEngine(def, 'fused', (e) => {
        e.trainStep();
        const z = quantiles();
        const fresh = (values: Float32Array) => e.generatorParameterGradient(values.slice(), g);
        e.generate(z);
        assert.deepEqual(e.generatorParameterGradient(z, g), fresh(z), `${dim}-D same set`);
        e.generate(z);
        const other = sampleLatent(rng, 4096, dim);
        z.set(other);
        assert.deepEqual(e.generatorParameterGradient(z, g), fresh(other), `${dim}-D the set refilled after generate()`);
        e.generate(z);
        const mirrored = e.generatorParameters().map((v) => 0.9 * v);
        e.mirror({ generator: mirrored, critic: e.criticParameters(), step: e.step });
        assert.deepEqual(e.generatorParameterGradient(z, g), fresh(z), `${dim}-D the weights replaced after generate()`);
      });
    }
  });

  it('neither call touches the kept gradient (engines) or the run (weights and optimiser state after steps)', async () => {
    const { tf } = await testBackend();
    for (const dim of [1, 2] as const) {
      const def = mlpDefinition(dim);
      const shapes = networkShapes(def);
      const z = latentSet(dim);
      const g = new Float32Array((z.length / dim) * dim).fill(1e-4);
      const build: Record<EngineName, () => GradientEngine> = {
        tfjs: () => new TfjsEngine(tf, shapes, initialParameters(createRng(def.seed), shapes), def),
        fused: () => new FusedEngine(tf, shapes, initialParameters(createRng(def.seed), shapes), def),
      };
      for (const name of ENGINES) {
        const engine = build[name]();
        try {
          engine.setLoss(def.loss, createLoss(tf, def.loss));
          engine.generatorGradient(sampleLatent(createRng(1), 64, dim));
          const kept = engine.read('generator', 'grad');
          engine.generatorBackward(z, [g, g]);
          engine.generatorLossGradientAt(engine.generate(z));
          assert.deepEqual(engine.read('generator', 'grad'), kept, `${name} ${dim}-D kept gradient`);
        } finally {
          engine.dispose();
        }
        // Two identical runs, one interrupted between its steps: bit for bit the same state.
        const states = await Promise.all([false, true].map((interrupt) => withEngine(def, name, async (engine) => {
          engine.trainStep();
          if (interrupt) {
            engine.generatorParameterGradient(z, g);
            engine.generatorLossGradient(z);
          }
          engine.trainStep();
          return engine.saveState();
        })));
        // Data only: tfjs names optimiser slots after each instance's variables.
        assert.deepEqual(states[1]!.map((t) => t.data), states[0]!.map((t) => t.data), `${name} ${dim}-D state after two steps`);
      }
    }
  });
});
