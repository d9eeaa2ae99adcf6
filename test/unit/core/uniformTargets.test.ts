import * as assert from 'node:assert/strict';
import { analyticDivergences, divergencesBetween } from '../../../src/core/analytic';
import { DIVERGENCE_JSON_KEYS, DIVERGENCE_NAMES, type DivergenceValues } from '../../../src/core/divergences';
import { latentQuantiles, pushForwardDensity } from '../../../src/core/generatorDensity';
import { createGrid, targetOnGrid } from '../../../src/core/grid';
import { createRng } from '../../../src/core/rng';
import { createTarget, parseMixtureJson, type Density1D } from '../../../src/core/targets';
import { targetJumps } from '../../../src/core/targetShape';
import { assertClose, assertNear, assertReference, referenceTolerance, uniformReferenceCases } from './helpers';

const uniform = (lo: number, hi: number): Density1D => createTarget({ kind: 'uniform', lo, hi });
const gaussian = (mean: number, std: number): Density1D => createTarget({ kind: 'mixture', components: [{ weight: 1, mean, std }] });

/** Both densities exact on a default grid covering both, its cells cut at both's edges. */
function onGrid(p: Density1D, q: Density1D): DivergenceValues {
  const grid = createGrid(p, { include: q.range(), splitAt: targetJumps(q.spec) });
  return analyticDivergences(grid, targetOnGrid(p, grid), targetOnGrid(q, grid));
}

/** P exact and Q the push-forward of G(z) = μ + σz, on the grid the panel would fit (the generator's range with a 25% margin). */
function onPanelGrid(p: Density1D, mean: number, std: number): DivergenceValues {
  const xs = latentQuantiles(20_000).map((z) => mean + std * z);
  const margin = 0.25 * (xs[xs.length - 1] - xs[0]);
  const grid = createGrid(p, { include: { lo: xs[0] - margin, hi: xs[xs.length - 1] + margin } });
  return analyticDivergences(grid, targetOnGrid(p, grid), pushForwardDensity(grid, xs));
}

/** KL(U[a, b] ‖ N(μ, σ²)) = −log(b − a) + ½log(2πσ²) + E_U[(x − μ)²]/(2σ²). */
function klUniformGaussian(a: number, b: number, mean: number, std: number): number {
  const second = ((b - mean) ** 3 - (a - mean) ** 3) / (3 * (b - a));
  return -Math.log(b - a) + 0.5 * Math.log(2 * Math.PI * std * std) + second / (2 * std * std);
}

describe('core: targets with uniform parts', () => {
  it('meets the scipy fixtures (quadrature split at the edges) on the CLI path and on the grid, 1e-6 (χ² 1e-4)', () => {
    const cases = uniformReferenceCases();
    assert.ok(cases.length >= 10);
    for (const c of cases) {
      const p = createTarget(parseMixtureJson(JSON.stringify(c.p)));
      const q = createTarget(parseMixtureJson(JSON.stringify(c.q)));
      const exact = divergencesBetween(p, q);
      const grid = onGrid(p, q);
      for (const name of DIVERGENCE_NAMES) {
        const key = DIVERGENCE_JSON_KEYS[name];
        assertReference(exact[name], c.values[key], 1e-6, `quadrature, ${c.name}: ${key}`);
        assertReference(grid[name], c.values[key], referenceTolerance(key), `grid, ${c.name}: ${key}`);
      }
    }
  });

  it('gives KL(U‖N) in closed form on every path, the panel\'s included, and KL(N‖U) = ∞', () => {
    const rng = createRng(18);
    for (let k = 0; k < 6; k++) {
      const a = 4 * rng.next() - 2;
      const b = a + 0.2 + 2 * rng.next();
      const [mean, std] = [4 * rng.next() - 2, 0.3 + 1.5 * rng.next()];
      const expected = klUniformGaussian(a, b, mean, std);
      const what = `KL(U(${a.toFixed(3)}, ${b.toFixed(3)}) ‖ N(${mean.toFixed(3)}, ${std.toFixed(3)}²))`;
      assertClose(divergencesBetween(uniform(a, b), gaussian(mean, std)).kl, expected, 1e-12, what);
      assertClose(onGrid(uniform(a, b), gaussian(mean, std)).kl, expected, 1e-12, `${what} on the grid`);
      // The generator's q is known by its cell masses only: measured ≤ 1e-8 here.
      assertClose(onPanelGrid(uniform(a, b), mean, std).kl, expected, 1e-6, `${what}, push-forward q`);
      assert.equal(divergencesBetween(gaussian(mean, std), uniform(a, b)).kl, Infinity);
      assert.equal(onGrid(gaussian(mean, std), uniform(a, b)).kl, Infinity);
    }
  });

  it('gives nested and overlapping uniforms their closed forms', () => {
    // U(a, b) inside U(c, d): KL = log((d − c)/(b − a)), χ² = (d − c)/(b − a) − 1, TV = 1 − (b − a)/(d − c), H² = 2 − 2√((b − a)/(d − c)).
    for (const [a, b, c, d] of [[-1, 1, -2, 2], [0.3, 0.35, 0, 1], [1.01, 2.99, 1, 3]]) {
      const r = (b - a) / (d - c);
      for (const [path, v] of [['quadrature', divergencesBetween(uniform(a, b), uniform(c, d))], ['grid', onGrid(uniform(a, b), uniform(c, d))]] as const) {
        const what = `${path}: U(${a}, ${b}) in U(${c}, ${d})`;
        assertClose(v.kl, -Math.log(r), 1e-12, `${what}: KL`);
        assertClose(v.pearson, 1 / r - 1, 1e-12, `${what}: χ²`);
        assertClose(v.total_variation, 1 - r, 1e-12, `${what}: TV`);
        assertClose(v.squared_hellinger, 2 - 2 * Math.sqrt(r), 1e-12, `${what}: H²`);
        assert.equal(v.reverse_kl, Infinity, `${what}: reverse KL`);
      }
    }
    // U(0, w) and U(s, s + w), 0 < s < w: TV = s/w, JSD = (s/w)·log 2, H² = 2s/w, W₁ = s.
    for (const [w, s] of [[2, 1], [1, 0.013], [0.5, 0.49]]) {
      for (const [path, v] of [['quadrature', divergencesBetween(uniform(0, w), uniform(s, s + w))], ['grid', onGrid(uniform(0, w), uniform(s, s + w))]] as const) {
        const what = `${path}: U(0, ${w}) vs U(${s}, ${s + w})`;
        assertClose(v.total_variation, s / w, 1e-12, `${what}: TV`);
        assertClose(v.jsd, (s / w) * Math.LN2, 1e-12, `${what}: JSD`);
        assertClose(v.squared_hellinger, (2 * s) / w, 1e-12, `${what}: H²`);
        assertClose(v.wasserstein1, s, 1e-12, `${what}: W₁`);
        assert.equal(v.kl, Infinity, `${what}: KL`);
      }
    }
  });

  it('gives disjoint supports JSD = log 2 and TV = 1 to 1e-9, analytic or pushed forward', () => {
    const p = uniform(1.5, 2);
    for (const [path, v] of [['quadrature', divergencesBetween(p, uniform(-2, -1.5))], ['grid', onGrid(p, uniform(-2, -1.5))]] as const) {
      assertNear(v.jsd, Math.LN2, 1e-9, `${path}: JSD`);
      assertNear(v.total_variation, 1, 1e-9, `${path}: TV`);
      assertNear(v.squared_hellinger, 2, 1e-9, `${path}: H²`);
      assertClose(v.wasserstein1, 3.5, 1e-12, `${path}: W₁`);
      for (const key of ['kl', 'reverse_kl', 'pearson', 'neyman'] as const) assert.equal(v[key], Infinity, `${path}: ${key}`);
    }
    // The flagship example at its start: the generator N(−1.75, 0.1²) has Gaussian tails, so KL(P‖Q) is finite.
    const frame = onPanelGrid(p, -1.75, 0.1);
    assertNear(frame.jsd, Math.LN2, 1e-9, 'panel JSD');
    assertNear(frame.total_variation, 1, 1e-9, 'panel TV');
    assertClose(frame.wasserstein1, 3.5, 1e-9, 'panel W₁');
    // 35 std out, log q falls 3.5 nats across a cell: measured 8e-7 (the sampled p of before read 7e-3 low).
    assertClose(frame.kl, klUniformGaussian(1.5, 2, -1.75, 0.1), 2e-6, 'panel KL(P‖Q)');
  });

  it('refuses a grid whose cells are not cut where a density on it jumps', () => {
    const grid = createGrid(gaussian(0, 1));
    assert.throws(() => targetOnGrid(uniform(0.1234, 1), grid), /not cut at x = 0\.1234, where U\(0\.1234, 1\) jumps: pass it in splitAt/);
    const cut = createGrid(gaussian(0, 1), { splitAt: [0.1234, 1] });
    assert.equal(cut.nodes.cuts.length, 2);
    assertClose(analyticDivergences(cut, targetOnGrid(uniform(0.1234, 1), cut), targetOnGrid(gaussian(0, 1), cut)).kl, klUniformGaussian(0.1234, 1, 0, 1), 1e-12, 'KL on the cut grid');
  });
});
