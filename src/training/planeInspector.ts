/**
 * The 2-D view of a snapshot (theory.md §7): p's exact cell masses on a lattice over the
 * target and the generator's points; q by push-forward of the latent quantile lattice spread by
 * cloud-in-cell (Monte Carlo for latentDim > 2; a curve, reported singular, for latentDim 1);
 * every divergence from the cell masses in log space, singular pairs exactly; W₁ by exact
 * transport on a coarser lattice every few frames; the critic at the cell centres next to the
 * optimal critic; the critic's estimate by quadrature (real points weighing P exactly, fake
 * points at G of a latent quantile lattice); mode coverage for mixture targets.
 */
import { optimalCritic, optimalDiscriminator } from '../core/critic';
import { sampleTarget2D, targetQuadraturePoints2D } from '../core/dataTarget';
import { F_DIVERGENCES, type FDivergence, type FDivergenceName } from '../core/divergences';
import {
  latticeContributions, latticeDivergences2D, latticeEffectiveObjective, latticeFDivergence, massWhereQEmpty, SINGULAR_NOTES, singularCase, type Lattice2DContext,
} from '../core/divergences2d';
import { clampResolution } from '../core/planeResolution';
import { cellCentre, createLattice2D, latticeContains, type Lattice, type LatticeMasses } from '../core/lattice';
import { modeCoverage } from '../core/modeCoverage';
import { fixedLatentSet, LatentNodes, pushForward2D } from '../core/pushForward2d';
import { createRng } from '../core/rng';
import { mixtureCells, targetOnLattice2D } from '../core/targetCells2d';
import { createTarget2D, isPositiveDefinite, pointsOnSegment, type Gaussian2D, type Target2D } from '../core/targets2d';
import { LatticeTransport } from '../core/transport';
import type { PlaneAxis, PlaneSnapshot, PlaneWasserstein, RunSettings } from '../protocol';
import type { TrainingEngine } from './engine';
import type { InspectorView, ViewFrame } from './inspectorView';
import { interpolationForces } from '../core/sampleGradients';
import { scaledFloat32 } from '../core/arrayLoops';
import { AlignmentProbe } from './alignment';

/** Target points of the quadrature set for the critic's estimate (its fake points are the alignment's set). */
const ESTIMATE_POINTS = 4096;
/** Generated points sent for a scatter (a 32² sub-lattice), target points drawn once for one, and generated points with their forces (16²). */
const SCATTER_POINTS = 32 * 32;
const REAL_POINTS = 512;
const FORCE_POINTS = 16 * 16;
/** Cells per side of the lattice W₁ is solved on, and how many frames one W₁ serves. */
export const W1_SIDE = 32;
export const W1_EVERY = 4;

function axisOf(l: Lattice, k: 0 | 1): PlaneAxis {
  const a = l.axes[k]!;
  return { lo: a.lo, hi: a.hi, count: a.count };
}

/**
 * Indices of `count` of n points spread over them: for the points of an m × m latent lattice
 * (`side` m), the √count² sub-lattice nearest the quantiles (s + ½)/√count; else every
 * (n/count)-th, which spreads quantiles along a curve and is any subset of a random sample.
 */
function spreadIndices(n: number, count: number, side?: number): Int32Array {
  if (side === undefined) {
    const c = Math.min(count, n);
    return Int32Array.from({ length: c }, (_, s) => Math.floor(((s + 0.5) * n) / c));
  }
  const c = Math.min(Math.round(Math.sqrt(count)), side);
  const at = Int32Array.from({ length: c }, (_, s) => Math.floor(((s + 0.5) * side) / c));
  return Int32Array.from({ length: c * c }, (_, k) => at[k % c]! + side * at[Math.floor(k / c)]!);
}

function gather(xs: Float32Array, indices: Int32Array): Float32Array {
  const out = new Float32Array(2 * indices.length);
  for (let k = 0; k < indices.length; k++) {
    out[2 * k] = xs[2 * indices[k]!]!;
    out[2 * k + 1] = xs[2 * indices[k]! + 1]!;
  }
  return out;
}

function cellCentres(l: Lattice): Float32Array {
  const [ax, ay] = l.axes;
  const out = new Float32Array(2 * l.size);
  for (let j = 0; j < ay!.count; j++) {
    for (let i = 0; i < ax!.count; i++) {
      out[2 * (i + ax!.count * j)] = cellCentre(ax!, i);
      out[2 * (i + ax!.count * j) + 1] = cellCentre(ay!, j);
    }
  }
  return out;
}

/** Mean and covariance [a, b, c] of equally weighted points. */
function moments(xs: Float32Array): { mean: [number, number]; cov: [number, number, number] } {
  const n = xs.length / 2;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[2 * i]!;
    my += xs[2 * i + 1]!;
  }
  mx /= n;
  my /= n;
  let a = 0;
  let b = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[2 * i]! - mx;
    const dy = xs[2 * i + 1]! - my;
    a += dx * dx;
    b += dx * dy;
    c += dy * dy;
  }
  return { mean: [mx, my], cov: [a / n, b / n, c / n] };
}

export class PlaneInspector implements InspectorView {
  private lattice!: Lattice;
  private centres!: Float32Array;
  private pMasses!: LatticeMasses;
  private readonly side: number;
  /** Where G is evaluated: the latent lattice's nodes for a 2-D latent, else the m² points themselves. */
  private readonly latent: Float32Array;
  private readonly nodes: LatentNodes | undefined;
  private readonly estimateReal: Float32Array;
  private readonly scatter: Int32Array;
  private readonly forced: Int32Array;
  private readonly realSamples: Float32Array;
  private frames = 0;
  private w1: { value: number; info: PlaneWasserstein } | undefined;
  /** W₁'s transport: each solve may start from the last optimum (transport.ts). */
  private readonly transport = new LatticeTransport();
  private readonly alignment: AlignmentProbe;

  constructor(private readonly trainer: TrainingEngine, private readonly target: Target2D, settings: Pick<RunSettings, 'latticeSide' | 'latentSide'>) {
    this.side = clampResolution('latticeSide', settings.latticeSide);
    const m = clampResolution('latentSide', settings.latentSide);
    const d = trainer.latentDim;
    // latentDim 2: the quantile lattice through its nodes; 1: m² quantiles along the curve; more: a fixed sample, so q does not flicker.
    this.nodes = d === 2 ? new LatentNodes(m) : undefined;
    this.latent = this.nodes?.latent ?? fixedLatentSet(m * m, d, trainer.definition.seed ^ 0x5eed);
    this.estimateReal = Float32Array.from(targetQuadraturePoints2D(target, ESTIMATE_POINTS));
    const side = this.nodes ? m : undefined;
    this.scatter = spreadIndices(m * m, SCATTER_POINTS, side);
    this.forced = spreadIndices(m * m, FORCE_POINTS, side);
    this.realSamples = Float32Array.from(sampleTarget2D(target, createRng(trainer.definition.seed ^ 0x7ea1), REAL_POINTS));
    this.alignment = new AlignmentProbe(trainer);
    this.fitLattice(this.generated());
  }

  /** G at the m² points of q's latent set (bilinear between the nodes for a 2-D latent), row-major [m², 2]. */
  private generated(): Float32Array {
    const atLatent = this.trainer.generate(this.latent);
    return this.nodes ? this.nodes.expand(atLatent) : atLatent;
  }

  /** Refits the lattice when the generator leaves it or has contracted to under half of it, as the 1-D grid does. */
  private fitLattice(xs: Float32Array): void {
    if (this.lattice && latticeContains(this.lattice, xs)) return;
    this.lattice = createLattice2D(this.target, { side: this.side, include: xs });
    this.centres = cellCentres(this.lattice);
    this.pMasses = targetOnLattice2D(this.target, this.lattice);
    this.w1 = undefined;
  }

  frame(): ViewFrame {
    const trainer = this.trainer;
    const loss = trainer.loss;
    const xs = this.generated();
    this.fitLattice(xs);
    const l = this.lattice;
    const gaussian = this.affineGaussian();
    // The affine generator's q is exactly Gaussian: its cell masses are computed as p's are, tails included.
    const q = gaussian
      ? { ...mixtureCells(l, [gaussian]), estimator: 'exact Gaussian cell masses (affine generator: q = N(μ, AAᵀ))', singular: false }
      : pushForward2D(l, xs, trainer.latentDim, this.nodes);
    const p = this.pMasses;
    const target = this.target;
    const pPrecisions = target.kind === 'mixture' ? target.components.map((g) => g.precision) : undefined;
    const ctx: Lattice2DContext = {
      pSingular: target.kind === 'segment',
      qSingular: q.singular,
      qEmptyUnknown: !gaussian && !q.singular,
      // Two curves: mutually singular unless G's curve runs along the segment (theory.md §7's parallel lines).
      ...(target.kind === 'segment' && q.singular ? { curvesDisjoint: pointsOnSegment(target.from, target.to, xs) < 2 } : {}),
      ...(pPrecisions && gaussian ? { tails: { p: pPrecisions, q: [gaussian.precision] } } : {}),
    };
    const w1 = this.wasserstein1(l, p, q);
    const all = latticeDivergences2D(p, q, w1.value, ctx);
    const a = loss.analytic;
    const catalog = a.kind === 'f' && (F_DIVERGENCES as Record<string, FDivergence>)[a.divergence.name] === a.divergence;
    const analytic = a.kind === 'jsd' ? all.jsd
      : a.kind === 'wasserstein1' ? all.wasserstein1
        : catalog ? all[a.divergence.name as FDivergenceName] : latticeFDivergence(a.divergence, p, q, ctx);
    const singular = singularCase(ctx);
    const optimal = singular !== 'none' ? new Float64Array(0)
      : loss.criticOutput === 'discriminator' ? optimalDiscriminator(p.logMass, q.logMass)
        : loss.criticOutput === 'fgan' && a.kind === 'f' ? optimalCritic(a.divergence, p.logMass, q.logMass)
          : new Float64Array(0);
    const effective = latticeEffectiveObjective(loss.effective, p, q, all, ctx, a.kind === 'f' ? a.divergence : undefined);
    const aligned = this.alignment.measure();
    const estimate = trainer.estimateAt(this.estimateReal, aligned.xs, aligned.criticValues);
    const [ax, ay] = l.axes;
    const area = ax!.width * ay!.width;
    const { mean, cov } = moments(xs);
    const samples = gather(xs, this.scatter);
    const coverage = target.kind === 'mixture' ? modeCoverage(target.components, xs) : undefined;
    const estimated = a.kind === 'jsd' ? F_DIVERGENCES.jensen_shannon : a.kind === 'f' ? a.divergence : undefined;
    const contribution = estimated && latticeContributions(estimated, p, q, ctx);
    const contributionScale = (a.kind === 'jsd' ? 0.5 : 1) / area;
    const forcePoints = gather(xs, this.forced);
    const force = trainer.sampleForces(forcePoints);
    const forces = new Float32Array(2 * forcePoints.length);
    for (let k = 0; k < forcePoints.length / 2; k++) {
      forces[4 * k] = forcePoints[2 * k]!;
      forces[4 * k + 1] = forcePoints[2 * k + 1]!;
      forces[4 * k + 2] = force[2 * k]!;
      forces[4 * k + 3] = force[2 * k + 1]!;
    }
    const phi = aligned.divergencePhi;
    const plane: PlaneSnapshot = {
      x: axisOf(l, 0),
      y: axisOf(l, 1),
      p: scaledFloat32(p.mass, 1 / area),
      q: scaledFloat32(q.mass, 1 / area),
      critic: trainer.plottedCriticAt(this.centres),
      optimalCritic: scaledFloat32(optimal, 1),
      samples,
      realSamples: this.realSamples.slice(),
      forces,
      exactForces: phi ? interpolationForces(aligned.bins.lattice, forcePoints, phi) : new Float32Array(0),
      contribution: contribution ? scaledFloat32(contribution, contributionScale) : new Float32Array(0),
      unresolvedMass: ctx.qEmptyUnknown ? massWhereQEmpty(p, q) : 0,
      generatorMean: mean,
      generatorCov: cov,
      singular,
      singularNote: SINGULAR_NOTES[singular],
      ...(coverage && target.kind === 'mixture' ? {
        modes: {
          covered: coverage.coveredCount,
          of: coverage.covered.length,
          massNear: Float32Array.from(coverage.massNear),
          weights: Float32Array.from(target.components, (g) => g.weight),
          means: Float32Array.from(target.components.flatMap((g) => g.mean)),
        },
      } : {}),
      wasserstein1: w1.info,
    };
    this.frames++;
    // Separate empty arrays: their buffers are transferred to the host one by one.
    const empty = () => new Float32Array(0);
    return {
      analytic, estimate, effective, divergences: all,
      alignment: aligned.metrics,
      qEstimator: q.estimator,
      generatorMean: NaN, generatorStd: NaN,
      x: empty(), p: empty(), q: empty(), critic: empty(), optimalCritic: empty(),
      plane,
    };
  }

  /** q = N(μ, AAᵀ) exactly for the affine generator with a 2-D latent; undefined otherwise or when AAᵀ is singular. */
  private affineGaussian(): Gaussian2D | undefined {
    if (this.trainer.definition.generator.kind !== 'affine' || this.trainer.latentDim !== 2) return undefined;
    const values = this.trainer.generatorParameters();
    // μ (2), then A row-major (4).
    const [a11, a12, a21, a22] = [values[2]!, values[3]!, values[4]!, values[5]!];
    const a = a11 * a11 + a12 * a12;
    const b = a11 * a21 + a12 * a22;
    const c = a21 * a21 + a22 * a22;
    if (!isPositiveDefinite({ a, b, c })) return undefined;
    const target = createTarget2D({ kind: 'mixture', components: [{ weight: 1, mean: [values[0]!, values[1]!], cov: [[a, b], [b, c]] }] });
    return target.kind === 'mixture' ? target.components[0] : undefined;
  }

  /** W₁ on a W1_SIDE² lattice, recomputed every W1_EVERY frames (and whenever the lattice moved). */
  private wasserstein1(l: Lattice, p: LatticeMasses, q: LatticeMasses): { value: number; info: PlaneWasserstein } {
    if (this.w1 && this.frames % W1_EVERY !== 0) return this.w1;
    const side = Math.min(W1_SIDE, l.axes[0]!.count);
    const r = this.transport.solve(l, p.mass, q.mass, side);
    this.w1 = { value: r.value, info: { side: r.side, step: this.trainer.step, coarseningBound: r.coarseningBound } };
    return this.w1;
  }
}
