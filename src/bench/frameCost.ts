/**
 * Frame cost: one snapshot as the worker makes it (generator on the latent quantiles, critic
 * on the grid, q, every divergence, the estimate), and the divergence core's share of it.
 */
import { measureFrameCost } from './coreFrameCost';
import { PRESETS } from '../definition/presets';
import type { EngineName } from '../protocol';
import type { Tf } from '../training/backend';
import { createEngine } from '../training/createEngine';
import { AlignmentProbe } from '../training/alignment';
import { RunInspector } from '../training/inspector';
import { spread, type Spread } from './stats';

export interface FrameCostResult {
  /** The engine whose networks the snapshot evaluates. */
  readonly engine: EngineName;
  readonly snapshotMs: Spread;
  readonly coreMs: number;
  /** The alignment's share of a snapshot (theory.md §8): the generator, critic forces and three generator backward passes on its latent set. */
  readonly alignmentMs?: number;
}

export function measureFrames(tf: Tf, frames: number): FrameCostResult {
  const trainer = createEngine(tf, PRESETS['non-saturating']!.build(), 'auto');
  for (let i = 0; i < 200; i++) trainer.trainStep();
  const inspector = new RunInspector(trainer, { gridSize: 512, latentSamples: 20000 });
  const times: number[] = [];
  for (let i = 0; i < frames + 5; i++) {
    const started = performance.now();
    inspector.snapshot({ runId: 0, version: 0, backend: 'wasm', stats: undefined, stepsPerSecond: 0 });
    if (i >= 5) times.push(performance.now() - started);
  }
  const probe = new AlignmentProbe(trainer);
  const alignment: number[] = [];
  for (let i = 0; i < frames; i++) {
    const started = performance.now();
    probe.measure();
    alignment.push(performance.now() - started);
  }
  trainer.dispose();
  return { engine: trainer.name, snapshotMs: spread(times), coreMs: measureFrameCost({ frames }).medianMs, alignmentMs: spread(alignment).median };
}
