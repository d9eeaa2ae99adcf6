import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lattice, latticeAxis } from '../../../src/core/lattice';
import { targetOnLattice2D } from '../../../src/core/targetCells2d';
import { createTarget2D } from '../../../src/core/targets2d';
import { createRng } from '../../../src/core/rng';
import { LatticeTransport, transportCost, wasserstein1Between2D, wasserstein1OnLattice } from '../../../src/core/transport';
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

interface PotSequence {
  readonly lo: [number, number];
  readonly hi: [number, number];
  readonly nx: number;
  readonly ny: number;
  readonly p: number[];
  readonly steps: { readonly q: number[]; readonly w1: number }[];
}

const fixture = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'reference', name), 'utf8')) as T;

/** Cell masses m^4 for uniform m, a share of cells empty: rough, like a generator's early push-forward. */
function randomMasses(rng: ReturnType<typeof createRng>, cells: number, empty: number): Float64Array {
  return Float64Array.from({ length: cells }, () => (rng.next() < empty ? 0 : rng.next() ** 4));
}

type Cov = [[number, number], [number, number]];
const NARROW: Cov = [[0.25, 0.1], [0.1, 0.2]];
const WIDE: Cov = [[1, 0.5], [0.5, 0.8]];
const gaussianCells = (mean: [number, number], l: ReturnType<typeof lattice>, cov = NARROW) =>
  targetOnLattice2D(createTarget2D({ kind: 'mixture', components: [{ mean, cov }] }), l).mass;

describe('core/transport', () => {
  it('matches POT ot.emd2 (network simplex) on random masses, to 1e-9 relative', () => {
    for (const c of fixture<PotCase[]>('transport2d.json')) {
      const l = lattice([latticeAxis(c.lo[0], c.hi[0], c.nx), latticeAxis(c.lo[1], c.hi[1], c.ny)]);
      const r = wasserstein1OnLattice(l, Float64Array.from(c.p), Float64Array.from(c.q));
      assert.ok(r.optimal, c.name);
      assertClose(r.value, c.w1, 1e-9, c.name);
    }
  });

  it('a warm-started sequence matches POT at every step, and a cold solve of each step', () => {
    const c = fixture<PotSequence>('transport2d-sequence.json');
    const l = lattice([latticeAxis(c.lo[0], c.hi[0], c.nx), latticeAxis(c.lo[1], c.hi[1], c.ny)]);
    const p = Float64Array.from(c.p);
    const transport = new LatticeTransport();
    c.steps.forEach((step, t) => {
      const q = Float64Array.from(step.q);
      const warm = transport.solve(l, p, q);
      if (t === 0) assert.notEqual(warm.start, 'previous', 'the first solve has no previous optimum');
      assert.ok(warm.optimal, `step ${t}`);
      assertClose(warm.value, step.w1, 1e-9, `step ${t} vs ot.emd2`);
      assertClose(warm.value, wasserstein1OnLattice(l, p, q).value, 1e-12, `step ${t} warm vs cold`);
    });
  });

  it('any warm start reaches the cold optimum: from an unrelated problem, with cells changing sides, and after the shape changes', () => {
    const rng = createRng(20261202);
    const l = lattice([latticeAxis(-1, 2, 14), latticeAxis(0, 1, 10)]);
    const transport = new LatticeTransport();
    for (let k = 0; k < 12; k++) {
      // Masses drawn afresh each time: almost every cell's sign of p − q differs from the last problem's.
      const p = randomMasses(rng, l.size, 0.3);
      const q = randomMasses(rng, l.size, 0.3);
      const warm = transport.solve(l, p, q);
      const cold = wasserstein1OnLattice(l, p, q);
      assert.ok(warm.optimal && cold.optimal, `case ${k}`);
      assertClose(warm.value, cold.value, 1e-12, `case ${k}`);
    }
    const r = transport.solve(l, randomMasses(rng, l.size, 0), randomMasses(rng, l.size, 0), 7);
    assert.equal(r.start, 'northwest', 'a 7 × 5 solve can start neither from a 14 × 10 tree nor from a coarser lattice');
    assert.equal(r.side, 7);
    transport.reset();
    assert.notEqual(transport.solve(l, randomMasses(rng, l.size, 0), randomMasses(rng, l.size, 0)).start, 'previous', 'after reset');
  });

  it('starts from the tree refined from the coarser lattice\'s optimum where that is the cheapest start, and reaches the same optimum as POT', () => {
    // A generator part-way to a two-mode target (24 × 20 cells): the refined tree must beat the northwest-corner tree to be taken.
    const c = fixture<PotSequence>('transport2d-sequence.json');
    const l = lattice([latticeAxis(c.lo[0], c.hi[0], c.nx), latticeAxis(c.lo[1], c.hi[1], c.ny)]);
    const p = Float64Array.from(c.p);
    const starts = c.steps.map((step) => {
      const r = new LatticeTransport().solve(l, p, Float64Array.from(step.q));
      assert.ok(r.optimal);
      assertClose(r.value, step.w1, 1e-9, 'vs ot.emd2');
      return r.start;
    });
    assert.deepEqual(starts, c.steps.map(() => 'coarser'));
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

  it('between analytic targets: a Gaussian and its translate by v gives |v| within the reported lattice bound', () => {
    const v: [number, number] = [0.6, -0.35];
    const p = createTarget2D({ kind: 'mixture', components: [{ mean: [0, 0], cov: WIDE }] });
    const q = createTarget2D({ kind: 'mixture', components: [{ mean: v, cov: WIDE }] });
    const r = wasserstein1Between2D(p, q, 32);
    assert.ok(r.optimal);
    assert.equal(r.side, 32);
    assert.ok(r.bound > 0 && r.bound < 1.5, `bound ${r.bound}`);
    assertNear(r.value, Math.hypot(...v), r.bound, 'translate');
    assertNear(r.value, Math.hypot(...v), 1e-3, 'translate, far inside the bound (the errors of P and Q cancel)');
  });

  it('a point mass moved along a diagonal costs its Euclidean length, not the grid path', () => {
    const r = transportCost(Float64Array.of(0, 0, 1, 0), Float64Array.of(0.5, 0.5), Float64Array.of(0, 5, 4, 0), Float64Array.of(0.5, 0.5));
    assertClose(r.cost, 0.5 * 5 + 0.5 * 3, 1e-15, 'two point masses');
  });
});
