/**
 * Cost of one 2-D snapshot at the default lattice (128² cells, 256² latent lattice) on a ring
 * run trained for a while: RunInspector.snapshot end to end, its phases timed one by one
 * through the same public functions the plane inspector calls (the inspector has no timing
 * hook, and production code gets none), and what snapshots at the panel's 30 per second cost
 * training in the worker's loop, where both share one thread.
 */
import { optimalDiscriminator } from '../core/critic';
import { targetQuadraturePoints2D } from '../core/dataTarget';
import { latticeDivergences2D, latticeEffectiveObjective, type Lattice2DContext } from '../core/divergences2d';
import { cellCentre, createLattice2D, DEFAULT_LATTICE_SIDE, type Lattice } from '../core/lattice';
import { modeCoverage } from '../core/modeCoverage';
import { DEFAULT_LATENT_SIDE, LatentNodes, latentQuantileLattice, pushForward2D } from '../core/pushForward2d';
import { targetOnLattice2D } from '../core/targetCells2d';
import type { Target2D } from '../core/targets2d';
import { wasserstein1OnLattice } from '../core/transport';
import type { GanDefinition } from '../definition/types';
import type { EngineName, Snapshot } from '../protocol';
import type { Tf } from '../training/backend';
import { createEngine, engineNamed } from '../training/createEngine';
import type { TrainingEngine } from '../training/engine';
import { AlignmentProbe } from '../training/alignment';
import { BINNED_SET_SIZE } from '../training/binnedLatentSet';
import { RunInspector } from '../training/inspector';
import { W1_EVERY, W1_SIDE } from '../training/planeInspector';
import { SnapshotPacing } from '../training/snapshotPacing';
import { spread, type Spread } from './stats';
import { CONFIGS, throughputDefinition } from './throughput';

/** The rate the panel asks for by default, and the training slowdown it may cost. */
export const PANEL_SNAPSHOTS_PER_SECOND = 30;
export const SNAPSHOT_TARGET_MS = 15;
/** Training steps between two timed snapshots: about what ~1,500 steps/s at the panel's rate leave. */
const STEPS_BETWEEN_SNAPSHOTS = 50;

export interface PlanePhase {
  readonly phase: string;
  readonly ms: Spread;
}

export interface PlaneFrameCost {
  readonly engine: EngineName;
  readonly trainedSteps: number;
  readonly latticeSide: number;
  readonly latentSide: number;
  /**
   * RunInspector.snapshot, end to end, on one kernel thread (as the snapshot thread, the
   * default, computes it), with the run training between snapshots: each run is the mean over
   * W1_EVERY consecutive snapshots (older results: single snapshots of a run that stood still).
   */
  readonly snapshotMs: Spread;
  /** Training steps between the timed snapshots (absent in older results: none). */
  readonly stepsBetween?: number;
  /**
   * The same on the training run's engine with its kernel threads (two where there are two
   * cores): as snapshots are computed with the snapshot thread off. Absent in older results.
   */
  readonly trainingThreadSnapshot?: { readonly threads: number; readonly ms: Spread };
  /** Each phase on its own; W₁ runs every W1_EVERY-th frame, so it is also shown per frame. */
  readonly phases: readonly PlanePhase[];
  /** The generator on the latent lattice on the tfjs engine with the same weights, for scale. */
  readonly tfjsGeneratorMs: number;
  /** A smaller latent lattice: the snapshot's cost and how far its JSD lies from the default one's. */
  readonly smallerLatent: { readonly latentSide: number; readonly snapshotMs: number; readonly jsd: number; readonly defaultJsd: number };
  /** Training steps/s alone and with snapshots at the panel's rate, scheduled as the worker's loop does. */
  readonly training: { readonly alone: number; readonly withSnapshots: number; readonly snapshotsPerSecond: number };
}

const ARGS = { runId: 0, version: 0, backend: 'wasm', stats: undefined, stepsPerSecond: 0 } as const;

function timeOf(f: () => unknown): number {
  const started = performance.now();
  f();
  return performance.now() - started;
}

function repeatedMs(frames: number, f: () => unknown): Spread {
  for (let i = 0; i < 3; i++) f();
  return spread(Array.from({ length: frames }, () => timeOf(f)));
}

function cellCentres(l: Lattice): Float32Array {
  const [ax, ay] = l.axes;
  const out = new Float32Array(2 * l.size);
  for (let j = 0; j < ay!.count; j++) {
    for (let i = 0; i < ax!.count; i++) out.set([cellCentre(ax!, i), cellCentre(ay!, j)], 2 * (i + ax!.count * j));
  }
  return out;
}

/** The plane inspector's frame, phase by phase, in its order and with its arguments. */
function phases(trainer: TrainingEngine, target: Target2D, frames: number): PlanePhase[] {
  if (target.kind !== 'mixture') throw new Error('the 2-D frame cost runs on the ring, a mixture');
  const nodes = new LatentNodes(DEFAULT_LATENT_SIDE);
  const estimateLatent = Float32Array.from(latentQuantileLattice(Math.sqrt(BINNED_SET_SIZE[2].points)));
  const estimateReal = Float32Array.from(targetQuadraturePoints2D(target, BINNED_SET_SIZE[2].points));
  const xs = nodes.expand(trainer.generate(nodes.latent));
  const fake = trainer.generate(estimateLatent);
  const fakeCritic = trainer.criticAt(fake);
  const l = createLattice2D(target, { side: DEFAULT_LATTICE_SIDE, include: xs });
  const p = targetOnLattice2D(target, l);
  const q = pushForward2D(l, xs, 2, nodes);
  const ctx: Lattice2DContext = { pSingular: false, qSingular: q.singular };
  const w1 = wasserstein1OnLattice(l, p.mass, q.mass, W1_SIDE).value;
  const all = latticeDivergences2D(p, q, w1, ctx);
  const centres = cellCentres(l);
  const loss = trainer.loss;
  const probe = new AlignmentProbe(trainer);
  const timed: [string, () => unknown][] = [
    [`generator on the ${nodes.count}² nodes of the 256² latent lattice, bilinear between them`, () => nodes.expand(trainer.generate(nodes.latent))],
    ['binning: q by cloud-in-cell of the 65,536 points on the 128² lattice', () => pushForward2D(l, xs, 2, nodes)],
    ['every divergence from the cell masses', () => latticeDivergences2D(p, q, w1, ctx)],
    ['optimal discriminator and effective objective', () => [optimalDiscriminator(p.logMass, q.logMass), latticeEffectiveObjective(loss.effective, p, q, all, ctx)]],
    [`W₁: exact transport on the ${W1_SIDE}² lattice, started from the ${W1_SIDE / 2}² optimum (every ${W1_EVERY}th frame; the inspector may start from the last frame's optimum instead, where that tree costs less)`, () => wasserstein1OnLattice(l, p.mass, q.mass, W1_SIDE)],
    ['estimate: the critic on 4,096 real points (at the alignment\'s 4,096 fake ones its forces pass gives the values)', () => trainer.estimateAt(estimateReal, fake, fakeCritic)],
    ['critic on the 16,384 cell centres', () => loss.plotCritic(trainer.criticAt(centres))],
    ['mode coverage of the 65,536 points', () => modeCoverage(target.components, xs)],
    [`alignment: G, the critic's forces (and values) and three generator backward passes from G's forward pass on ${BINNED_SET_SIZE[2].points.toLocaleString('en-US')} latent points (${BINNED_SET_SIZE[2].cells}² cells)`, () => probe.measure()],
    ['lattice refit and p\'s exact cell masses (only when G leaves the lattice)', () => targetOnLattice2D(target, createLattice2D(target, { side: DEFAULT_LATTICE_SIDE, include: xs }))],
  ];
  return timed.map(([phase, f]) => ({ phase, ms: repeatedMs(frames, f) }));
}

/** Steps/s over `seconds`, with timed snapshots paced as the worker paces them (../training/snapshotPacing). */
function trainingRate(trainer: TrainingEngine, inspector: RunInspector | undefined, seconds: number): { stepsPerSecond: number; snapshotsPerSecond: number } {
  const pacing = new SnapshotPacing();
  const started = performance.now();
  const first = trainer.step;
  let last = started;
  let snapshots = 0;
  let now = started;
  while (now - started < seconds * 1000) {
    trainer.trainStep();
    now = performance.now();
    if (inspector && now - last >= pacing.interval(PANEL_SNAPSHOTS_PER_SECOND)) {
      last = now;
      inspector.snapshot(ARGS);
      snapshots++;
      now = performance.now();
      pacing.took(now - last);
    }
  }
  const elapsed = (now - started) / 1000;
  return { stepsPerSecond: (trainer.step - first) / elapsed, snapshotsPerSecond: snapshots / elapsed };
}

const jsdOf = (s: Snapshot): number => s.metrics.jsd;

export function measurePlaneFrames(tf: Tf, frames: number, trainedSteps: number): PlaneFrameCost {
  const config = CONFIGS.find((c) => c.name === 'ring')!;
  const definition = throughputDefinition(config, 1);
  // The training run, and the snapshot thread's copy of it on one kernel thread: the same
  // weights, since a run's results do not depend on its thread count.
  const trainer = createEngine(tf, definition, 'auto');
  const copy = createEngine(tf, definition, 'auto', undefined, 1);
  for (let i = 0; i < trainedSteps; i++) {
    trainer.trainStep();
    copy.trainStep();
  }
  const target = copy.target;
  if (target.dataDim !== 2) throw new Error('the ring is a 2-D target');
  const endToEnd = (engine: TrainingEngine): Spread => {
    const inspector = new RunInspector(engine, { gridSize: 512, latentSamples: 20000 });
    for (let i = 0; i < W1_EVERY; i++) inspector.snapshot(ARGS);
    // The run trains between snapshots (untimed), as it does live, so that W₁'s warm start and
    // the lattice's refits do their real work; each figure is the mean over W1_EVERY consecutive
    // snapshots, so that W₁ counts at its real share.
    const cycles = Array.from({ length: Math.ceil(frames / W1_EVERY) }, () => {
      let ms = 0;
      for (let i = 0; i < W1_EVERY; i++) {
        for (let k = 0; k < STEPS_BETWEEN_SNAPSHOTS; k++) engine.trainStep();
        ms += timeOf(() => inspector.snapshot(ARGS));
      }
      return ms / W1_EVERY;
    });
    return spread(cycles);
  };
  const snapshotMs = endToEnd(copy);
  const trainingThreadSnapshot = { threads: trainer.threads, ms: endToEnd(trainer) };
  const split = phases(copy, target.target, frames);
  const inspector = new RunInspector(copy, { gridSize: 512, latentSamples: 20000 });
  const smallSide = DEFAULT_LATENT_SIDE / 2;
  const small = new RunInspector(copy, { gridSize: 512, latentSamples: 20000, latentSide: smallSide });
  const smallerLatent = {
    latentSide: smallSide,
    snapshotMs: repeatedMs(Math.ceil(frames / W1_EVERY) * W1_EVERY, () => small.snapshot(ARGS)).median,
    jsd: jsdOf(small.snapshot(ARGS)),
    defaultJsd: jsdOf(inspector.snapshot(ARGS)),
  };
  copy.dispose();
  const tfjsGeneratorMs = tfjsGenerator(tf, definition);
  // Snapshot thread off: training and snapshots take turns on the training run's thread. Alone
  // and with snapshots alternate, so that a change in the machine's speed meanwhile (two kernel
  // threads here run at one of two speeds for seconds at a time) falls on both alike.
  const withInspector = new RunInspector(trainer, { gridSize: 512, latentSamples: 20000 });
  const rounds = Array.from({ length: 5 }, () => [trainingRate(trainer, undefined, 1), trainingRate(trainer, withInspector, 1)] as const);
  const median = (xs: number[]): number => spread(xs).median;
  const alone = median(rounds.map(([a]) => a.stepsPerSecond));
  const withSnapshots = { stepsPerSecond: median(rounds.map(([, w]) => w.stepsPerSecond)), snapshotsPerSecond: median(rounds.map(([, w]) => w.snapshotsPerSecond)) };
  trainer.dispose();
  return {
    engine: trainer.name, trainedSteps, latticeSide: DEFAULT_LATTICE_SIDE, latentSide: DEFAULT_LATENT_SIDE,
    snapshotMs, stepsBetween: STEPS_BETWEEN_SNAPSHOTS, trainingThreadSnapshot, phases: split, tfjsGeneratorMs, smallerLatent,
    training: { alone, withSnapshots: withSnapshots.stepsPerSecond, snapshotsPerSecond: withSnapshots.snapshotsPerSecond },
  };
}

/** The same generator on tfjs: its cost does not depend on the weights, so fresh ones do. */
function tfjsGenerator(tf: Tf, definition: GanDefinition): number {
  const other = engineNamed(tf, definition, 'tfjs');
  const latent = new LatentNodes(DEFAULT_LATENT_SIDE).latent;
  const ms = repeatedMs(5, () => other.generate(latent)).median;
  other.dispose();
  return ms;
}

export function planeFrameLine(c: PlaneFrameCost): string {
  const g = c.phases[0]!.ms.median;
  return `snapshot ${c.snapshotMs.median.toFixed(1)} ms (${c.engine} engine; generator ${g.toFixed(1)} ms, tfjs generator ${c.tfjsGeneratorMs.toFixed(1)} ms); `
    + `training ${c.training.alone.toFixed(0)} → ${c.training.withSnapshots.toFixed(0)} steps/s at ${c.training.snapshotsPerSecond.toFixed(1)} snapshots/s`;
}
