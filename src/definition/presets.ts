/**
 * Built-in definitions: what `gan-lens train --preset NAME` and an untrusted workspace can run
 * without executing any user code. The example files in examples/ spell the same ones out.
 */
import { F_DIVERGENCE_NAMES, F_DIVERGENCES } from '../core/divergences';
import { defineGan, losses, targets } from './api';
import type { FDivergenceName } from '../core/divergences';
import type { GanDefinition } from './types';

const bimodal = targets.mixture([{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }]);
const mlp = { kind: 'mlp', latentDim: 1, hidden: [32, 32], activation: 'leakyRelu' } as const;
const critic = { hidden: [32, 32], activation: 'leakyRelu' } as const;
const adam = { kind: 'adam', lr: 1e-3, beta1: 0.5 } as const;
const gan = { target: bimodal, generator: mlp, critic, optimizer: adam, batchSize: 256, seed: 1 };
/** The f-GAN experiments of theory.md §2: a Gaussian model against two modes, 5 critic steps, a faster generator. */
const fgan = {
  target: bimodal, generator: { kind: 'affine', mean: 0.5, std: 1 } as const, critic: { hidden: [64, 64], activation: 'tanh' } as const,
  criticOptimizer: adam, generatorOptimizer: { ...adam, lr: 1e-2 }, criticSteps: 5, batchSize: 256, seed: 1,
};
/** examples/wgan-gp.gan.ts: the paper's Adam and critic steps, a critic faster than the generator. */
const wganGp = {
  ...gan, optimizer: undefined, criticOptimizer: { ...adam, beta2: 0.9 }, generatorOptimizer: { ...adam, lr: 3e-4, beta2: 0.9 }, criticSteps: 5,
};

export const PRESETS: Readonly<Record<string, { readonly description: string; readonly build: () => GanDefinition }>> = {
  'non-saturating': { description: 'non-saturating GAN on two Gaussian modes', build: () => defineGan({ ...gan, loss: losses.nonSaturating() }) },
  minimax: { description: 'minimax (saturating) GAN on two Gaussian modes', build: () => defineGan({ ...gan, loss: losses.minimax() }) },
  'log-ratio': { description: "Huszár's log-ratio loss: the generator descends KL(Q‖P)", build: () => defineGan({ ...gan, loss: losses.logRatio() }) },
  kl: { description: 'f-GAN KL, Gaussian model, saturating generator', build: () => defineGan({ ...fgan, loss: losses.fgan('kl', { generator: 'saturating' }) }) },
  'reverse-kl': { description: 'f-GAN reverse KL, Gaussian model', build: () => defineGan({ ...fgan, loss: losses.fgan('reverse_kl') }) },
  'jensen-shannon': { description: 'f-GAN Jensen–Shannon (2·JSD), Gaussian model, saturating generator', build: () => defineGan({ ...fgan, loss: losses.fgan('jensen_shannon', { generator: 'saturating' }) }) },
  hellinger: { description: 'f-GAN squared Hellinger, Gaussian model, saturating generator', build: () => defineGan({ ...fgan, loss: losses.fgan('squared_hellinger', { generator: 'saturating' }) }) },
  wgan: { description: 'WGAN with weight clipping (RMSProp, 5 critic steps)', build: () => defineGan({ ...gan, optimizer: undefined, loss: losses.wgan({ clip: 0.01 }) }) },
  'wgan-gp': { description: 'WGAN with a one-sided gradient penalty λ = 10 (the two-sided one traps a 1-D critic)', build: () => defineGan({ ...wganGp, loss: losses.wgan({ gradientPenalty: 10, oneSided: true }) }) },
  lsgan: { description: 'least squares GAN', build: () => defineGan({ ...gan, loss: losses.leastSquares() }) },
  hinge: { description: 'hinge GAN', build: () => defineGan({ ...gan, loss: losses.hinge() }) },
  ...Object.fromEntries(F_DIVERGENCE_NAMES.map((name) => [fganFitPreset(name), {
    description: `f-GAN fit of a Gaussian model by ${F_DIVERGENCES[name].label}, saturating generator (Nowozin et al. 2016 §4)`,
    build: () => defineGan({ ...fgan, loss: losses.fgan(name, { generator: 'saturating' }) }),
  }])),
};

/** The preset fitting the Gaussian model by one f-divergence: `gan-lens compare --preset fgan-fits` runs them all. */
export function fganFitPreset(name: FDivergenceName): string {
  return `fgan-fit-${name.replace(/_/g, '-')}`;
}

/** What `fgan-fits` fits, and from where: the bimodal target, x = μ + σ·z from (0.5, 1). */
export const FGAN_FITS = { target: bimodal, start: [0.5, 1] as const, divergences: F_DIVERGENCE_NAMES } as const;

export function presetNames(): string[] {
  return Object.keys(PRESETS);
}
