/**
 * The catalog's divergences between P and Q from their cell masses on a 2-D lattice
 * (theory.md §7), and the same lattice seen as a flat 1-D grid of unit cells so that the
 * 1-D critic estimates and effective objectives (critic.ts, objectives.ts) apply unchanged:
 * with dx = 1 and log masses for log densities, Σ dx·q f(p/q) is Σ Q_i f(P_i/Q_i).
 *
 * Infinite values come from the cells (Q_i = 0 where P_i > 0, …), from the Gaussian tails
 * (tails2d.ts), or from singularity. When one of P, Q lives on a curve and the other has a
 * density they are mutually singular and D_f = f(0⁺) + lim f(u)/u exactly (JSD = log 2,
 * KL = ∞, TV = 1): that value is reported, never the binned sum, which depends on the cell size.
 */
import { cellNodes, NODES_PER_PIECE } from './cellNodes';
import { F_DIVERGENCE_NAMES, F_DIVERGENCES, type DivergenceName, type DivergenceValues, type FDivergence } from './divergences';
import type { Grid, GridDensity } from './grid';
import type { LatticeMasses } from './lattice';
import { EFFECTIVE_OBJECTIVES, type EffectiveObjectiveKind } from './objectives';
import { tailsDiverge2D } from './tails2d';
import type { Sym2 } from './targets2d';
import type { SingularCase } from './singularCases';


/** What decides the answer beyond the cells. */
export interface Lattice2DContext {
  /** P (resp. Q) lives on a curve: no density in ℝ². */
  readonly pSingular?: boolean;
  readonly qSingular?: boolean;
  /** Both singular: whether their curves share no piece of positive length (then still mutually singular). */
  readonly curvesDisjoint?: boolean;
  /** Precisions of the Gaussian components of P and Q where both are Gaussian mixtures; tails then decide the χ² infinities. */
  readonly tails?: { readonly p: readonly Sym2[]; readonly q: readonly Sym2[] };
  /**
   * Q's masses are a push-forward estimate whose empty cells mean "too little for the latent
   * lattice to reach", not zero. A divergence whose terms there would be infinite (Q → 0 under
   * P > 0: KL(P‖Q), Pearson χ²) is then not decided by the cells: it is reported as NaN, never
   * as the ∞ that every generator would otherwise get.
   */
  readonly qEmptyUnknown?: boolean;
}

export { SINGULAR_CASES, type SingularCase } from './singularCases';

export function singularCase(ctx: Lattice2DContext): SingularCase {
  if (ctx.pSingular && ctx.qSingular) return ctx.curvesDisjoint ? 'disjoint-curves' : 'both-singular';
  if (ctx.qSingular) return 'q-singular';
  if (ctx.pSingular) return 'p-singular';
  return 'none';
}

export const SINGULAR_NOTES: Readonly<Record<SingularCase, string>> = {
  'none': '',
  'q-singular': 'q is supported on a curve: P and Q are mutually singular (exact values, not binned)',
  'p-singular': 'p is supported on a curve: P and Q are mutually singular (exact values, not binned)',
  'disjoint-curves': 'p and q lie on curves that share no piece: P and Q are mutually singular (exact values, not binned)',
  'both-singular': 'p and q lie on curves that overlap: f-divergences depend on how they coincide and are not computed',
};

/** D_f of two mutually singular distributions: Q·f(0⁺) + P·lim f(u)/u. */
export const mutuallySingularValue = (d: FDivergence): number => d.tail.f0 + d.tail.slopeAtInfinity;

const noTails = { lower: null, upper: null } as const;

/**
 * n cells of unit width, each with the 1-D code's quadrature nodes. A density constant in each
 * cell (its mass) makes the node sums of analytic.ts, critic.ts and objectives.ts the plain cell
 * sums Σ Q_i f(P_i/Q_i) over the lattice.
 */
function unitGrid(n: number): Grid {
  // The same n every frame of a run: built once.
  let grid = unitGrids.get(n);
  if (!grid) {
    if (unitGrids.size >= 4) unitGrids.clear();
    grid = { x: Float64Array.from({ length: n }, (_, i) => i), lo: 0, hi: n - 1, dx: 1, nodes: cellNodes(-0.5, 1, n, []) };
    unitGrids.set(n, grid);
  }
  return grid;
}
const unitGrids = new Map<number, Grid>();

function gridDensity(grid: Grid, logMass: Float64Array, logOutside: number): GridDensity {
  // Built on first use: most objectives read the cell sums of the divergences, not the nodes (4 per cell).
  let logNodeDensity: Float64Array | undefined;
  const nodeDensities = (): Float64Array => {
    const { pieceCell } = grid.nodes;
    const out = new Float64Array(grid.nodes.x.length);
    for (let j = 0; j < out.length; j++) out[j] = logMass[pieceCell[Math.floor(j / NODES_PER_PIECE)]];
    return out;
  };
  return {
    logMass,
    logDensity: logMass,
    get logNodeDensity() {
      return (logNodeDensity ??= nodeDensities());
    },
    logDensityIn: (cell) => logMass[cell],
    outsideMass: Math.exp(logOutside),
    logMassBelow: logOutside,
    logMassAbove: -Infinity,
    cdfIntegralBelow: NaN,
    survivalIntegralAbove: NaN,
    tails: noTails,
  };
}

/** The lattice as 1-D unit cells for critic.ts and objectives.ts. */
export interface UnitCells {
  readonly grid: Grid;
  readonly p: GridDensity;
  readonly q: GridDensity;
}

/**
 * P and Q as unit cells. Mutually singular P and Q become disjoint: every cell keeps Q's mass
 * and P's mass moves to one extra cell where Q has none, which is exactly what singularity means
 * to every functional of p/q.
 */
export function unitCells(p: LatticeMasses, q: LatticeMasses, ctx: Lattice2DContext = {}): UnitCells {
  const disjoint = singularCase(ctx) === 'q-singular' || singularCase(ctx) === 'p-singular';
  const n = p.logMass.length + (disjoint ? 1 : 0);
  const grid = unitGrid(n);
  if (!disjoint) return { grid, p: gridDensity(grid, p.logMass, p.logOutsideMass), q: gridDensity(grid, q.logMass, q.logOutsideMass) };
  const lp = new Float64Array(n).fill(-Infinity);
  const lq = new Float64Array(n).fill(-Infinity);
  lp[n - 1] = 0;
  lq.set(q.logMass);
  return { grid, p: gridDensity(grid, lp, -Infinity), q: gridDensity(grid, lq, q.logOutsideMass) };
}

/** Whether P has mass in a cell (or outside the lattice) where Q has none: massWhereQEmpty > 0, stopping at the first. */
function pMassWhereQEmpty(p: LatticeMasses, q: LatticeMasses): boolean {
  if (q.logOutsideMass === -Infinity && Math.exp(p.logOutsideMass) > 0) return true;
  for (let i = 0; i < p.logMass.length; i++) if (q.logMass[i] === -Infinity && Math.exp(p.logMass[i]!) > 0) return true;
  return false;
}

/**
 * Over the lattice's cells where Q has none (the outside cell left out): P's mass there, and
 * how many of them P reaches (log mass above −∞, even where the mass underflows to 0).
 */
function pInCellsWhereQEmpty(p: LatticeMasses, q: LatticeMasses): { mass: number; cells: number } {
  let mass = 0;
  let cells = 0;
  for (let i = 0; i < p.logMass.length; i++) {
    if (q.logMass[i] === -Infinity && p.logMass[i] !== -Infinity) {
      mass += p.mass[i]!;
      cells++;
    }
  }
  return { mass, cells };
}

/** P's mass in the cells (and outside the lattice) where Q has none. */
export function massWhereQEmpty(p: LatticeMasses, q: LatticeMasses): number {
  return (q.logOutsideMass === -Infinity ? Math.exp(p.logOutsideMass) : 0) + pInCellsWhereQEmpty(p, q).mass;
}

/**
 * One f-divergence from lattice masses: exact for singular pairs, ∞ from tails or cells, NaN
 * when only unresolved empty cells would make it infinite, else Σ Q_i f(P_i/Q_i) plus the outside cell.
 */
export function latticeFDivergence(d: FDivergence, p: LatticeMasses, q: LatticeMasses, ctx: Lattice2DContext = {}): number {
  return fDivergenceOnCells(d, p, q, ctx);
}

/** latticeFDivergence, given the sum over Q's empty cells when the caller has it (every divergence of a frame shares one). */
function fDivergenceOnCells(d: FDivergence, p: LatticeMasses, q: LatticeMasses, ctx: Lattice2DContext, emptyCells?: { mass: number; cells: number }): number {
  const singular = singularCase(ctx);
  if (singular === 'both-singular') return NaN;
  if (singular !== 'none') return mutuallySingularValue(d);
  if (ctx.tails && tailsDiverge2D(d.tail, ctx.tails.p, ctx.tails.q)) return Infinity;
  if (ctx.qEmptyUnknown && d.tail.slopeAtInfinity === Infinity && pMassWhereQEmpty(p, q)) return NaN;
  // Σ Q_i f(P_i/Q_i) over the cells and the outside: q·f(p/q) is homogeneous of degree one, so masses serve as densities.
  const lp = p.logMass;
  const lq = q.logMass;
  let sum = d.integrand(p.logOutsideMass, q.logOutsideMass);
  for (let i = 0; i < lp.length; i++) if (lq[i] !== -Infinity) sum += d.integrand(lp[i], lq[i]);
  // Where Q is empty the integrand is P_i·f′(∞) (tail.slopeAtInfinity, every divergence's own limit): P is summed
  // over those cells and multiplied once, since a live q leaves most cells of the lattice empty.
  const slope = d.tail.slopeAtInfinity;
  const empty = emptyCells ?? pInCellsWhereQEmpty(p, q);
  return empty.cells > 0 && slope !== 0 ? sum + (slope === Infinity ? Infinity : slope * empty.mass) : sum;
}

/**
 * Each cell's term Q_i f(P_i/Q_i) of latticeFDivergence's sum (the outside cell left out), or
 * undefined where no such sum is the divergence (singular pairs).
 */
export function latticeContributions(d: FDivergence, p: LatticeMasses, q: LatticeMasses, ctx: Lattice2DContext = {}): Float64Array | undefined {
  if (singularCase(ctx) !== 'none') return undefined;
  const out = new Float64Array(p.logMass.length);
  for (let i = 0; i < out.length; i++) out[i] = d.integrand(p.logMass[i]!, q.logMass[i]!);
  return out;
}

/** Every divergence of the catalog; W₁ is the caller's (transport.ts), since it costs far more than the rest. */
export function latticeDivergences2D(p: LatticeMasses, q: LatticeMasses, wasserstein1: number, ctx: Lattice2DContext = {}): DivergenceValues {
  const values = {} as Record<DivergenceName, number>;
  // One sum over the cells Q leaves empty serves every divergence.
  const empty = pInCellsWhereQEmpty(p, q);
  for (const name of F_DIVERGENCE_NAMES) values[name] = fDivergenceOnCells(F_DIVERGENCES[name], p, q, ctx, empty);
  values.jsd = values.jensen_shannon / 2;
  values.wasserstein1 = wasserstein1;
  return values;
}

/**
 * The analytic value of what a generator loss of `kind` descends, from lattice masses.
 * The saturating f-GAN objective goes through latticeFDivergence so that tails and singularity decide it too.
 */
export function latticeEffectiveObjective(
  kind: EffectiveObjectiveKind, p: LatticeMasses, q: LatticeMasses, divergences: DivergenceValues, ctx: Lattice2DContext = {}, divergence?: FDivergence,
): number {
  if (kind === 'fganSaturating') {
    if (!divergence) throw new TypeError('the fganSaturating objective needs the f-divergence');
    return latticeFDivergence(divergence, p, q, ctx);
  }
  if (singularCase(ctx) === 'both-singular' && EFFECTIVE_OBJECTIVES[kind].isDivergence && kind !== 'wgan') return NaN;
  return EFFECTIVE_OBJECTIVES[kind].value({ ...unitCells(p, q, ctx), divergences, divergence });
}
