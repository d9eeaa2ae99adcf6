/**
 * Optimal critics and the critic's variational estimates (theory.md §1–3). Grid forms take
 * both expectations the same way, E_P[g] = Σ P_i g(x_i) and E_Q[g] = Σ Q_i g(x_i) with the
 * cell masses P_i, Q_i and the critic at the cell's point: steady from frame to frame, and a
 * uniform's edge cells count with the part of their mass P has (a point value of p would
 * count them whole or not at all). With T = f′(P_i/Q_i) the f-GAN bound equals
 * Σ Q_i f(P_i/Q_i), the divergence between the cell masses, exactly (Fenchel–Young).
 */
import { mapPairs } from './arrayLoops';
import type { FDivergence } from './divergences';
import type { Grid } from './grid';
import { LN4, sigmoid, softplus } from './special';

/** D* = p/(p + q) = σ(log p − log q); NaN where both densities vanish. */
export function optimalDiscriminator(logP: ArrayLike<number>, logQ: ArrayLike<number>): Float64Array {
  return mapPairs(logP, logQ, (lp, lq) => sigmoid(lp - lq));
}

/** T* = f′(p/q) from log p − log q; NaN where both densities vanish. */
export function optimalCritic(divergence: FDivergence, logP: ArrayLike<number>, logQ: ArrayLike<number>): Float64Array {
  return mapPairs(logP, logQ, (lp, lq) => divergence.optimalCritic(lp - lq));
}

/** Σ w_i g_i where a zero weight contributes nothing even if g_i is infinite; the weights are one per grid point. */
function weightedSum(grid: Grid, weights: ArrayLike<number>, g: (i: number) => number): number {
  if (weights.length !== grid.x.length) throw new RangeError(`expected ${grid.x.length} cell masses, one per grid point, got ${weights.length}`);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] !== 0) sum += weights[i] * g(i);
  return sum;
}

/**
 * The f-GAN bound E_P[T] − E_Q[f*(T)] by quadrature: pMass and qMass = probability of each
 * cell, T = critic values g_f(V) at the grid points. −Infinity when T leaves dom f* where Q
 * has mass.
 */
export function variationalEstimate(divergence: FDivergence, grid: Grid, pMass: ArrayLike<number>, qMass: ArrayLike<number>, t: ArrayLike<number>): number {
  return weightedSum(grid, pMass, (i) => t[i]) - weightedSum(grid, qMass, (i) => divergence.conjugate(t[i]));
}

/** The same bound on a minibatch: mean T on real points minus mean f*(T) on generated ones. */
export function variationalEstimateFromSamples(divergence: FDivergence, tReal: ArrayLike<number>, tFake: ArrayLike<number>): number {
  let real = 0;
  for (let i = 0; i < tReal.length; i++) real += tReal[i];
  let fake = 0;
  for (let i = 0; i < tFake.length; i++) fake += divergence.conjugate(tFake[i]);
  return real / tReal.length - fake / tFake.length;
}

/**
 * The discriminator's JSD estimate (V + log 4)/2 by quadrature, from logits v (D = σ(v)), with
 * log D = −softplus(−v) and log(1 − D) = −softplus(v). A lower bound; exact at v = log p − log q.
 */
export function ganJsdEstimate(grid: Grid, pMass: ArrayLike<number>, qMass: ArrayLike<number>, logits: ArrayLike<number>): number {
  const v = -weightedSum(grid, pMass, (i) => softplus(-logits[i])) - weightedSum(grid, qMass, (i) => softplus(logits[i]));
  return (v + LN4) / 2;
}

/** E_P[f] − E_Q[f] by quadrature for a Wasserstein critic f (an estimate of K·W₁). */
export function criticDifference(grid: Grid, pMass: ArrayLike<number>, qMass: ArrayLike<number>, f: ArrayLike<number>): number {
  return weightedSum(grid, pMass, (i) => f[i]) - weightedSum(grid, qMass, (i) => f[i]);
}
