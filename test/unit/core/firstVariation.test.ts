import * as assert from 'node:assert/strict';
import { F_DIVERGENCES, customFDivergence, type FDivergenceName } from '../../../src/core/divergences';
import { latticeFDivergence } from '../../../src/core/divergences2d';
import {
  divergenceFunctional, effectiveFunctional, fDivergenceFunctional, fFirstVariation, JSD_FUNCTIONAL, NON_SATURATING_OBJECTIVE, WASSERSTEIN1, wasserstein1Functional, type LatticeFunctional,
} from '../../../src/core/firstVariation';
import { createGrid, targetOnGrid, uniformGrid } from '../../../src/core/grid';
import { latentQuantiles } from '../../../src/core/generatorDensity';
import { cellCentre, createLattice2D, latticeMasses } from '../../../src/core/lattice';
import { gridBins, gridLattice, latticeBins } from '../../../src/core/latticeBins';
import { oracleBinLosses } from '../../../src/core/oracleCritic';
import { cloudInCell } from '../../../src/core/pushForward2d';
import { createRng } from '../../../src/core/rng';
import { binnedFunctional, cloudInCellBins, cloudInCellLogBins, interpolationGradients } from '../../../src/core/sampleGradients';
import { targetOnLattice2D } from '../../../src/core/targetCells2d';
import { createTarget } from '../../../src/core/targets';
import { createTarget2D } from '../../../src/core/targets2d';
import { affineBackward, affineCase1D, affineCase2D, affinePoints, finiteDifferences, RING, vectorRelativeError, type AffineCase } from './affineCases';
import { assertClose, assertNear } from './helpers';

const CATALOG = Object.keys(F_DIVERGENCES) as FDivergenceName[];

/** φ where Q = 0 < P: lim_{r→∞} f(r) − r f′(r), worked out by hand per row. */
const PHI_WHERE_Q_EMPTY: Readonly<Record<FDivergenceName, number>> = {
  kl: -Infinity, reverse_kl: -Infinity, pearson: -Infinity, neyman: -2, squared_hellinger: -Infinity, jensen_shannon: -Infinity, gan: -Infinity, total_variation: -0.5,
};

/** The affine parameter gradient of a functional from the per-sample gradients, in float64. */
function pathwiseGradient(c: AffineCase, f: LatticeFunctional): Float64Array {
  return affineBackward(c, binnedFunctional(f, c.lattice, c.logP, affinePoints(c)).gradients);
}

describe('core/firstVariation', () => {
  it('φ = f(r) − r f′(r) = −f*(f′(r)) for every catalog row, for l = log r in [−6, 6]', () => {
    for (const name of CATALOG) {
      const d = F_DIVERGENCES[name];
      const phi = fFirstVariation(d);
      for (let l = -6; l <= 6; l += 0.25) {
        if (name === 'total_variation' && l === 0) continue;
        const r = Math.exp(l);
        // The Fenchel equality through the catalog's own conjugate and optimal critic.
        assertNear(phi(l), -d.conjugate(d.optimalCritic(l)), 1e-9 * (1 + Math.abs(phi(l))), `${name} at l = ${l} (Fenchel)`);
        assertNear(phi(l), d.f(r) - r * d.fPrime(r), 1e-8 * (1 + Math.abs(phi(l))), `${name} at l = ${l} (as written)`);
      }
    }
  });

  it('φ is f(0⁺) where P = 0 and its r → ∞ limit where Q = 0', () => {
    for (const name of CATALOG) {
      const d = F_DIVERGENCES[name];
      const f = fDivergenceFunctional(d);
      const l = gridLattice(uniformGrid(0, 1, 8, []));
      const logP = new Float64Array(10).fill(Math.log(0.1));
      const logQ = new Float64Array(10).fill(Math.log(0.1));
      logP[2] = -Infinity;
      logQ[3] = -Infinity;
      logP[4] = -Infinity;
      logQ[4] = -Infinity;
      const phi = f.firstVariation(l, logP, logQ);
      // === so that −0 counts as 0.
      assert.ok(phi[2] === d.tail.f0, `${name}: P = 0 < Q gives ${phi[2]}`);
      assert.ok(phi[4] === d.tail.f0, `${name}: P = Q = 0 gives ${phi[4]}`);
      assert.ok(phi[3] === PHI_WHERE_Q_EMPTY[name], `${name}: Q = 0 < P gives ${phi[3]}`);
      assert.ok(phi[0] === fFirstVariation(d)(0), `${name}: P = Q gives ${phi[0]}`);
    }
    // A custom f is evaluated as written (its f′ by central differences, ~1e-10), and is NaN where its limit is not known.
    const custom = fFirstVariation(customFDivergence('KL by hand', (u) => u * Math.log(u)));
    assertNear(custom(0.7), fFirstVariation(F_DIVERGENCES.kl)(0.7), 1e-8, 'custom KL');
    assert.ok(Number.isNaN(custom(Infinity)));
  });

  it('the lattice value is latticeFDivergence\'s sum in 2-D (the same bins, the outside one included)', () => {
    const c = affineCase2D();
    const points = affinePoints(c);
    const { mass, outsideMass } = cloudInCell(c.lattice, points);
    const q = latticeMasses(mass, outsideMass);
    const p = targetOnLattice2D(createTarget2D(RING), c.lattice);
    assert.deepEqual(cloudInCellBins(c.lattice, points), Float64Array.from([...mass, outsideMass]));
    for (const name of CATALOG) {
      const d = F_DIVERGENCES[name];
      assertClose(fDivergenceFunctional(d).value(c.lattice, latticeBins(p), latticeBins(q)), latticeFDivergence(d, p, q), 1e-12, name);
    }
  });

  it('1-D cloud-in-cell keeps every sample\'s weight and, inside the centres, the mean', () => {
    const l = gridLattice(uniformGrid(-2, 2, 41, []));
    const rng = createRng(3);
    const points = Float64Array.from({ length: 1000 }, () => 3.8 * rng.next() - 1.9);
    const bins = cloudInCellBins(l, points);
    assertClose(bins.reduce((s, m) => s + m, 0), 1, 1e-14, 'total');
    assert.equal(bins[41] + bins[42], 0, 'no point beyond the outer centres');
    let mean = 0;
    for (let k = 0; k < 41; k++) mean += bins[k] * cellCentre(l.axes[0]!, k);
    assertNear(mean, points.reduce((s, x) => s + x, 0) / points.length, 1e-13, 'mean');
    // Beyond the outer centres the weight is below or above.
    const out = cloudInCellBins(l, Float64Array.from([-2.5, 2.05]));
    assertNear(out[41], 0.5, 1e-15, 'below');
    assertNear(out[42] + out[40], 0.5, 1e-15, 'above and the last cell');
  });

  it('interpolation slopes are the derivative of the interpolated values, 1-D and 2-D, edges and outside included', () => {
    for (const c of [affineCase1D(), affineCase2D()]) {
      const rng = createRng(11);
      const values = Float64Array.from({ length: c.logP.length }, () => rng.normal());
      // 64 samples spread over the whole set: inside the cells, beyond the centres and outside.
      const all = affinePoints(c);
      const n = all.length / c.dim;
      const points = new Float64Array(64 * c.dim);
      for (let i = 0; i < 64; i++) points.set(all.subarray(Math.floor(((i + 0.5) * n) / 64) * c.dim, (Math.floor(((i + 0.5) * n) / 64) + 1) * c.dim), i * c.dim);
      const mean = (xs: Float64Array): number => cloudInCellBins(c.lattice, xs).reduce((s, m, k) => s + m * values[k], 0);
      const slopes = interpolationGradients(c.lattice, points, values);
      const h = 1e-7;
      for (let i = 0; i < points.length; i++) {
        const up = points.slice();
        const down = points.slice();
        up[i] += h;
        down[i] -= h;
        // The interpolant is linear between centres: the difference is exact but for crossings, which 2h makes improbable.
        assertNear(slopes[i], (mean(up) - mean(down)) / (2 * h), 1e-6 * (1 + Math.abs(slopes[i])), `${c.dim}-D coordinate ${i}`);
      }
    }
  });

  // Measured (norm of the difference over the gradient's norm): 1-D 2e-9 – 8e-9, 2-D 5e-10 – 3e-8.
  it('per-sample gradients match central differences of the binned divergence on an affine generator (float64)', () => {
    const functionals: [string, LatticeFunctional][] = [
      ...CATALOG.map((n) => [n, fDivergenceFunctional(F_DIVERGENCES[n])] as [string, LatticeFunctional]),
      ['JSD', JSD_FUNCTIONAL], ['KL(Q‖P) − 2·JSD', NON_SATURATING_OBJECTIVE],
    ];
    for (const c of [affineCase1D(), affineCase2D()]) {
      for (const [name, f] of c.dim === 1 ? [...functionals, ['W₁', WASSERSTEIN1] as [string, LatticeFunctional]] : functionals) {
        const err = vectorRelativeError(pathwiseGradient(c, f), finiteDifferences(c, f));
        assert.ok(err < 1e-6, `${c.dim}-D ${name}: relative error ${err.toExponential(2)}`);
      }
    }
  });

  it('W₁ of a translate by whole cells is the shift, and each sample is pushed back with slope 1/n', () => {
    const grid = uniformGrid(-4, 4, 161, []);
    const l = gridLattice(grid);
    // Quantiles, dense enough that P has mass within every shift-wide stretch a sample touches (F_P > F_Q there, not a tie).
    const ys = latentQuantiles(5000).map((z) => 0.8 * z);
    const shift = 7 * grid.dx;
    const logP = cloudInCellLogBins(l, ys);
    const moved = ys.map((y) => y + shift);
    const b = binnedFunctional(WASSERSTEIN1, l, logP, moved);
    assertClose(b.value, shift, 1e-10, 'W₁');
    // Q lies right of P, F_Q ≤ F_P: every sample's W₁ grows as it moves right.
    for (let i = 0; i < moved.length; i++) assertNear(b.gradients[i], 1 / moved.length, 1e-12, `sample ${i}`);
  });

  // Measured: |FD − (φ_k − φ_j)| ≤ 1e-9 over 30 pairs; the translate's W₁ is its length to 1e-12.
  it('2-D W₁ by exact transport: φ from the Kantorovich potential is its derivative (central differences), on a 64² lattice merged to 32²', () => {
    const ring = createTarget2D(RING);
    const l = createLattice2D(ring, { side: 64 });
    const logP = latticeBins(targetOnLattice2D(ring, l));
    const q = latticeBins(targetOnLattice2D(createTarget2D({ kind: 'mixture', components: [{ weight: 1, mean: [0.3, -0.2], std: 1.1 }] }), l)).map(Math.exp);
    const f = wasserstein1Functional();
    const phi = f.firstVariation(l, logP, q.map(Math.log));
    const rng = createRng(5);
    let checked = 0;
    while (checked < 30) {
      const [k, j] = [Math.floor(rng.next() * l.size), Math.floor(rng.next() * l.size)];
      const eps = 1e-7;
      if (k === j || q[j]! < 10 * eps || q[k]! < 10 * eps) continue;
      const moved = (sign: number) => {
        const m = q.slice();
        m[k] += sign * eps;
        m[j] -= sign * eps;
        return f.value(l, logP, m.map(Math.log));
      };
      const fd = (moved(1) - moved(-1)) / (2 * eps);
      assertNear(fd, phi[k]! - phi[j]!, 1e-6, `cells ${k}, ${j}`);
      checked++;
    }
    // A translate by whole merged cells (2 fine cells here) moves all mass that far: W₁ is the shift.
    const width = l.axes[0]!.width;
    const at = (dx: number) => latticeBins(targetOnLattice2D(createTarget2D({ kind: 'mixture', components: [{ weight: 1, mean: [dx, 0], std: 0.5 }] }), l));
    assertNear(wasserstein1Functional().value(l, at(0), at(4 * width)), 4 * width, 1e-9, 'translate');
  });

  it('the oracle minimax generator gets exactly zero gradient on disjoint supports; the WGAN potential does not', () => {
    const target = createTarget({ kind: 'uniform', lo: 2, hi: 3 });
    const xs = latentQuantiles(5000).map((z) => -2 + 0.1 * z);
    const grid = createGrid(target, { size: 256, include: { lo: -2.6, hi: 3 } });
    const l = gridLattice(grid);
    const logP = gridBins(targetOnGrid(target, grid));
    const logQ = cloudInCellLogBins(l, xs);
    const minimax = interpolationGradients(l, xs, oracleBinLosses('minimax', l, logP, logQ)!);
    assert.ok(minimax.every((g) => g === 0), 'minimax oracle gradient');
    const wgan = interpolationGradients(l, xs, oracleBinLosses('wgan', l, logP, logQ)!);
    // Q lies left of P, F_Q ≥ F_P: every sample's W₁ falls as it moves right.
    for (let i = 0; i < xs.length; i++) assertNear(wgan[i], -1 / xs.length, 1e-12, `WGAN sample ${i}`);
  });

  it('each loss\'s oracle values are its objective\'s φ up to a constant, where a functional is known', () => {
    const c = affineCase1D();
    const logQ = cloudInCellLogBins(c.lattice, affinePoints(c));
    const cases = [
      ['minimax', undefined], ['nonSaturating', undefined], ['logRatio', undefined], ['wgan', undefined],
      ['fganSaturating', F_DIVERGENCES.pearson], ['fganNonSaturating', F_DIVERGENCES.kl], ['fganNonSaturating', F_DIVERGENCES.gan],
    ] as const;
    for (const [kind, d] of cases) {
      const loss = oracleBinLosses(kind, c.lattice, c.logP, logQ, d)!;
      const phi = effectiveFunctional(kind, d)!.firstVariation(c.lattice, c.logP, logQ);
      const offset = loss[0] - phi[0];
      for (let k = 0; k < loss.length; k++) assertNear(loss[k] - phi[k], offset, 1e-9 * (1 + Math.abs(phi[k])), `${kind} ${d?.name ?? ''} bin ${k}`);
    }
    // No functional is known for these.
    assert.equal(effectiveFunctional('leastSquares'), undefined);
    assert.equal(effectiveFunctional('fganNonSaturating', F_DIVERGENCES.pearson), undefined);
    assert.equal(divergenceFunctional({ kind: 'jsd' }), JSD_FUNCTIONAL);
  });
});
