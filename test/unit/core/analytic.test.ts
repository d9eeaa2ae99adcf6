import * as assert from 'node:assert/strict';
import { analyticDivergence, analyticDivergences, analyticFDivergence, divergencesBetween } from '../../../src/core/analytic';
import { DIVERGENCE_JSON_KEYS, DIVERGENCE_NAMES, F_DIVERGENCES, type DivergenceValues } from '../../../src/core/divergences';
import { latentQuantiles, pushForwardDensity } from '../../../src/core/generatorDensity';
import { createGrid, targetOnGrid } from '../../../src/core/grid';
import { createRng } from '../../../src/core/rng';
import { normalCdf } from '../../../src/core/special';
import { createTarget, type Density1D, type TargetSpec } from '../../../src/core/targets';
import { assertClose, assertNear, referenceCases, referenceTolerance } from './helpers';

const gaussian = (mean: number, std: number): Density1D => createTarget({ kind: 'mixture', components: [{ weight: 1, mean, std }] });

/** Both densities sampled on the default grid that covers them. */
function onDefaultGrid(p: Density1D, q: Density1D): DivergenceValues {
  const grid = createGrid(p, { include: q.range() });
  return analyticDivergences(grid, targetOnGrid(p, grid), targetOnGrid(q, grid));
}

function checkReference(compute: (p: Density1D, q: Density1D) => DivergenceValues, path: string): void {
  for (const c of referenceCases()) {
    const values = compute(createTarget({ kind: 'mixture', components: c.p }), createTarget({ kind: 'mixture', components: c.q }));
    for (const name of DIVERGENCE_NAMES) {
      const key = DIVERGENCE_JSON_KEYS[name];
      const expected = c.values[key];
      if (expected === 'inf') assert.equal(values[name], Infinity, `${path}, ${c.name}: ${key} should be infinite`);
      else assertClose(values[name], expected, referenceTolerance(key), `${path}, ${c.name}: ${key}`);
    }
  }
}

/** Closed forms for two Gaussians N(m1, s1²) (data) and N(m2, s2²) (model). */
function closedForms(m1: number, s1: number, m2: number, s2: number) {
  const d = m1 - m2;
  const sum = s1 * s1 + s2 * s2;
  const chi2 = (a: number, sa: number, b: number, sb: number): number =>
    2 * sb * sb > sa * sa ? (sb * sb) / (sa * Math.sqrt(2 * sb * sb - sa * sa)) * Math.exp(((a - b) ** 2) / (2 * sb * sb - sa * sa)) - 1 : Infinity;
  return {
    kl: Math.log(s2 / s1) + (s1 * s1 + d * d) / (2 * s2 * s2) - 0.5,
    reverse_kl: Math.log(s1 / s2) + (s2 * s2 + d * d) / (2 * s1 * s1) - 0.5,
    // ∫(√p − √q)² = 2 − 2·BC with the Bhattacharyya coefficient of two Gaussians.
    squared_hellinger: 2 - 2 * Math.sqrt((2 * s1 * s2) / sum) * Math.exp(-(d * d) / (4 * sum)),
    pearson: chi2(m1, s1, m2, s2),
    neyman: chi2(m2, s2, m1, s1),
  };
}

describe('core/analytic', () => {
  it('divergencesBetween matches every reference value (1e-6, χ² 1e-4, "inf" as Infinity)', () => {
    checkReference(divergencesBetween, 'adaptive quadrature');
  });

  it('the default 512-point grid meets the same reference tolerances', () => {
    checkReference(onDefaultGrid, 'default grid');
  });

  it('matches the Gaussian closed forms of KL, reverse KL, squared Hellinger and both χ²', () => {
    const rng = createRng(2024);
    for (let k = 0; k < 8; k++) {
      const [m1, s1, m2, s2] = [4 * rng.next() - 2, 0.3 + 2 * rng.next(), 4 * rng.next() - 2, 0.3 + 2 * rng.next()];
      const exact = closedForms(m1, s1, m2, s2);
      const values = divergencesBetween(gaussian(m1, s1), gaussian(m2, s2));
      const grid = onDefaultGrid(gaussian(m1, s1), gaussian(m2, s2));
      for (const key of ['kl', 'reverse_kl', 'squared_hellinger', 'pearson', 'neyman'] as const) {
        const what = `${key} N(${m1.toFixed(3)}, ${s1.toFixed(3)}²) vs N(${m2.toFixed(3)}, ${s2.toFixed(3)}²)`;
        if (exact[key] === Infinity) {
          assert.equal(values[key], Infinity, what);
          assert.equal(grid[key], Infinity, `${what} on the grid`);
        } else {
          assertClose(values[key], exact[key], 1e-9, what);
          // Near the χ² borderline the integrand decays too slowly for a finite grid; elsewhere it agrees.
          if (key !== 'pearson' && key !== 'neyman') assertClose(grid[key], exact[key], 1e-8, `${what} on the grid`);
        }
      }
    }
  });

  it('decides χ² infinity from the tails, also exactly at the borderline 2σ_q² = σ_p²', () => {
    assert.equal(divergencesBetween(gaussian(0, Math.SQRT2), gaussian(0, 1)).pearson, Infinity);
    assert.equal(divergencesBetween(gaussian(0, 1), gaussian(0, Math.SQRT2)).neyman, Infinity);
    // Just inside: ∫p²/q decays like e^{−0.0102x²}, far beyond any 8-std range.
    const inside = divergencesBetween(gaussian(0, 1.4), gaussian(0, 1));
    assertClose(inside.pearson, 1 / (1.4 * Math.sqrt(2 - 1.96)) - 1, 1e-9, 'Pearson just inside the borderline');
    // Equal widths, shifted: the χ² integrands decay only exponentially and stay finite.
    assertClose(divergencesBetween(gaussian(0, 1), gaussian(3, 1)).pearson, Math.expm1(9), 1e-9, 'Pearson of shifted Gaussians');
  });

  it('gives total variation and W₁ closed forms', () => {
    for (const d of [0.1, 1, 3]) assertClose(divergencesBetween(gaussian(0, 1), gaussian(d, 1)).total_variation, 2 * normalCdf(d / 2) - 1, 1e-14, `TV shift ${d}`);
    for (const sigma of [0.2, 0.5, 1.7, 4]) {
      const expected = Math.abs(1 - sigma) * Math.sqrt(2 / Math.PI);
      assertClose(divergencesBetween(gaussian(0, 1), gaussian(0, sigma)).wasserstein1, expected, 1e-12, `W₁(N(0,1), N(0,${sigma}²))`);
      assertClose(onDefaultGrid(gaussian(0, 1), gaussian(0, sigma)).wasserstein1, expected, 1e-6, `grid W₁(N(0,1), N(0,${sigma}²))`);
    }
    assertClose(divergencesBetween(gaussian(1, 2), gaussian(-1.5, 2)).wasserstein1, 2.5, 1e-13, 'W₁ of a shift');
  });

  it('keeps JSD ≤ log 2 and GAN = 2·JSD − log 4 for random mixtures', () => {
    const rng = createRng(99);
    const mixture = (): Density1D => createTarget({
      kind: 'mixture',
      components: Array.from({ length: 1 + Math.floor(3 * rng.next()) }, () => ({ weight: 0.1 + rng.next(), mean: 10 * rng.next() - 5, std: 0.1 + 2 * rng.next() })),
    });
    for (let k = 0; k < 6; k++) {
      const v = divergencesBetween(mixture(), mixture());
      assert.ok(v.jsd >= 0 && v.jsd <= Math.LN2, `JSD ${v.jsd}`);
      assertNear(v.gan, 2 * v.jsd - Math.log(4), 1e-12, 'GAN = 2·JSD − log 4');
      assertClose(v.jensen_shannon, 2 * v.jsd, 1e-15, 'f-GAN JS = 2·JSD');
      assert.ok(v.total_variation >= 0 && v.total_variation <= 1 && v.squared_hellinger <= 2);
    }
  });

  it('reports disjoint and nested supports honestly', () => {
    const disjoint = divergencesBetween(createTarget({ kind: 'uniform', lo: 0, hi: 1 }), createTarget({ kind: 'uniform', lo: 3, hi: 4 }));
    for (const key of ['kl', 'reverse_kl', 'pearson', 'neyman'] as const) assert.equal(disjoint[key], Infinity, key);
    assertClose(disjoint.jsd, Math.LN2, 1e-14, 'JSD of disjoint supports');
    assertClose(disjoint.total_variation, 1, 1e-15, 'TV');
    assertClose(disjoint.squared_hellinger, 2, 1e-14, 'Hellinger');
    assertClose(disjoint.wasserstein1, 3, 1e-13, 'W₁');
    const u: TargetSpec = { kind: 'uniform', lo: -1, hi: 1 };
    const nested = divergencesBetween(createTarget(u), gaussian(0, 1));
    // KL(U(−1,1) ‖ N(0,1)) = −log 2 + ½log(2π) + E[x²]/2.
    assertClose(nested.kl, -Math.LN2 + 0.5 * Math.log(2 * Math.PI) + 1 / 6, 1e-12, 'KL(U‖N)');
    assert.equal(nested.reverse_kl, Infinity);
    assert.equal(divergencesBetween(gaussian(0, 1), createTarget(u)).kl, Infinity);
    const bimodal = createTarget({ kind: 'uniforms', parts: [{ weight: 1, lo: -3, hi: -2 }, { weight: 1, lo: 2, hi: 3 }] });
    assert.equal(divergencesBetween(bimodal, createTarget({ kind: 'uniform', lo: -3, hi: 0 })).kl, Infinity);
    assertClose(divergencesBetween(bimodal, createTarget({ kind: 'uniform', lo: -3, hi: 3 })).kl, Math.log(3), 1e-13, 'KL into a wider uniform');
  });

  it('computes the per-frame divergences from a push-forward q', () => {
    const p = createTarget({ kind: 'mixture', components: [{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }] });
    const grid = createGrid(p);
    const pGrid = targetOnGrid(p, grid);
    const q = pushForwardDensity(grid, latentQuantiles(20_000).map((z) => 0.2 + 1.5 * z));
    const frame = analyticDivergences(grid, pGrid, q);
    const exact = divergencesBetween(p, gaussian(0.2, 1.5));
    for (const name of DIVERGENCE_NAMES) {
      // q is known by its cell masses and continued inside the cells: measured ≤ 1.1e-9 relative here (3e-5
      // when p was sampled at the points), except reverse KL, 2e-5: the 1e-5 of q beyond this grid counts as one cell per side.
      if (exact[name] === Infinity) assert.equal(frame[name], Infinity, name);
      else assertClose(frame[name], exact[name], name === 'reverse_kl' ? 5e-5 : 1e-8, `frame ${name}`);
      assert.equal(analyticDivergence(name, grid, pGrid, q), frame[name], `fast path ${name}`);
    }
    // A generator stuck at one point has no mass where p lives: KL(P‖Q) is infinite, not huge.
    const stuck = pushForwardDensity(grid, new Float64Array(1000).fill(1));
    assert.equal(analyticFDivergence(F_DIVERGENCES.kl, grid, pGrid, stuck), Infinity);
    assertNear(analyticDivergences(grid, pGrid, stuck).jsd, Math.LN2, 1e-2, 'JSD of a point mass');
    // Mass beyond the grid counts as one aggregated cell: a lower bound on its share, finite and below the truth.
    const away = pushForwardDensity(grid, latentQuantiles(1000).map((z) => 30 + z));
    const reverse = analyticFDivergence(F_DIVERGENCES.reverse_kl, grid, pGrid, away);
    assert.ok(reverse >= -pGrid.logMassAbove - 1e-9 && reverse < divergencesBetween(p, gaussian(30, 1)).reverse_kl, `reverse KL ${reverse}`);
    assertClose(analyticDivergences(grid, pGrid, away).jsd, Math.LN2, 1e-6, 'JSD of a generator off the grid');
  });
});
