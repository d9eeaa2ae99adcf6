/**
 * Training throughput on the tfjs engine, in process (no worker, no snapshots): one critic
 * step plus one generator step per step, the configurations of the speed issue. Each run also
 * checks that the GAN learned, so no figure comes from a no-op.
 */
import { defineGan, losses, targets } from '../definition/api';
import type { Tf } from '../training/backend';
import { RunInspector } from '../training/inspector';
import { Trainer } from '../training/trainer';
import { spread, type Spread } from './stats';

export interface ThroughputConfig {
  readonly name: 'small' | 'large';
  readonly hidden: number;
  readonly batch: number;
}

export const CONFIGS: readonly ThroughputConfig[] = [
  { name: 'small', hidden: 32, batch: 256 },
  { name: 'large', hidden: 128, batch: 1024 },
];

export interface ThroughputResult {
  readonly config: ThroughputConfig;
  readonly stepsPerSecond: Spread;
  readonly learned: { readonly steps: number; readonly jsd: number; readonly leftModeMass: number };
}

function definition(c: ThroughputConfig, seed: number) {
  return defineGan({
    target: targets.mixture([{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }]),
    generator: { kind: 'mlp', latentDim: 1, hidden: [c.hidden, c.hidden], activation: 'leakyRelu' },
    critic: { hidden: [c.hidden, c.hidden], activation: 'leakyRelu' },
    optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5, beta2: 0.999 },
    criticSteps: 1,
    batchSize: c.batch,
    seed,
    loss: losses.nonSaturating(),
  });
}

function timed(tf: Tf, c: ThroughputConfig, seed: number, steps: number): number {
  const trainer = new Trainer(tf, definition(c, seed));
  for (let i = 0; i < 20; i++) trainer.trainStep();
  const started = performance.now();
  for (let i = 0; i < steps; i++) trainer.trainStep();
  const rate = (steps * 1000) / (performance.now() - started);
  trainer.dispose();
  return rate;
}

function learned(tf: Tf, c: ThroughputConfig, steps: number): ThroughputResult['learned'] {
  const trainer = new Trainer(tf, definition(c, 1));
  for (let i = 0; i < steps; i++) trainer.trainStep();
  const inspector = new RunInspector(tf, trainer, { gridSize: 512, latentSamples: 20000 });
  const s = inspector.snapshot({ runId: 0, version: 0, backend: 'wasm', stats: undefined, stepsPerSecond: 0 });
  const dx = s.x[1]! - s.x[0]!;
  const leftModeMass = s.q.reduce((sum, q, i) => sum + (s.x[i]! < 0 ? q * dx : 0), 0);
  inspector.dispose();
  trainer.dispose();
  return { steps, jsd: s.metrics.jsd, leftModeMass };
}

export function measureThroughput(tf: Tf, c: ThroughputConfig, opts: { steps: number; repeats: number; learnSteps: number }): ThroughputResult {
  const runs = Array.from({ length: opts.repeats }, (_, i) => timed(tf, c, i + 1, opts.steps));
  return { config: c, stepsPerSecond: spread(runs), learned: learned(tf, c, opts.learnSteps) };
}
