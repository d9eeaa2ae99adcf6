/**
 * Training throughput of one engine, in process (no worker, no snapshots): one critic step plus
 * one generator step per step, the configurations of the speed issue. Each run also checks
 * that the GAN learned, so no figure comes from a no-op.
 */
import { defineGan, losses, targets } from '../definition/api';
import type { EngineName } from '../protocol';
import type { Tf } from '../training/backend';
import { createEngine } from '../training/createEngine';
import { RunInspector } from '../training/inspector';
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

export interface Learned {
  readonly steps: number;
  readonly jsd: number;
  readonly leftModeMass: number;
}

export interface EngineThroughput {
  readonly engine: EngineName;
  readonly stepsPerSecond: Spread;
  readonly learned: Learned;
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

function engineFor(tf: Tf, engine: EngineName, c: ThroughputConfig, seed: number) {
  const trainer = createEngine(tf, definition(c, seed), engine);
  if (trainer.name !== engine) throw new Error(`the ${engine} engine is not available here`);
  return trainer;
}

function timed(tf: Tf, engine: EngineName, c: ThroughputConfig, seed: number, steps: number): number {
  const trainer = engineFor(tf, engine, c, seed);
  for (let i = 0; i < 20; i++) trainer.trainStep();
  const started = performance.now();
  for (let i = 0; i < steps; i++) trainer.trainStep();
  const rate = (steps * 1000) / (performance.now() - started);
  trainer.dispose();
  return rate;
}

function learned(tf: Tf, engine: EngineName, c: ThroughputConfig, steps: number): Learned {
  const trainer = engineFor(tf, engine, c, 1);
  for (let i = 0; i < steps; i++) trainer.trainStep();
  const s = new RunInspector(trainer, { gridSize: 512, latentSamples: 20000 }).snapshot({ runId: 0, version: 0, backend: 'wasm', stats: undefined, stepsPerSecond: 0 });
  const dx = s.x[1]! - s.x[0]!;
  const leftModeMass = s.q.reduce((sum, q, i) => sum + (s.x[i]! < 0 ? q * dx : 0), 0);
  trainer.dispose();
  return { steps, jsd: s.metrics.jsd, leftModeMass };
}

export function measureThroughput(tf: Tf, engine: EngineName, c: ThroughputConfig, opts: { steps: number; repeats: number; learnSteps: number }): EngineThroughput {
  const runs = Array.from({ length: opts.repeats }, (_, i) => timed(tf, engine, c, i + 1, opts.steps));
  return { engine, stepsPerSecond: spread(runs), learned: learned(tf, engine, c, opts.learnSteps) };
}
