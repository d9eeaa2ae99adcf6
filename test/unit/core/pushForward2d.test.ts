import * as assert from 'node:assert/strict';
import { F_DIVERGENCES } from '../../../src/core/divergences';
import { latticeDivergences2D, latticeEffectiveObjective } from '../../../src/core/divergences2d';
import { createLattice2D } from '../../../src/core/lattice';
import { cloudInCell, LatentNodes, latentQuantileLattice, latentSamples, pushForward2D } from '../../../src/core/pushForward2d';
import { createRng } from '../../../src/core/rng';
import { targetOnLattice2D } from '../../../src/core/targetCells2d';
import { createTarget2D } from '../../../src/core/targets2d';
import { assertNear } from './helpers';

/** x = μ + A·z for every latent point (row-major [n, 2]). */
function affine(z: Float64Array, mu: [number, number], a: [[number, number], [number, number]]): Float64Array {
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length; i += 2) {
    out[i] = mu[0] + a[0][0] * z[i] + a[0][1] * z[i + 1];
    out[i + 1] = mu[1] + a[1][0] * z[i] + a[1][1] * z[i + 1];
  }
  return out;
}

describe('core/pushForward2d', () => {
  const mu: [number, number] = [0.5, -0.3];
  const a: [[number, number], [number, number]] = [[1, 0.3], [-0.4, 0.8]];
  const cov: [[number, number], [number, number]] = [[1 + 0.09, -0.4 + 0.24], [-0.4 + 0.24, 0.16 + 0.64]];
  const target = createTarget2D({ kind: 'mixture', components: [{ mean: mu, cov }] });

  // Measured: worst cell 5.2% of the peak cell, TV 0.013. The error is the quantile lattice's, not the
  // spreading's: its outermost points stand for the whole latent tail beyond Φ⁻¹(1/256) ≈ −2.66, so q has
  // no mass beyond ~2.7 std (where p's cells still hold ~3% of the peak) and a surplus on that edge.
  it('an affine generator on the 256² quantile lattice gives the exact Gaussian cell masses within 6% of the peak cell, TV < 0.015', () => {
    const points = affine(latentQuantileLattice(), mu, a);
    const l = createLattice2D(target, { include: points });
    const q = pushForward2D(l, points, 2);
    const p = targetOnLattice2D(target, l);
    let peak = 0;
    let worst = 0;
    let tv = 0;
    for (let c = 0; c < l.size; c++) {
      peak = Math.max(peak, p.mass[c]);
      worst = Math.max(worst, Math.abs(q.mass[c] - p.mass[c]));
      tv += 0.5 * Math.abs(q.mass[c] - p.mass[c]);
    }
    assert.ok(worst < 0.06 * peak, `worst cell error ${worst} vs peak ${peak}`);
    assert.ok(tv < 0.015, `TV between q and p cells ${tv}`);
    assert.match(q.estimator, /push-forward of 65,536 latent quantiles/);
    assert.equal(q.singular, false);
  });

  for (const side of [256, 37, 2]) {
    it(`the latent nodes of the ${side}² lattice are its points at every second index from either end, and expand() of an affine G is G at every point`, () => {
      const nodes = new LatentNodes(side);
      const all = latentQuantileLattice(side);
      const lower: number[] = [];
      for (let i = 0; i < side / 2; i += 2) lower.push(i);
      const upper: number[] = [];
      for (let i = side - 1; i >= side / 2; i -= 2) upper.unshift(i);
      const indices = [...lower, ...upper];
      assert.equal(nodes.count, indices.length);
      indices.forEach((j, b) => indices.forEach((i, a) => {
        const at = 2 * (a + nodes.count * b);
        assert.equal(nodes.latent[at], Math.fround(all[2 * (i + side * j)]!));
        assert.equal(nodes.latent[at + 1], Math.fround(all[2 * (i + side * j) + 1]!));
      }));
      // Bilinear between nodes is exact for an affine map (to float32 rounding), so every index path is checked.
      const expanded = nodes.expand(Float32Array.from(affine(Float64Array.from(nodes.latent), mu, a)));
      const exact = affine(all, mu, a);
      let worst = 0;
      for (let k = 0; k < exact.length; k++) worst = Math.max(worst, Math.abs(expanded[k]! - exact[k]!));
      assert.ok(worst < 2e-6, `largest difference ${worst}`);
    });
  }

  it('expand() is bilinear, not exact, for a curved G, and refuses values that are not G at its nodes', () => {
    const nodes = new LatentNodes(64);
    const curved = (z: ArrayLike<number>): Float32Array => Float32Array.from({ length: z.length }, (_, k) => (k % 2 === 0 ? z[k]! * z[k]! : Math.sin(z[k]!)));
    const expanded = nodes.expand(curved(nodes.latent));
    const exact = curved(latentQuantileLattice(64));
    let worst = 0;
    for (let k = 0; k < exact.length; k++) worst = Math.max(worst, Math.abs(expanded[k]! - exact[k]!));
    // Linear in z between nodes a < b, z² is off by (z − a)(b − z): 0.097 at z₁ = Φ⁻¹(1.5/64) between z₀ and z₂, the widest gap.
    assert.ok(worst > 1e-4 && worst < 0.1, `largest difference ${worst}`);
    assert.throws(() => nodes.expand(new Float32Array(10)), /expected G at 1024 latent nodes/);
  });

  it('cloud-in-cell conserves mass, counting what falls beyond the outer cell centres as outside', () => {
    const l = createLattice2D(target, { side: 16 });
    const points = latentSamples(createRng(7), 5000, 2).map((v) => 6 * v);
    const { mass, outsideMass } = cloudInCell(l, points);
    assertNear(mass.reduce((s, v) => s + v, 0) + outsideMass, 1, 1e-12, 'total');
    assert.ok(outsideMass > 0.01, `some mass outside (${outsideMass})`);
  });

  it('a latentDim-1 generator (points on a curve) is reported singular with the exact values', () => {
    const z = latentQuantileLattice(256).filter((_, i) => i % 2 === 0).slice(0, 256);
    const curve = new Float64Array(2 * z.length);
    z.forEach((t, i) => { curve[2 * i] = t; curve[2 * i + 1] = Math.sin(t); });
    const l = createLattice2D(target, { include: curve });
    const q = pushForward2D(l, curve, 1);
    assert.equal(q.singular, true);
    const pm = targetOnLattice2D(target, l);
    const v = latticeDivergences2D(pm, q, NaN, { qSingular: q.singular });
    // Hinge: Q(p < q) − Q(p > q) is Q's whole mass on the lattice when Q sits where p/q = 0.
    assertNear(latticeEffectiveObjective('hinge', pm, q, v, { qSingular: true }), 1 - q.outsideMass, 1e-12, 'hinge objective');
    assert.equal(v.jsd, Math.LN2);
    assert.equal(v.kl, Infinity);
    assert.equal(v.reverse_kl, Infinity);
    assert.equal(v.total_variation, 1);
    assert.equal(v.squared_hellinger, 2);
    assert.equal(v.gan, F_DIVERGENCES.gan.tail.f0 + F_DIVERGENCES.gan.tail.slopeAtInfinity);
    // Without the flag, the binned sum is a finite number below log 2: the value the flag exists to replace.
    const binned = latticeDivergences2D(targetOnLattice2D(target, l), q, NaN);
    assert.ok(binned.jsd < Math.LN2 && binned.jsd > 0, `binned JSD ${binned.jsd}`);
  });
});
