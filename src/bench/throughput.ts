/**
 * Training throughput of one engine, in process (no worker, no snapshots): a step is the
 * definition's critic steps plus one generator step, in the configurations of the speed issues
 * (1-D bimodal, the 2-D ring of 8, and WGAN-GP as examples/wgan-gp.gan.ts trains it). Each run
 * also checks that the GAN learned, so no figure comes from a no-op.
 */
import { defineGan, losses, targets } from '../definition/api';
import type { GanConfig, GanDefinition } from '../definition/types';
import type { EngineName } from '../protocol';
import type { Tf } from '../training/backend';
import { createEngine } from '../training/createEngine';
import { RunInspector } from '../training/inspector';
import { spread, type Spread } from './stats';

/** The peer's --loss: the non-saturating GAN with one critic step, or examples/wgan-gp.gan.ts's WGAN-GP. */
export const THROUGHPUT_LOSSES = ['ns', 'wgan-gp'] as const;
export type ThroughputLoss = (typeof THROUGHPUT_LOSSES)[number];

export interface ThroughputConfig {
  readonly name: 'small' | 'large' | 'ring' | 'wgan-gp';
  /** 1: the bimodal mixture, latent dimension 1; 2: RING, latent dimension 2. */
  readonly dataDim: 1 | 2;
  readonly hidden: number;
  readonly batch: number;
  /** Absent in results written before the WGAN-GP row: ns. */
  readonly loss?: ThroughputLoss;
}

export const CONFIGS: readonly ThroughputConfig[] = [
  { name: 'small', dataDim: 1, hidden: 32, batch: 256, loss: 'ns' },
  { name: 'large', dataDim: 1, hidden: 128, batch: 1024, loss: 'ns' },
  { name: 'ring', dataDim: 2, hidden: 64, batch: 256, loss: 'ns' },
  { name: 'wgan-gp', dataDim: 1, hidden: 32, batch: 256, loss: 'wgan-gp' },
];

/** The example file a loss's row trains, as a person would (its optimisers and critic steps included). */
export const THROUGHPUT_EXAMPLES: Readonly<Partial<Record<ThroughputLoss, string>>> = { 'wgan-gp': 'wgan-gp.gan.ts' };

/** The 2-D target, as the PyTorch peer draws it too. */
export const RING = { modes: 8, radius: 2, std: 0.2 } as const;

/** JSD after the learning run, and whether the modes are held: q's mass left of 0 in 1-D (near 0.5), modes covered in 2-D. */
export type Learned =
  | { readonly steps: number; readonly jsd: number; readonly leftModeMass: number }
  | { readonly steps: number; readonly jsd: number; readonly modesCovered: number; readonly modes: number };

export interface EngineThroughput {
  readonly engine: EngineName;
  /** Threads the training ran on (absent in results written before it was recorded: 1). */
  readonly threads?: number;
  readonly stepsPerSecond: Spread;
  readonly learned: Learned;
}

/** The non-saturating rows' definition, built here. */
export function throughputDefinition(c: ThroughputConfig, seed: number): GanDefinition {
  return defineGan(throughputConfig(c, seed));
}

/** The same as a loss definition file's text, for a run in a session (a worker, as in VS Code). */
export function throughputDefinitionText(c: ThroughputConfig, seed: number): string {
  return `import { defineGan } from 'gan-lens';\nexport default defineGan(${JSON.stringify(throughputConfig(c, seed))});\n`;
}

function throughputConfig(c: ThroughputConfig, seed: number): GanConfig {
  return {
    target: c.dataDim === 2 ? targets.ring(RING) : targets.mixture([{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }]),
    generator: { kind: 'mlp', latentDim: c.dataDim, hidden: [c.hidden, c.hidden], activation: 'leakyRelu' },
    critic: { hidden: [c.hidden, c.hidden], activation: 'leakyRelu' },
    optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5, beta2: 0.999 },
    criticSteps: 1,
    batchSize: c.batch,
    seed,
    loss: losses.nonSaturating(),
  };
}

/**
 * Where a row's definition differs from its configuration (an example edited since the row was
 * written, whose peer would then train another network), or undefined.
 */
export function configMismatch(c: ThroughputConfig, d: GanDefinition): string | undefined {
  const widths = (hidden: readonly number[]): boolean => hidden.length === 2 && hidden.every((h) => h === c.hidden);
  const generatorFits = d.generator.kind === 'mlp' && widths(d.generator.hidden) && d.generator.latentDim === c.dataDim;
  const criticFits = d.critic.kind === 'mlp' && widths(d.critic.hidden);
  if (d.dataDim !== c.dataDim || d.batchSize !== c.batch || !criticFits || !generatorFits) {
    return `the ${c.name} row expects ${c.dataDim}-D, hidden [${c.hidden}, ${c.hidden}] and batch ${c.batch}, as its PyTorch peer trains`;
  }
  return undefined;
}

function engineFor(tf: Tf, engine: EngineName, definition: GanDefinition) {
  const trainer = createEngine(tf, definition, engine);
  if (trainer.name !== engine) throw new Error(`the ${engine} engine is not available here`);
  return trainer;
}

/** The warm-up before a timed run, here and in the peer: the fused engine's second thread starts and its code is optimised. */
const WARM_UP_MS = 250;

function timed(tf: Tf, engine: EngineName, definition: GanDefinition, steps: number): { rate: number; threads: number } {
  const trainer = engineFor(tf, engine, definition);
  const warm = performance.now();
  for (let i = 0; i < 20 || performance.now() - warm < WARM_UP_MS; i++) trainer.trainStep();
  const started = performance.now();
  for (let i = 0; i < steps; i++) trainer.trainStep();
  const rate = (steps * 1000) / (performance.now() - started);
  const threads = trainer.threads;
  trainer.dispose();
  return { rate, threads };
}

function learned(tf: Tf, engine: EngineName, definition: GanDefinition, steps: number): Learned {
  const trainer = engineFor(tf, engine, definition);
  for (let i = 0; i < steps; i++) trainer.trainStep();
  const s = new RunInspector(trainer, { gridSize: 512, latentSamples: 20000 }).snapshot({ runId: 0, version: 0, backend: 'wasm', stats: undefined, stepsPerSecond: 0 });
  if (s.plane) {
    trainer.dispose();
    const modes = s.plane.modes;
    if (!modes) throw new Error('the 2-D throughput target has no modes to cover');
    return { steps, jsd: s.metrics.jsd, modesCovered: modes.covered, modes: modes.of };
  }
  const dx = s.x[1]! - s.x[0]!;
  const leftModeMass = s.q.reduce((sum, q, i) => sum + (s.x[i]! < 0 ? q * dx : 0), 0);
  trainer.dispose();
  return { steps, jsd: s.metrics.jsd, leftModeMass };
}

/** Timed runs from seeds 1, 2, …, then the learning run from seed 1. */
export function measureThroughput(tf: Tf, engine: EngineName, definition: GanDefinition, opts: { steps: number; repeats: number; learnSteps: number }): EngineThroughput {
  const runs = Array.from({ length: opts.repeats }, (_, i) => timed(tf, engine, { ...definition, seed: i + 1 }, opts.steps));
  return { engine, threads: Math.max(...runs.map((r) => r.threads)), stepsPerSecond: spread(runs.map((r) => r.rate)), learned: learned(tf, engine, { ...definition, seed: 1 }, opts.learnSteps) };
}
