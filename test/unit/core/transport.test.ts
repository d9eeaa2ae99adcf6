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
    const fine = wasserstein1OnLattice(l, gaussianCells([0, 0], l, WIDE), gaussianCells(v, l, WIDE));
    assert.ok(Math.abs(r.value - fine.value) <= r.coarseningBound, `|${r.value} − ${fine.value}| within ${r.coarseningBound}`);
    // At most the bound for any P and Q, hypot(H − h); a translate by 0.54 moves a third of the mass.
    assert.ok(r.coarseningBound < 0.5 * Math.hypot(1 / 3, 1 / 3), `bound ${r.coarseningBound}`);
  });

  // Measured: the bound is 0.48–0.82 of hypot(H − h) on these rough masses; the two values differ by 1–20 % of it.
  it('a coarser lattice\'s W₁ lies within the reported bound of the given lattice\'s, which is at most hypot(H − h) and 0 for P = Q', () => {
    const rng = createRng(19);
    const l = lattice([latticeAxis(-3, 3, 24), latticeAxis(-2, 2, 12)]);
    for (let trial = 0; trial < 12; trial++) {
      const p = randomMasses(rng, l.size, 0.3);
      const q = trial % 3 === 0 ? gaussianCells([rng.normal(), 0.5 * rng.normal()], l, WIDE) : randomMasses(rng, l.size, 0.3);
      const fine = wasserstein1OnLattice(l, p, q);
      assert.equal(fine.coarseningBound, 0);
      for (const side of [12, 8, 6]) {
        const r = wasserstein1OnLattice(l, p, q, side);
        const factor = 24 / side;
        const worst = Math.hypot((factor - 1) * l.axes[0].width, (factor - 1) * l.axes[1].width);
        assert.ok(Math.abs(r.value - fine.value) <= r.coarseningBound * (1 + 1e-12), `trial ${trial}, ${side} cells: |${r.value} − ${fine.value}| > ${r.coarseningBound}`);
        assert.ok(r.coarseningBound <= worst * (1 + 1e-12), `trial ${trial}, ${side} cells: bound ${r.coarseningBound} > ${worst}`);
      }
      assert.equal(wasserstein1OnLattice(l, p, p, 8).coarseningBound, 0);
    }
  });

  it('the coarsening bound is the net mass times its distance to the block centre, attained when a block merges a source and a sink', () => {
    // P at cell (0, 0) and Q at (1, 1) of a 4 × 4 lattice, plus mass common to both at (3, 3): coarsened by 2, one block holds both.
    const l = lattice([latticeAxis(0, 4, 4), latticeAxis(0, 3, 4)]);
    const [p, q] = [new Float64Array(16), new Float64Array(16)];
    [p[0], p[15], q[5], q[15]] = [1, 1, 1, 1];
    const fine = wasserstein1OnLattice(l, p, q);
    const coarse = wasserstein1OnLattice(l, p, q, 2);
    assertNear(fine.value, 0.5 * Math.hypot(1, 0.75), 1e-12, 'half the mass across a cell diagonal');
    assertNear(coarse.value, 0, 1e-12, 'coarse: nothing moves');
    assertNear(coarse.coarseningBound, fine.value, 1e-12, 'bound = what coarsening lost');
    // Q at (2, 0) instead, the corner of the next block: each half moves half a cell diagonal to its block's centre.
    q.fill(0);
    [q[2], q[15]] = [1, 1];
    assertNear(wasserstein1OnLattice(l, p, q, 2).coarseningBound, 0.5 * Math.hypot(1, 0.75), 1e-12, 'two corner cells');
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
