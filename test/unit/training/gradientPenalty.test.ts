/**
 * The gradient penalty on the fused engine against central differences of the penalised critic
 * loss in float64: a reference written here with reverse-mode input gradients (the kernel
 * carries them forward as tangents), so the double backward pass is checked by an independent
 * computation, not against tfjs alone. And on both engines: what a flat critic pays.
 */
import assert from 'node:assert/strict';
import { createDataTarget } from '../../../src/core/dataTarget';
import { createRng } from '../../../src/core/rng';
import { defineGan, losses, targets } from '../../../src/definition/api';
import { ACTIVATIONS, type Activation, type GanDefinition } from '../../../src/definition/types';
import { engineNamed } from '../../../src/training/createEngine';
import { sampleLatent, sampleReal } from '../../../src/training/engine';
import { FusedEngine } from '../../../src/training/fused/fusedEngine';
import { ENGINE_NAMES } from '../../../src/protocol';
import { createLoss } from '../../../src/training/losses';
import { LEAKY_SLOPE, mlpWidths, networkShapes, type MlpShape } from '../../../src/training/networkShapes';
import { initialParameters, type Slot } from '../../../src/training/parameters';
import { testBackend } from './helpers';

const bimodal = targets.mixture([{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }]);
const ring = targets.ring({ modes: 8, radius: 2, std: 0.2 });

/** activation and its derivative, in float64. */
function activation(kind: Activation, z: number): [value: number, slope: number] {
  switch (kind) {
    case 'leakyRelu': return z > 0 ? [z, 1] : [LEAKY_SLOPE * z, LEAKY_SLOPE];
    case 'relu': return z > 0 ? [z, 1] : [0, 0];
    case 'tanh': return [Math.tanh(z), 1 - Math.tanh(z) ** 2];
    case 'elu': return z > 0 ? [z, 1] : [Math.expm1(z), Math.exp(z)];
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-z));
      return [s, s * (1 - s)];
    }
    case 'linear': return [z, 1];
  }
}

/** f(x) and ∇ₓf(x) of the critic in float64: a forward pass, then a reverse one to the input. */
function criticWithSlope(shape: MlpShape, layout: readonly Slot[], theta: Float64Array, x: readonly number[]): { value: number; slope: number[] } {
  const widths = mlpWidths(shape);
  const slopes: number[][] = [];
  let h = x;
  widths.forEach((width, l) => {
    const [w, b] = [layout[2 * l]!.offset, layout[2 * l + 1]!.offset];
    const z = Array.from({ length: width }, (_, j) => h.reduce((sum, hi, i) => sum + hi * theta[w + i * width + j]!, theta[b + j]!));
    if (l < widths.length - 1) {
      const a = z.map((v) => activation(shape.activation, v));
      slopes.push(a.map(([, s]) => s));
      h = a.map(([v]) => v);
    } else {
      h = z;
    }
  });
  // δ = ∂f/∂(layer input), from the output back.
  let delta = [1];
  for (let l = widths.length - 1; l >= 0; l--) {
    const w = layout[2 * l]!.offset;
    const fanIn = l === 0 ? shape.inputs : widths[l - 1]!;
    const width = widths[l]!;
    delta = Array.from({ length: fanIn }, (_, i) => delta.reduce((sum, d, j) => sum + d * theta[w + i * width + j]!, 0) * (l > 0 ? slopes[l - 1]![i]! : 1));
  }
  return { value: h[0]!, slope: delta };
}

interface Batch {
  readonly real: Float32Array;
  readonly fake: Float32Array;
  readonly eps: Float32Array;
  readonly dim: number;
}

/** −mean f(real) + mean f(fake) + λ·mean φ(‖∇f(x̂)‖), φ(s) = (s − 1)² or max(0, s − 1)². */
function penalisedLoss(def: GanDefinition, layout: readonly Slot[], theta: Float64Array, b: Batch): number {
  return penalised(def, layout, theta, b).loss;
}

/** The penalised loss, and the share of the interpolates whose slope exceeds 1. */
function penalised(def: GanDefinition, layout: readonly Slot[], theta: Float64Array, b: Batch): { loss: number; steep: number } {
  const shape = networkShapes(def).critic;
  const spec = def.loss as Extract<GanDefinition['loss'], { kind: 'wgan' }>;
  const point = (v: Float32Array, i: number): number[] => Array.from(v.subarray(i * b.dim, (i + 1) * b.dim));
  const n = b.eps.length;
  let loss = 0;
  let penalty = 0;
  let steep = 0;
  for (let i = 0; i < n; i++) {
    const [real, fake] = [point(b.real, i), point(b.fake, i)];
    loss += (criticWithSlope(shape, layout, theta, fake).value - criticWithSlope(shape, layout, theta, real).value) / n;
    const e = b.eps[i]!;
    const slope = criticWithSlope(shape, layout, theta, real.map((r, k) => e * r + (1 - e) * fake[k]!)).slope;
    const excess = Math.hypot(...slope) - 1;
    penalty += (spec.oneSided ? Math.max(0, excess) : excess) ** 2 / n;
    if (excess > 0) steep += 1 / n;
  }
  return { loss: loss + spec.gradientPenalty! * penalty, steep };
}

describe('gradient penalty', function () {
  this.timeout(120_000);

  for (const kind of ACTIVATIONS) {
    for (const dim of [1, 2] as const) {
      it(`on the fused engine: the critic's gradient is the central difference of the penalised loss (${kind}, ${dim}-D, both penalties)`, async () => {
        const { tf } = await testBackend();
        for (const oneSided of [false, true]) {
          const def = defineGan({
            target: dim === 2 ? ring : bimodal, generator: { kind: 'mlp', latentDim: dim, hidden: [5], activation: 'leakyRelu' },
            critic: { hidden: [6, 5], activation: kind }, criticSteps: 1, batchSize: 24, seed: 3, loss: losses.wgan({ gradientPenalty: 10, oneSided }),
          });
          const shapes = networkShapes(def);
          const initial = initialParameters(createRng(def.seed), shapes);
          const engine = new FusedEngine(tf, shapes, initial, def);
          engine.setLoss(def.loss, createLoss(tf, def.loss));
          const rng = createRng(11);
          const real = sampleReal(createDataTarget(def.target), rng, def.batchSize);
          const latent = sampleLatent(rng, def.batchSize, dim);
          const eps = Float32Array.from({ length: def.batchSize }, () => rng.next());
          const batch: Batch = { real, fake: engine.generate(latent), eps, dim };
          const layout = initial.critic.layout;
          // The critic scaled so that about half the interpolates have slopes above 1: both
          // branches of the one-sided penalty (a linear critic has one slope everywhere).
          const scaled = (c: number): Float32Array => initial.critic.values.map((w) => w * c);
          const steepness = (c: number): number => penalised(def, layout, Float64Array.from(scaled(c)), batch).steep;
          const scale = Array.from({ length: 71 }, (_, i) => 1 + 0.1 * i).reduce((best, c) => (Math.abs(steepness(c) - 0.5) < Math.abs(steepness(best) - 0.5) ? c : best));
          if (kind !== 'linear') assert.ok(steepness(scale) > 0.1 && steepness(scale) < 0.9, `${steepness(scale)} of the slopes above 1`);
          engine.writeParams('critic', scaled(scale));
          const { loss } = engine.criticGradient(real, latent, eps);
          const gradient = engine.read('critic', 'grad');
          const theta = Float64Array.from(engine.read('critic', 'params'));
          const reference = penalisedLoss(def, layout, theta, batch);
          assert.ok(Math.abs(loss - reference) < 1e-5 * Math.max(1, Math.abs(reference)), `${oneSided ? 'one-sided: ' : ''}loss ${loss} against ${reference} in float64`);
          const differences = theta.map((t, j) => {
            const step = 1e-6 * Math.max(1, Math.abs(t));
            const at = (v: number): number => {
              const shifted = theta.slice();
              shifted[j] = v;
              return penalisedLoss(def, layout, shifted, batch);
            };
            return (at(t + step) - at(t - step)) / (2 * step);
          });
          let [num, den] = [0, 0];
          for (let j = 0; j < theta.length; j++) {
            num += (gradient[j]! - differences[j]!) ** 2;
            den += differences[j]! ** 2;
          }
          const error = Math.sqrt(num / den);
          assert.ok(error < 1e-4, `${oneSided ? 'one-sided: ' : ''}relative error ${error.toExponential(2)} against the central differences`);
          engine.dispose();
        }
      });
    }
  }

  for (const engine of ENGINE_NAMES) {
    it(`charges a flat critic λ under the two-sided penalty and nothing under the one-sided one (${engine} engine)`, async () => {
      const { tf } = await testBackend();
      const lossOfFlatCritic = async (oneSided: boolean): Promise<number> => {
        // Critic weights all 0: f ≡ 0, slope 0 everywhere, gap 0; a tiny learning rate keeps it so.
        const t = engineNamed(tf, defineGan({
          target: bimodal, generator: { kind: 'mlp', hidden: [16, 16] }, critic: { hidden: [16, 16] }, batchSize: 64, seed: 7,
          loss: losses.wgan({ gradientPenalty: 10, oneSided }), criticOptimizer: { kind: 'adam', lr: 1e-12 },
        }), engine);
        const state = await t.saveState();
        await t.restoreState(state.map((s) => (s.name === 'critic' ? { ...s, data: new Float32Array(s.data.length) } : s)), 0);
        const loss = t.trainStep({ freezeGenerator: true }).criticLoss;
        t.dispose();
        return loss;
      };
      assert.ok(Math.abs(await lossOfFlatCritic(false) - 10) < 1e-5, 'λ(0 − 1)² = 10');
      assert.ok(Math.abs(await lossOfFlatCritic(true)) < 1e-6, 'max(0, 0 − 1)² = 0');
    });
  }
});
