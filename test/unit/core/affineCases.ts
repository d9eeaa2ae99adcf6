/**
 * Affine generators x = μ + A·z on latent quantile sets, the lattices their binned divergences
 * are checked on, and central finite differences of those divergences in float64: shared by
 * the core's and the engines' gradient tests.
 *
 * The lattices lie inside the generator's range, so every cell holds Q mass and the samples
 * beyond the outermost centres fill the outside bins: KL(P‖Q) is then finite (a cell with P
 * but no Q would make it infinite) and no cell's Q approaches 0, where φ of most divergences is
 * unbounded. The binned divergence is piecewise smooth in θ, with a kink wherever a sample
 * crosses a cell centre; the steps are small enough that, in expectation, fewer than one sample
 * crosses one inside the stencil (1-D: 20,000 samples moving ≤ 4·h across cells 0.05 wide;
 * 2-D: 16,384 samples, cells 0.19 wide), and large enough that rounding stays near 1e-9.
 */
import { createTarget, type TargetSpec } from '../../../src/core/targets';
import { createTarget2D, type Target2DSpec } from '../../../src/core/targets2d';
import { latentQuantiles } from '../../../src/core/generatorDensity';
import { latentQuantileLattice } from '../../../src/core/pushForward2d';
import { targetOnGrid, uniformGrid } from '../../../src/core/grid';
import { gridBins, gridLattice, latticeBins } from '../../../src/core/latticeBins';
import { lattice, latticeAxis, type Lattice } from '../../../src/core/lattice';
import { targetOnLattice2D } from '../../../src/core/targetCells2d';
import type { LatticeFunctional } from '../../../src/core/firstVariation';
import { cloudInCellLogBins } from '../../../src/core/sampleGradients';

export interface AffineCase {
  readonly dim: 1 | 2;
  readonly lattice: Lattice;
  /** log P per bin. */
  readonly logP: Float64Array;
  /** Latent points, float32 values (what the engines hold), row-major [n, dim]. */
  readonly z: Float32Array;
  /** θ packed as parameters.ts lays out an affine generator: μ, then A row-major (1-D: μ, σ). */
  readonly theta: readonly number[];
  /** Central-difference step in θ. */
  readonly step: number;
}

/** The presets' two modes and the ring of 8 of examples/ring-of-8.gan.ts. */
export const BIMODAL: TargetSpec = { kind: 'mixture', components: [{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }] };
export const RING: Target2DSpec = { kind: 'ring', modes: 8, radius: 2, std: 0.2 };

/** 20,000 latent quantiles through x = 0.3 + 1.2·z (range ±4.7) onto 129 cells over [−3, 3.5], against two Gaussian modes. */
export function affineCase1D(): AffineCase {
  const grid = uniformGrid(-3, 3.5, 129, []);
  return {
    dim: 1, lattice: gridLattice(grid), logP: gridBins(targetOnGrid(createTarget(BIMODAL), grid)),
    z: Float32Array.from(latentQuantiles(20_000)), theta: [0.3, 1.2], step: 1e-7,
  };
}

/** The 128² latent quantile lattice through a sheared, scaled A (range beyond ±5) onto 32² cells over [−3, 3]², against the ring of 8. */
export function affineCase2D(): AffineCase {
  const l = lattice([latticeAxis(-3, 3, 32), latticeAxis(-3, 3, 32)]);
  return {
    dim: 2, lattice: l, logP: latticeBins(targetOnLattice2D(createTarget2D(RING), l)),
    z: Float32Array.from(latentQuantileLattice(128)), theta: [0.2, -0.1, 2.2, 0.3, -0.2, 2.0], step: 1e-6,
  };
}

/** x = μ + A·z in float64 from the float32 latent points. */
export function affinePoints(c: AffineCase, theta: readonly number[] = c.theta): Float64Array {
  const { z, dim } = c;
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length; i += dim) {
    for (let o = 0; o < dim; o++) {
      let v = theta[o]!;
      for (let k = 0; k < dim; k++) v += theta[dim + o * dim + k]! * z[i + k]!;
      out[i + o] = v;
    }
  }
  return out;
}

/** Σ_i (∂x_i/∂θ)ᵀ g_i for the affine map, in float64: the parameter gradient without an engine. */
export function affineBackward(c: AffineCase, g: Float64Array): Float64Array {
  const { z, dim } = c;
  const out = new Float64Array(dim + dim * dim);
  for (let i = 0; i < z.length; i += dim) {
    for (let o = 0; o < dim; o++) {
      out[o] += g[i + o]!;
      for (let k = 0; k < dim; k++) out[dim + o * dim + k] += g[i + o]! * z[i + k]!;
    }
  }
  return out;
}

/** Central differences of the functional on the cloud-in-cell q of the affine points, one per parameter. */
export function finiteDifferences(c: AffineCase, f: LatticeFunctional): Float64Array {
  const value = (theta: number[]): number => f.value(c.lattice, c.logP, cloudInCellLogBins(c.lattice, affinePoints(c, theta)));
  return Float64Array.from(c.theta, (_, k) => {
    const up = [...c.theta];
    const down = [...c.theta];
    up[k] += c.step;
    down[k] -= c.step;
    return (value(up) - value(down)) / (2 * c.step);
  });
}

/** ‖a − b‖/‖b‖ over the whole vector: a small component (the shift of a near-symmetric fit) is not judged alone. */
export function vectorRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}
