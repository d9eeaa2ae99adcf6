import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lattice, latticeAxis } from '../../../src/core/lattice';
import { targetOnLattice2D } from '../../../src/core/targetCells2d';
import { createTarget2D } from '../../../src/core/targets2d';
import { transportCost, wasserstein1OnLattice } from '../../../src/core/transport';
import { repoRoot } from '../paths';
import { assertClose, assertNear } from './helpers';

interface PotCase {
  readonly name: string;
  readonly lo: [number, number];
  readonly hi: [number, number];
  readonly nx: number;
  readonly ny: number;
  readonly p: number[];
  readonly q: number[];
  readonly w1: number;
}

type Cov = [[number, number], [number, number]];
const NARROW: Cov = [[0.25, 0.1], [0.1, 0.2]];
const WIDE: Cov = [[1, 0.5], [0.5, 0.8]];
const gaussianCells = (mean: [number, number], l: ReturnType<typeof lattice>, cov = NARROW) =>
  targetOnLattice2D(createTarget2D({ kind: 'mixture', components: [{ mean, cov }] }), l).mass;

describe('core/transport', () => {
  it('matches POT ot.emd2 (network simplex) on random masses, to 1e-9 relative', () => {
    const file = path.join(repoRoot, 'test', 'fixtures', 'reference', 'transport2d.json');
    for (const c of JSON.parse(fs.readFileSync(file, 'utf8')) as PotCase[]) {
      const l = lattice([latticeAxis(c.lo[0], c.hi[0], c.nx), latticeAxis(c.lo[1], c.hi[1], c.ny)]);
      const r = wasserstein1OnLattice(l, Float64Array.from(c.p), Float64Array.from(c.q));
      assert.ok(r.optimal, c.name);
      assertClose(r.value, c.w1, 1e-9, c.name);
    }
  });

  it('W₁ of a distribution and its translate by a whole number of cells is |v|', () => {
    const l = lattice([latticeAxis(-6, 6, 24), latticeAxis(-6, 6, 24)]);
    const r = wasserstein1OnLattice(l, gaussianCells([0, 0], l), gaussianCells([1.5, -1], l));
    assertNear(r.value, Math.hypot(1.5, 1), 1e-9, 'translate by (3, −2) cells');
  });

  it('W₁ of a translate by a fraction of a cell is |v| to 1e-3 (coarsened 48 → 24, bound reported)', () => {
    const l = lattice([latticeAxis(-8, 8, 48), latticeAxis(-8, 8, 48)]);
    const v: [number, number] = [0.3, 0.45];
    const r = wasserstein1OnLattice(l, gaussianCells([0, 0], l, WIDE), gaussianCells(v, l, WIDE), 24);
    assertNear(r.value, Math.hypot(...v), 1e-3, 'translate by (0.3, 0.45)');
    assertNear(r.coarseningBound, Math.hypot(1 / 3, 1 / 3), 1e-12, 'coarsening bound');
  });

  it('a point mass moved along a diagonal costs its Euclidean length, not the grid path', () => {
    const r = transportCost(Float64Array.of(0, 0, 1, 0), Float64Array.of(0.5, 0.5), Float64Array.of(0, 5, 4, 0), Float64Array.of(0.5, 0.5));
    assertClose(r.cost, 0.5 * 5 + 0.5 * 3, 1e-15, 'two point masses');
  });
});
