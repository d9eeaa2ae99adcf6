/**
 * Cost of one panel frame as the training worker computes it: q by push-forward of the
 * generator's values at the latent quantiles, every analytic divergence, T* and the critic's
 * quadrature estimate, on the default grid. Used by `gan-lens bench`; not a test.
 */
import { analyticDivergences } from '../core/analytic';
import { optimalCritic, variationalEstimate } from '../core/critic';
import { F_DIVERGENCES } from '../core/divergences';
import { latentQuantiles, pushForwardDensity } from '../core/generatorDensity';
import { createGrid, DEFAULT_GRID_SIZE, targetOnGrid } from '../core/grid';
import { effectiveObjective } from '../core/objectives';
import { createTarget } from '../core/targets';

export interface FrameCost {
  /** Median wall time of one frame (milliseconds). */
  readonly medianMs: number;
  /** 95th percentile (milliseconds). */
  readonly p95Ms: number;
  readonly frames: number;
  readonly gridSize: number;
  readonly latentSamples: number;
}

export function measureFrameCost(options: { frames?: number; gridSize?: number; latentSamples?: number } = {}): FrameCost {
  const frames = options.frames ?? 300;
  const gridSize = options.gridSize ?? DEFAULT_GRID_SIZE;
  const latentSamples = options.latentSamples ?? 20_000;
  const target = createTarget({ kind: 'mixture', components: [{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }] });
  const z = latentQuantiles(latentSamples);
  // A smooth, slightly non-linear generator like a small tanh network produces.
  const generate = (shift: number): Float64Array => z.map((v) => shift + 1.3 * v + 0.4 * Math.tanh(2 * v));
  const grid = createGrid(target, { size: gridSize, include: { lo: -8, hi: 8 } });
  const p = targetOnGrid(target, grid);
  const pMass = p.logMass.map(Math.exp);
  const divergence = F_DIVERGENCES.jensen_shannon;
  const times: number[] = [];
  let checksum = 0;
  const warmup = Math.min(50, frames);
  for (let frame = 0; frame < warmup + frames; frame++) {
    const xs = generate(0.01 * (frame % 7));
    const start = performance.now();
    const q = pushForwardDensity(grid, xs);
    const divergences = analyticDivergences(grid, p, q);
    const t = optimalCritic(divergence, p.logDensity, q.logDensity);
    const estimate = variationalEstimate(divergence, grid, pMass, q.mass, t);
    const effective = effectiveObjective('nonSaturating', { grid, p, q, divergences });
    const elapsed = performance.now() - start;
    checksum += estimate + effective + divergences.wasserstein1;
    if (frame >= warmup) times.push(elapsed);
  }
  if (!Number.isFinite(checksum)) throw new Error('frame benchmark produced a non-finite value');
  times.sort((a, b) => a - b);
  const at = (f: number): number => times[Math.min(times.length - 1, Math.floor(f * times.length))];
  return { medianMs: at(0.5), p95Ms: at(0.95), frames, gridSize, latentSamples };
}
