/**
 * The 1-D view of a snapshot: q by push-forward of latent quantiles (or KDE for a latent of
 * higher dimension), the critic on the plotting grid, the analytic divergences between p and q
 * (on the nodes inside the grid's cells, core/analytic.ts), and the critic's estimate by
 * quadrature — real points at the target's quantiles, which weigh every target by its exact
 * probability, jumps included, and fake points at the generator's image of latent quantiles —
 * so the curve is steady (no minibatch noise) for every loss, custom ones included.
 */
import { analyticDivergences, analyticFDivergence } from '../core/analytic';
import { optimalCritic, optimalDiscriminator } from '../core/critic';
import type { Density1D } from '../core/targets';
import { F_DIVERGENCES, type FDivergence, type FDivergenceName } from '../core/divergences';
import { targetOnGrid, type Grid, type GridDensity } from '../core/grid';
import { kdeDensity, pushForwardDensity, type GeneratorDensity } from '../core/generatorDensity';
import { fixedLatentSet } from '../core/pushForward2d';
import { effectiveObjective } from '../core/objectives';
import { gridBins, gridLattice } from '../core/latticeBins';
import { WASSERSTEIN1 } from '../core/firstVariation';
import type { GeneratorMap, LineForces, RunSettings } from '../protocol';
import { AlignmentProbe } from './alignment';
import { refitGrid } from './binnedLatentSet';
import type { TrainingEngine } from './engine';
import type { InspectorView, ViewFrame } from './inspectorView';

/** Points of each quadrature sample set for the critic's estimate. */
const ESTIMATE_POINTS = 2048;
/** Generated samples the panel draws forces at. */
const FORCE_POINTS = 256;
/** Latent points of the chart of G(z). */
const MAP_POINTS = 512;

/** Target quantiles F⁻¹((i + ½)/n) by bisection on the exact CDF. */
function targetQuantiles(cdf: (x: number) => number, lo: number, hi: number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = (i + 0.5) / n;
    let a = lo;
    let b = hi;
    for (let k = 0; k < 60 && b - a > 1e-12 * (1 + Math.abs(a)); k++) {
      const m = 0.5 * (a + b);
      if (cdf(m) < p) a = m;
      else b = m;
    }
    out[i] = 0.5 * (a + b);
  }
  return out;
}

export class LineInspector implements InspectorView {
  private grid: Grid | undefined;
  private gridX!: Float32Array;
  private pOnGrid!: GridDensity;
  private p!: Float32Array;
  private readonly alignment: AlignmentProbe;
  private readonly latent: Float32Array;
  private readonly estimateReal: Float32Array;
  private readonly estimateIndices: Uint32Array;
  private readonly pushForward: boolean;
  private readonly gridSize: number;

  constructor(private readonly trainer: TrainingEngine, private readonly target: Density1D, settings: Pick<RunSettings, 'gridSize' | 'latentSamples'>) {
    const n = settings.latentSamples;
    const d = trainer.latentDim;
    this.pushForward = d === 1;
    // A sample for latentDim > 1 (q from a kernel density estimate), not a lattice.
    this.latent = fixedLatentSet(n, d, trainer.definition.seed ^ 0x5eed, false);
    this.alignment = new AlignmentProbe(trainer);
    this.gridSize = settings.gridSize;
    this.fitGrid(trainer.generate(this.latent));
    const range = target.range();
    this.estimateReal = targetQuantiles((x) => target.cdf(x), range.lo, range.hi, ESTIMATE_POINTS);
    // Fake points are the generator's values at a subset of the latent points, spread over the
    // whole set: the push-forward's latent points are sorted quantiles, and a subset that
    // stopped short of the end would drop the top of q and bias the estimate.
    const count = Math.min(n, ESTIMATE_POINTS);
    this.estimateIndices = Uint32Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * n) / count));
  }
  /** The grid covers the target and the generator's values (binnedLatentSet.ts's refitGrid says when it is refitted). */
  private fitGrid(xs: Float32Array): void {
    const grid = refitGrid(this.grid, this.target, xs, this.gridSize);
    if (!grid) return;
    this.grid = grid;
    this.pOnGrid = targetOnGrid(this.target, grid);
    this.p = Float32Array.from(this.pOnGrid.logDensity, Math.exp);
    this.gridX = Float32Array.from(grid.x);
  }

  frame(): ViewFrame {
    const trainer = this.trainer;
    const loss = trainer.loss;
    const xs = trainer.generate(this.latent);
    this.fitGrid(xs);
    const grid = this.grid!;
    const estimate = trainer.estimateAt(this.estimateReal, Float32Array.from(this.estimateIndices, (i) => xs[i]!));
    const q: GeneratorDensity = this.pushForward ? pushForwardDensity(grid, xs) : kdeDensity(grid, xs);
    const p = this.pOnGrid;
    const all = analyticDivergences(grid, p, q);
    const a = loss.analytic;
    const catalog = a.kind === 'f' && (F_DIVERGENCES as Record<string, FDivergence>)[a.divergence.name] === a.divergence;
    const analytic = a.kind === 'jsd' ? all.jsd
      : a.kind === 'wasserstein1' ? all.wasserstein1
        : catalog ? all[a.divergence.name as FDivergenceName] : analyticFDivergence(a.divergence, grid, p, q);
    // At the grid points, where the network is evaluated: p there and q's continuation inside its cell.
    const optimal = loss.criticOutput === 'discriminator'
      ? optimalDiscriminator(p.logDensity, q.logDensity)
      : loss.criticOutput === 'fgan' && a.kind === 'f'
        ? optimalCritic(a.divergence, p.logDensity, q.logDensity)
        : loss.criticOutput === 'wasserstein'
          ? kantorovichPotential(grid, p, q)
          : new Float64Array(0);
    const effective = effectiveObjective(loss.effective, { grid: grid, p, q, divergence: a.kind === 'f' ? a.divergence : undefined, divergences: all });
    // On the alignment's own set and its cloud-in-cell q, not the push-forward above (sampleGradients.ts says why).
    const aligned = this.alignment.measure();
    return {
      alignment: aligned.metrics,
      forces: forcesAtSome(aligned.xs, aligned.criticForces, aligned.exactForces),
      ...(this.pushForward ? { generatorMap: mapAtSome(this.latent, xs) } : {}),
      analytic,
      estimate,
      effective,
      divergences: all,
      qEstimator: q.estimator,
      generatorMean: q.mean,
      generatorStd: q.std,
      x: Float32Array.from(grid.x),
      p: Float32Array.from(this.p),
      q: Float32Array.from(q.density),
      critic: trainer.plottedCriticAt(this.gridX),
      optimalCritic: Float32Array.from(optimal),
    };
  }
}

/**
 * The optimal W₁ critic at the grid points: f* = −φ, φ the first variation of W₁ on the grid's
 * cells (theory.md §8), so f*′ = sign(F_Q − F_P) and E_P f* − E_Q f* = W₁; any constant may be added.
 */
function kantorovichPotential(grid: Grid, p: GridDensity, q: GridDensity): Float64Array {
  const lattice = gridLattice(grid);
  const phi = WASSERSTEIN1.firstVariation(lattice, gridBins(p), gridBins(q));
  return Float64Array.from({ length: lattice.size }, (_, k) => -phi[k]!);
}

/** FORCE_POINTS of the samples spread over the set, sorted by x, with their two forces. */
function forcesAtSome(xs: Float32Array, critic: Float32Array, exact: Float32Array | undefined): LineForces {
  const count = Math.min(FORCE_POINTS, xs.length);
  const picked = Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * xs.length) / count)).sort((a, b) => xs[a]! - xs[b]!);
  return {
    x: Float32Array.from(picked, (i) => xs[i]!),
    critic: Float32Array.from(picked, (i) => critic[i]!),
    exact: exact ? Float32Array.from(picked, (i) => exact[i]!) : new Float32Array(0),
  };
}

/** MAP_POINTS of the sorted latent quantiles, both ends included, with G's values there. */
function mapAtSome(z: Float32Array, xs: Float32Array): GeneratorMap {
  const count = Math.min(MAP_POINTS, z.length);
  const picked = Array.from({ length: count }, (_, i) => Math.round((i * (z.length - 1)) / Math.max(1, count - 1)));
  return { z: Float32Array.from(picked, (i) => z[i]!), x: Float32Array.from(picked, (i) => xs[i]!) };
}
