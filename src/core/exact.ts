/**
 * Divergences between two analytic densities by adaptive Gauss–Kronrod quadrature over the
 * whole line: the reference the CLI prints and the grid results are checked against.
 * TV comes from the CDFs between the crossings of p and q, W₁ from ∫|F_P − F_Q| split at its
 * zeros, so neither integrates across a kink.
 */
import { F_DIVERGENCES, type DivergenceValues, type FDivergenceName } from './divergences';
import { integrate, integrateVector, scanRoots } from './quadrature';
import type { Density1D } from './targets';
import { targetBreakpoints, targetTails } from './targetShape';
import { tailsDiverge } from './tails';

const INTEGRATED: readonly FDivergenceName[] = ['kl', 'reverse_kl', 'pearson', 'neyman', 'squared_hellinger', 'jensen_shannon', 'gan'];
/** Sign changes are searched on this many sub-intervals of every piece between breakpoints. */
const SCAN_STEPS = 64;

function sortedUnique(xs: readonly number[]): number[] {
  return [...new Set(xs)].filter(Number.isFinite).sort((a, b) => a - b);
}

/** Zeros of fn inside each piece between consecutive cuts, merged with the cuts. */
function withZeros(cuts: readonly number[], fn: (x: number) => number): number[] {
  const points = [...cuts];
  for (let i = 0; i + 1 < cuts.length; i++) points.push(...scanRoots(fn, cuts[i], cuts[i + 1], SCAN_STEPS));
  return sortedUnique(points);
}

/** ½∫|p − q| as ½Σ|ΔF_P − ΔF_Q| over intervals on which p − q keeps its sign. */
function totalVariation(p: Density1D, q: Density1D, cuts: readonly number[]): number {
  const points = withZeros(cuts, (x) => p.logPdf(x) - q.logPdf(x));
  const gap = (x: number): number => p.cdf(x) - q.cdf(x);
  let sum = Math.abs(gap(points[0])) + Math.abs(gap(points[points.length - 1]));
  for (let i = 0; i + 1 < points.length; i++) sum += Math.abs(gap(points[i + 1]) - gap(points[i]));
  return 0.5 * sum;
}

function wasserstein1(p: Density1D, q: Density1D, cuts: readonly number[]): number {
  const gap = (x: number): number => p.cdf(x) - q.cdf(x);
  return integrate((x) => Math.abs(gap(x)), [-Infinity, ...withZeros(cuts, gap), Infinity]);
}

/** Every divergence of the catalog between two analytic densities, to ~1e-12 relative. */
export function divergencesBetween(p: Density1D, q: Density1D): DivergenceValues {
  const cuts = sortedUnique([...targetBreakpoints(p.spec), ...targetBreakpoints(q.spec)]);
  const tp = targetTails(p.spec);
  const tq = targetTails(q.spec);
  const divergences = INTEGRATED.map((name) => F_DIVERGENCES[name]);
  const diverges = divergences.map((d) => tailsDiverge(d.tail, tp, tq));
  const integrals = integrateVector(
    (x, out) => {
      const lp = p.logPdf(x);
      const lq = q.logPdf(x);
      for (let k = 0; k < divergences.length; k++) out[k] = diverges[k] ? 0 : divergences[k].integrand(lp, lq);
    },
    divergences.length,
    [-Infinity, ...cuts, Infinity],
  );
  const value = (name: FDivergenceName): number => {
    const k = INTEGRATED.indexOf(name);
    return diverges[k] ? Infinity : integrals[k];
  };
  return {
    kl: value('kl'),
    reverse_kl: value('reverse_kl'),
    pearson: value('pearson'),
    neyman: value('neyman'),
    squared_hellinger: value('squared_hellinger'),
    jensen_shannon: value('jensen_shannon'),
    gan: value('gan'),
    total_variation: totalVariation(p, q, cuts),
    jsd: value('jensen_shannon') / 2,
    wasserstein1: wasserstein1(p, q, cuts),
  };
}
