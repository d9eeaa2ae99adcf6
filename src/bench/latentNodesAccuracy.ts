/**
 * How near q from G at the latent lattice's nodes (bilinear between them, what the 2-D panel
 * shows) lies to q from G at every point of a lattice four times finer per axis, against q
 * from G at every point of the default lattice: the ring run with each generator activation,
 * at several steps of training, JSD on the 128² cells a snapshot would fit (theory.md §7).
 */
import { latticeDivergences2D } from '../core/divergences2d';
import { createLattice2D, DEFAULT_LATTICE_SIDE } from '../core/lattice';
import { DEFAULT_LATENT_SIDE, LatentNodes, latentQuantileLattice, pushForward2D } from '../core/pushForward2d';
import { targetOnLattice2D } from '../core/targetCells2d';
import type { Activation, GanDefinition } from '../definition/types';
import type { Tf } from '../training/backend';
import { createEngine } from '../training/createEngine';
import type { TrainingEngine } from '../training/engine';

export const NODE_ACTIVATIONS: readonly Activation[] = ['leakyRelu', 'relu', 'elu', 'tanh'];

export interface LatentNodesCase {
  readonly activation: Activation;
  readonly step: number;
  readonly nodesJsd: number;
  readonly everyPointJsd: number;
  /** G at every point of the (4·256)² lattice. */
  readonly referenceJsd: number;
}

function jsdThreeWays(trainer: TrainingEngine): Omit<LatentNodesCase, 'activation' | 'step'> {
  const target = trainer.target;
  if (target.dataDim !== 2) throw new Error('the latent nodes are a 2-D matter');
  const nodes = new LatentNodes(DEFAULT_LATENT_SIDE);
  const xs = nodes.expand(trainer.generate(nodes.latent));
  const l = createLattice2D(target.target, { side: DEFAULT_LATTICE_SIDE, include: xs });
  const p = targetOnLattice2D(target.target, l);
  const jsd = (points: Float32Array): number => latticeDivergences2D(p, pushForward2D(l, points, 2), NaN, { qEmptyUnknown: true }).jsd;
  return {
    nodesJsd: jsd(xs),
    everyPointJsd: jsd(trainer.generate(Float32Array.from(latentQuantileLattice(DEFAULT_LATENT_SIDE)))),
    referenceJsd: jsd(trainer.generate(Float32Array.from(latentQuantileLattice(4 * DEFAULT_LATENT_SIDE)))),
  };
}

export function measureLatentNodes(tf: Tf, ring: GanDefinition, steps: readonly number[]): LatentNodesCase[] {
  const generator = ring.generator;
  if (generator.kind !== 'mlp') throw new Error('the latent nodes study varies an MLP generator\'s activation');
  return NODE_ACTIVATIONS.flatMap((activation) => {
    const trainer = createEngine(tf, { ...ring, generator: { ...generator, activation } }, 'auto');
    const cases = steps.map((step) => {
      while (trainer.step < step) trainer.trainStep();
      return { activation, step, ...jsdThreeWays(trainer) };
    });
    trainer.dispose();
    return cases;
  });
}

/** The largest relative errors against the reference, and the largest ratio of the nodes' error to every point's. */
export function latentNodesSummary(cases: readonly LatentNodesCase[]): { nodes: number; everyPoint: number; worstRatio: number } {
  const rel = (v: number, ref: number): number => Math.abs(v - ref) / ref;
  return {
    nodes: Math.max(...cases.map((c) => rel(c.nodesJsd, c.referenceJsd))),
    everyPoint: Math.max(...cases.map((c) => rel(c.everyPointJsd, c.referenceJsd))),
    // Ratios only where every point's error is above rounding (at step 0 both are ~1e-4 alike).
    worstRatio: Math.max(...cases.filter((c) => rel(c.everyPointJsd, c.referenceJsd) > 1e-3).map((c) => rel(c.nodesJsd, c.referenceJsd) / rel(c.everyPointJsd, c.referenceJsd))),
  };
}
