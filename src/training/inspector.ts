/**
 * What a snapshot shows, computed from the live networks: the view of p, q and the critic in
 * the data's dimension (./lineInspector, ./planeInspector) and the scalars every chart plots.
 */
import { getHeapStatistics } from 'node:v8';
import { EFFECTIVE_OBJECTIVES } from '../core/objectives';
import type { DefinitionSummary, RunSettings, ScalarMetrics, Snapshot, SnapshotArgs } from '../protocol';
import type { TrainingEngine } from './engine';
import type { AnalyticTarget } from './losses';
import { lossKey, structureKey } from '../definition/definitionKeys';
import type { InspectorView } from './inspectorView';
import { LineInspector } from './lineInspector';
import { PlaneInspector } from './planeInspector';

export function summarize(trainer: TrainingEngine): DefinitionSummary {
  const loss = trainer.loss;
  const d = trainer.definition;
  return {
    // A WGAN's clip or penalty constrains a critic network; the optimal critic has none.
    lossName: trainer.criticKind !== 'optimal' ? loss.name : `${loss.analytic.kind === 'wasserstein1' ? 'WGAN' : loss.name} · optimal critic`,
    // The optimal critic's bound is the divergence itself on its lattice, whatever a network of this loss would estimate.
    estimating: trainer.criticKind === 'optimal' ? `${analyticLabel(loss.analytic)}, attained by the optimal critic on its lattice` : loss.estimating,
    divergence: analyticName(loss.analytic),
    effectiveObjective: EFFECTIVE_OBJECTIVES[loss.effective].label,
    criticOutput: loss.criticOutput,
    target: trainer.target.description,
    dataDim: trainer.target.dataDim,
    generator: trainer.generatorDescription,
    critic: trainer.criticDescription,
    structureKey: structureKey(d),
    lossKey: lossKey(d),
    ...(loss.criticOutput === 'wasserstein' ? { lipschitz: loss.gradientPenalty !== undefined ? 'gradientPenalty' : 'weightClipping' } as const : {}),
  };
}

function analyticLabel(a: AnalyticTarget): string {
  return a.kind === 'f' ? a.divergence.label : a.kind === 'jsd' ? 'JSD' : 'W₁';
}

function analyticName(a: AnalyticTarget): string {
  return a.kind === 'f' ? a.divergence.name : a.kind;
}

export class RunInspector {
  private readonly view: InspectorView;

  constructor(private readonly trainer: TrainingEngine, settings: Pick<RunSettings, 'gridSize' | 'latentSamples' | 'latticeSide' | 'latentSide'>) {
    const target = trainer.target;
    this.view = target.dataDim === 1 ? new LineInspector(trainer, target.density, settings) : new PlaneInspector(trainer, target.target, settings);
  }

  snapshot(args: SnapshotArgs): Snapshot {
    const trainer = this.trainer;
    const f = this.view.frame();
    const all = f.divergences;
    const s = args.stats;
    const metrics: ScalarMetrics = {
      step: trainer.step,
      analytic: f.analytic,
      estimate: f.estimate,
      minibatchEstimate: s?.minibatchEstimate ?? NaN,
      effective: f.effective,
      criticLoss: s?.criticLoss ?? NaN,
      generatorLoss: s?.generatorLoss ?? NaN,
      criticGradNorm: s?.criticGradNorm ?? NaN,
      generatorGradNorm: s?.generatorGradNorm ?? NaN,
      jsd: all.jsd,
      kl: all.kl,
      reverseKl: all.reverse_kl,
      wasserstein1: all.wasserstein1,
      ...f.alignment,
    };
    return {
      runId: args.runId,
      version: args.version,
      metrics,
      stepsPerSecond: args.stepsPerSecond,
      workerHeapBytes: getHeapStatistics().used_heap_size,
      backend: args.backend,
      engine: trainer.name,
      qEstimator: f.qEstimator,
      dataDim: trainer.target.dataDim,
      generatorMean: f.generatorMean,
      generatorStd: f.generatorStd,
      x: f.x,
      p: f.p,
      q: f.q,
      critic: f.critic,
      optimalCritic: f.optimalCritic,
      ...(f.forces ? { forces: f.forces } : {}),
      ...(f.generatorMap ? { generatorMap: f.generatorMap } : {}),
      ...(f.plane ? { plane: f.plane } : {}),
    };
  }
}
