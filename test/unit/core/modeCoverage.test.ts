import * as assert from 'node:assert/strict';
import { modeCoverage } from '../../../src/core/modeCoverage';
import { latentQuantileLattice } from '../../../src/core/pushForward2d';
import { createRng } from '../../../src/core/rng';
import { createTarget2D, quadForm, type Gaussian2D } from '../../../src/core/targets2d';

const ring = createTarget2D({ kind: 'ring', modes: 8, radius: 2, std: 0.2 });
if (ring.kind !== 'mixture') throw new Error('ring is a mixture');

/** G(z): the latent square split into 8 angular sectors, each squeezed onto one mode (or onto `modes` of them). */
function sectorGenerator(modes: number, spread: number): Float64Array {
  const z = latentQuantileLattice(64);
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length / 2; i++) {
    const k = Math.floor(((Math.atan2(z[2 * i + 1], z[2 * i]) + Math.PI) / (2 * Math.PI)) * 8) % modes;
    const angle = (2 * Math.PI * k) / 8;
    out[2 * i] = 2 * Math.cos(angle) + spread * z[2 * i];
    out[2 * i + 1] = 2 * Math.sin(angle) + spread * z[2 * i + 1];
  }
  return out;
}

describe('core/modeCoverage', () => {
  it('a generator on all 8 modes covers 8/8', () => {
    const c = modeCoverage(ring.components, sectorGenerator(8, 0.1));
    assert.equal(c.coveredCount, 8);
    for (const m of c.massNear) assert.ok(Math.abs(m - 1 / 8) < 0.01, `mass near a mode ${m}`);
  });

  it('a generator collapsed onto 3 modes covers 3/8, and a too-wide one covers none', () => {
    assert.deepEqual(modeCoverage(ring.components, sectorGenerator(3, 0.1)).covered, [true, true, true, false, false, false, false, false]);
    // With spread 2 only a sliver of each sector's mass stays within 3·0.2 of its mode.
    assert.equal(modeCoverage(ring.components, sectorGenerator(8, 2)).coveredCount, 0);
  });

  // The bucket grid only chooses which components a point is tested against: the counts are the brute-force ones.
  it('counts what testing every point against every component counts, on a 25-mode grid and overlapping correlated components', () => {
    const grid = createTarget2D({ kind: 'grid', side: 5, spacing: 2, std: 0.2 });
    const tangled = createTarget2D({
      kind: 'mixture', components: [
        { weight: 0.5, mean: [0, 0], cov: [[1, 0.8], [0.8, 1]] },
        { weight: 0.3, mean: [0.5, -0.2], std: [0.1, 2] },
        { weight: 0.2, mean: [-3, 1], std: 0.05 },
      ],
    });
    const rng = createRng(12);
    for (const target of [grid, tangled]) {
      if (target.kind !== 'mixture') throw new Error('a mixture');
      const points = new Float32Array(2 * 40_000);
      for (let i = 0; i < points.length; i++) points[i] = 3.5 * rng.normal();
      // Points exactly on the boxes' corners and on the means, where a bucket edge could drop them.
      target.components.forEach((g: Gaussian2D, k) => {
        points.set([g.mean[0], g.mean[1], g.mean[0] + 3 * Math.sqrt(g.cov.a), g.mean[1] + 3 * Math.sqrt(g.cov.c)], 4 * k);
      });
      const brute = target.components.map((g) => {
        let count = 0;
        for (let i = 0; i < points.length / 2; i++) if (quadForm(g.precision, points[2 * i]! - g.mean[0], points[2 * i + 1]! - g.mean[1]) <= 9) count++;
        return count / (points.length / 2);
      });
      assert.deepEqual(Array.from(modeCoverage(target.components, points).massNear), brute);
    }
  });
});
