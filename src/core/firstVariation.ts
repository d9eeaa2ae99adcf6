/**
 * Functionals of the generator's binned distribution and their first variations
 * φ_k = ∂D/∂Q_k (theory.md §8): what each sample's gradient comes from once q is binned by
 * cloud-in-cell (sampleGradients.ts). Both work on log masses per bin (latticeBins.ts), P the
 * data and Q the model. Only differences of φ between bins reach a gradient (a sample's weights
 * sum to 1), so an additive constant in φ is immaterial; the values returned are the exact
 * partial derivatives with every Q_k taken as a free variable.
 *
 * For an f-divergence φ = f(r) − r f′(r), r = P_k/Q_k, written in l = log P_k − log Q_k. Where a
 * mass is zero φ is the one-sided limit, which is what adding a little Q there does:
 *  - P_k = 0 (Q_k ≥ 0): φ = f(0⁺) — 0 for KL, +∞ for KL(Q‖P) and Neyman χ² (mass where P has
 *    none makes them infinite), log 2 for 2·JSD, …;
 *  - Q_k = 0 < P_k: φ = lim_{r→∞} (f(r) − r f′(r)) — −∞ for KL, KL(Q‖P), Pearson χ², Hellinger,
 *    2·JSD and the GAN f (their derivative in Q_k is unbounded at 0), −2 for Neyman χ², −½ for TV.
 * A sample whose spread touches a bin with an infinite φ gets a non-finite gradient; the
 * divergence is then infinite or not differentiable there, and the caller reports it undefined.
 */
import { mapPairs } from './arrayLoops';
import { F_DIVERGENCES, type FDivergence, type FDivergenceName } from './divergences';
import type { Lattice } from './lattice';
import { binCount } from './latticeBins';
import type { EffectiveObjectiveKind } from './objectives';
import { LN2, softplus } from './special';
import { LatticeTransport, type LatticeW1 } from './transport';

export interface LatticeFunctional {
  /** What value() computes, e.g. "2·JSD(P‖Q)". */
  readonly label: string;
  /** The functional of the bin masses (log P and log Q per bin); +∞ where it diverges. */
  value(l: Lattice, logP: Float64Array, logQ: Float64Array): number;
  /** φ_k = ∂value/∂Q_k for every bin. */
  firstVariation(l: Lattice, logP: Float64Array, logQ: Float64Array): Float64Array;
  /** The lattice dimensions it is defined on; every dimension when absent. */
  readonly dimensions?: readonly number[];
}

/** log P − log Q, with P = 0 read as l = −∞ whatever Q is (the P_k = 0 limit above). */
export const logRatio = (lp: number, lq: number): number => (lp === -Infinity ? -Infinity : lp - lq);

/** g(logRatio) per bin. */
export const perBin = (logP: Float64Array, logQ: Float64Array, g: (logRatio: number) => number): Float64Array =>
  mapPairs(logP, logQ, (lp, lq) => g(logRatio(lp, lq)));

/** φ(l) for the catalog, in closed forms that stay exact for large |l| (f(r) − r f′(r) computed as written loses digits to cancellation). */
const CATALOG_PHI: Readonly<Record<FDivergenceName, (l: number) => number>> = {
  kl: (l) => -Math.exp(l),
  reverse_kl: (l) => 1 - l,
  pearson: (l) => -Math.expm1(2 * l),
  neyman: (l) => 2 * Math.expm1(-l),
  squared_hellinger: (l) => -Math.expm1(0.5 * l),
  // log 2 + log(1 − D*) (theory.md §8); the GAN f is the same less log 2.
  jensen_shannon: (l) => LN2 - softplus(l),
  gan: (l) => -softplus(l),
  total_variation: (l) => -0.5 * Math.sign(l),
};

/** The catalog's entry when d is one (a custom f shares no name with it). */
function catalogName(d: FDivergence): FDivergenceName | undefined {
  const entry = (F_DIVERGENCES as Record<string, FDivergence>)[d.name];
  return entry === d ? (d.name as FDivergenceName) : undefined;
}

/**
 * φ(l) = f(r) − r f′(r) of an f-divergence. A custom f is evaluated as written, with f(0⁺) from
 * its tail where P = 0; where Q = 0 its limit is not known and φ is NaN.
 */
export function fFirstVariation(d: FDivergence): (l: number) => number {
  const name = catalogName(d);
  if (name !== undefined) return CATALOG_PHI[name];
  return (l) => {
    if (l === -Infinity) return d.tail.f0;
    if (l === Infinity) return NaN;
    const r = Math.exp(l);
    return d.f(r) - r * d.fPrime(r);
  };
}

/** A functional Σ_k term(P_k, Q_k) whose φ depends on l = log P_k − log Q_k alone. */
function pointwise(label: string, term: (lp: number, lq: number) => number, phi: (l: number) => number): LatticeFunctional {
  const check = (l: Lattice, logP: Float64Array, logQ: Float64Array): void => {
    const n = binCount(l);
    if (logP.length !== n || logQ.length !== n) throw new RangeError(`expected ${n} bins for P and Q, got ${logP.length} and ${logQ.length}`);
  };
  return {
    label,
    value(l, logP, logQ) {
      check(l, logP, logQ);
      let sum = 0;
      for (let k = 0; k < logP.length; k++) sum += term(logP[k], logQ[k]);
      return sum;
    },
    firstVariation(l, logP, logQ) {
      check(l, logP, logQ);
      return perBin(logP, logQ, phi);
    },
  };
}

export function fDivergenceFunctional(d: FDivergence): LatticeFunctional {
  return pointwise(d.label, (lp, lq) => d.integrand(lp, lq), fFirstVariation(d));
}

const JS = F_DIVERGENCES.jensen_shannon;
const REVERSE_KL = F_DIVERGENCES.reverse_kl;
const phiJs = CATALOG_PHI.jensen_shannon;

export const JSD_FUNCTIONAL = pointwise('JSD(P‖Q) = ½·(2·JSD)', (lp, lq) => 0.5 * JS.integrand(lp, lq), (l) => 0.5 * phiJs(l));

/**
 * KL(Q‖P) − 2·JSD(P‖Q), what the non-saturating loss descends at D* (theory.md §2).
 * φ = (1 − l) − (log 2 − softplus(l)) = 1 − log 2 + softplus(−l), i.e. −log D* + const, written
 * so that Q = 0 gives its finite limit 1 − log 2 instead of −∞ − (−∞).
 */
export const NON_SATURATING_OBJECTIVE = pointwise(
  'KL(Q‖P) − 2·JSD(P‖Q)',
  (lp, lq) => REVERSE_KL.integrand(lp, lq) - JS.integrand(lp, lq),
  (l) => 1 - LN2 + softplus(-l),
);

function oneAxis(l: Lattice): { count: number; width: number } {
  if (l.axes.length !== 1) throw new RangeError('W₁ by cumulative masses is 1-D only; in 2-D it needs the transport dual (not yet here)');
  return l.axes[0]!;
}

/**
 * Cumulative Q − P along the line at each gap between neighbouring positions: index 0 is the
 * gap from "below" to cell 0, index k + 1 the gap from cell k to cell k + 1 (the last, to "above").
 */
function cumulativeGaps(l: Lattice, logP: Float64Array, logQ: Float64Array): Float64Array {
  const { count } = oneAxis(l);
  if (logP.length !== count + 2 || logQ.length !== count + 2) throw new RangeError(`expected ${count + 2} bins for P and Q`);
  const gaps = new Float64Array(count + 1);
  let delta = Math.exp(logQ[count]) - Math.exp(logP[count]);
  gaps[0] = delta;
  for (let k = 0; k < count; k++) {
    delta += Math.exp(logQ[k]) - Math.exp(logP[k]);
    gaps[k + 1] = delta;
  }
  return gaps;
}

/**
 * 1-D W₁ between the bin masses placed at the cell centres, "below" one cell width left of cell 0
 * and "above" one width right of the last: width·Σ |F_Q − F_P| over the gaps. Its first variation
 * is the Kantorovich potential: φ_j = width·Σ_{gaps right of j} sign(F_Q − F_P), so that
 * φ′(x) = (φ_{j+1} − φ_j)/width = sign(F_P − F_Q) on the gap between them. A sample descending φ
 * moves right where F_Q > F_P (Q's mass lies left of P's) and left where F_Q < F_P; the loss
 * −E_Q[f] of the optimal critic f = −φ is the same force. Ties (F_Q = F_P) take slope 0.
 */
export const WASSERSTEIN1: LatticeFunctional = {
  label: 'W₁(P, Q) between bin masses at the cell centres (1-D)',
  dimensions: [1],
  value(l, logP, logQ) {
    const { width } = oneAxis(l);
    let sum = 0;
    for (const g of cumulativeGaps(l, logP, logQ)) sum += Math.abs(g);
    return width * sum;
  },
  firstVariation(l, logP, logQ) {
    const { count, width } = oneAxis(l);
    const gaps = cumulativeGaps(l, logP, logQ);
    const phi = new Float64Array(count + 2);
    // Walking left from "above" (φ = 0): bin j feels every gap to its right.
    let acc = 0;
    for (let k = count - 1; k >= 0; k--) {
      acc += width * Math.sign(gaps[k + 1]);
      phi[k] = acc;
    }
    phi[count] = acc + width * Math.sign(gaps[0]);
    return phi;
  },
};

/** Cells per side W₁'s transport solves on in 2-D: a 64² solve per step or snapshot costs ~50 ms warm, 32² ~8 ms. */
export const W1_FUNCTIONAL_SIDE = 32;

/**
 * W₁ between the bins' masses at the cell centres in either dimension: in 1-D by cumulative
 * masses (WASSERSTEIN1); in 2-D by exact transport (./transport.ts) between the masses inside
 * the lattice (merged into blocks of at most W1_FUNCTIONAL_SIDE² cells), each normalised to its
 * inside mass, with the Kantorovich potential of the optimal
 * tree as the first variation (envelope theorem: ∂W₁/∂q̃_c = π_c, and the normalisation q̃ = Q/ΣQ
 * turns it into φ_c = (π_c − Σ q̃π)/ΣQ; the outside bin is not transported, φ = 0 there). Each
 * instance keeps its transport, warm-started from its last solve, so consecutive snapshots or
 * steps are cheap; value and φ of the same bins share one solve.
 */
export function wasserstein1Functional(transport = new LatticeTransport()): LatticeFunctional {
  let last: { readonly logP: Float64Array; readonly logQ: Float64Array; readonly r: LatticeW1 } | undefined;
  const solve = (l: Lattice, logP: Float64Array, logQ: Float64Array): LatticeW1 => {
    if (last && last.logP === logP && last.logQ === logQ) return last.r;
    if (logP.length !== binCount(l) || logQ.length !== binCount(l)) throw new RangeError(`expected ${binCount(l)} bins for P and Q`);
    const cells = (log: Float64Array) => Float64Array.from({ length: l.size }, (_, c) => Math.exp(log[c]));
    const r = transport.solve(l, cells(logP), cells(logQ), W1_FUNCTIONAL_SIDE);
    last = { logP, logQ, r };
    return r;
  };
  return {
    label: `W₁(P, Q) between bin masses at the cell centres (2-D: cells merged to at most ${W1_FUNCTIONAL_SIDE}² first)`,
    value(l, logP, logQ) {
      return l.axes.length === 1 ? WASSERSTEIN1.value(l, logP, logQ) : solve(l, logP, logQ).value;
    },
    firstVariation(l, logP, logQ) {
      if (l.axes.length === 1) return WASSERSTEIN1.firstVariation(l, logP, logQ);
      const r = solve(l, logP, logQ);
      // A cell's mass enters through the merged block that holds it: its φ is that block's potential.
      const nx = l.axes[0]!.count;
      const factor = nx / r.side;
      const block = (c: number): number => Math.floor((c % nx) / factor) + r.side * Math.floor(Math.floor(c / nx) / factor);
      const sq = r.insideMass.q;
      let mean = 0;
      for (let c = 0; c < l.size; c++) mean += (Math.exp(logQ[c]) / sq) * r.potentials[block(c)];
      const phi = new Float64Array(binCount(l));
      for (let c = 0; c < l.size; c++) phi[c] = (r.potentials[block(c)] - mean) / sq;
      return phi;
    },
  };
}

/** What a critic estimates, as losses.ts's AnalyticTarget names it. */
export type DivergenceTarget =
  | { readonly kind: 'f'; readonly divergence: FDivergence }
  | { readonly kind: 'jsd' }
  | { readonly kind: 'wasserstein1' };

/** The functional of what a critic estimates; `w1` serves W₁ (one that lives across calls warm-starts its transport). */
export function divergenceFunctional(target: DivergenceTarget, w1: LatticeFunctional = wasserstein1Functional()): LatticeFunctional {
  switch (target.kind) {
    case 'f': return fDivergenceFunctional(target.divergence);
    case 'jsd': return JSD_FUNCTIONAL;
    case 'wasserstein1': return w1;
  }
}

/**
 * What a generator loss descends at its optimal critic (objectives.ts), as a functional, or
 * undefined where no functional is known: least squares, hinge, custom losses, and the
 * non-saturating f-GAN except for KL (→ KL(Q‖P)) and the GAN f (→ the NS objective) — for the
 * other f its pathwise gradient is that of the oracle loss −T* itself (oracleCritic.ts).
 * Minimax gives the GAN f's D_f = 2·JSD − log 4 (same φ as 2·JSD, less log 2).
 */
export function effectiveFunctional(kind: EffectiveObjectiveKind, divergence?: FDivergence, w1: LatticeFunctional = wasserstein1Functional()): LatticeFunctional | undefined {
  const needDivergence = (): FDivergence => {
    if (!divergence) throw new TypeError(`the ${kind} objective needs the f-divergence`);
    return divergence;
  };
  switch (kind) {
    case 'minimax': return fDivergenceFunctional(F_DIVERGENCES.gan);
    case 'nonSaturating': return NON_SATURATING_OBJECTIVE;
    case 'logRatio': return fDivergenceFunctional(REVERSE_KL);
    case 'fganSaturating': return fDivergenceFunctional(needDivergence());
    case 'fganNonSaturating': {
      const name = catalogName(needDivergence());
      return name === 'kl' ? fDivergenceFunctional(REVERSE_KL) : name === 'gan' ? NON_SATURATING_OBJECTIVE : undefined;
    }
    case 'wgan': return w1;
    case 'leastSquares':
    case 'hinge':
    case 'custom':
      return undefined;
  }
}
