import * as assert from 'node:assert/strict';
import { cellEdge, createGrid, DEFAULT_GRID_SIZE, targetOnGrid, uniformGrid } from '../../../src/core/grid';
import { normalCdf, normalPdf } from '../../../src/core/special';
import { createTarget } from '../../../src/core/targets';
import { assertClose } from './helpers';

const target = createTarget({ kind: 'mixture', components: [{ weight: 1, mean: 1, std: 2 }] });

describe('core/grid', () => {
  it('covers every component to 8 std and the included range, with uniform spacing', () => {
    const grid = createGrid(target, { include: { lo: -30, hi: 0 } });
    assert.equal(grid.x.length, DEFAULT_GRID_SIZE);
    assert.ok(grid.lo <= -30 && grid.hi >= 1 + 16);
    assert.equal(grid.x[0], grid.lo);
    assertClose(grid.x[grid.x.length - 1], grid.hi, 1e-15, 'last point');
    for (let i = 1; i < grid.x.length; i++) assertClose(grid.x[i] - grid.x[i - 1], grid.dx, 1e-9, `spacing ${i}`);
    assert.equal(createGrid(target, { size: 64 }).x.length, 64);
    assert.throws(() => createGrid(target, { size: 3 }), /grid size must be an integer ≥ 8/);
    assert.throws(() => createGrid(target, { include: { lo: 0, hi: NaN } }), /include must be a finite interval/);
  });

  it('samples an analytic density with exact cell masses and W₁ end terms', () => {
    const grid = createGrid(target, { size: 128 });
    const g = targetOnGrid(target, grid);
    const i = 40;
    assertClose(g.logDensity[i], Math.log(normalPdf((grid.x[i] - 1) / 2) / 2), 1e-14, 'log p');
    const mass = normalCdf((cellEdge(grid, i + 1) - 1) / 2) - normalCdf((cellEdge(grid, i) - 1) / 2);
    assertClose(g.logMass[i], Math.log(mass), 1e-13, 'log P(cell)');
    // 50 std out a cell holds e^{−1300}, still exact in log space; elsewhere the nodes integrate p to
    // the cell masses, to 1e-10 even on this coarse grid (dx = σ/8).
    const far = createGrid(target, { include: { lo: -100, hi: 0 } });
    const tail = targetOnGrid(target, far);
    assert.ok(tail.logMass[0] < -1200 && Number.isFinite(tail.logMass[0]), `far cell ${tail.logMass[0]}`);
    for (const k of [380, 420, 460]) {
      let nodeMass = 0;
      for (let j = 4 * k; j < 4 * k + 4; j++) nodeMass += far.nodes.weight[j] * Math.exp(tail.logNodeDensity[j]);
      assertClose(nodeMass, Math.exp(tail.logMass[k]), 1e-10, `nodes integrate cell ${k}`);
    }
    // A grid that stops inside the bulk, so the end terms are large: ∫_{−∞}^{e} Φ((t − μ)/σ) dt = σ·(aΦ(a) + φ(a)), a = (e − μ)/σ.
    const short = targetOnGrid(target, uniformGrid(-1, 3, 41, []));
    const a = (-1.05 - 1) / 2;
    assertClose(short.cdfIntegralBelow, 2 * (a * normalCdf(a) + normalPdf(a)), 1e-13, 'below');
    const b = (1 - 3.05) / 2;
    assertClose(short.survivalIntegralAbove, 2 * (b * normalCdf(b) + normalPdf(b)), 1e-13, 'above');
    assertClose(short.outsideMass, normalCdf((-1.05 - 1) / 2) + normalCdf((1 - 3.05) / 2), 1e-13, 'outside mass');
    assert.ok(g.outsideMass < 1e-15, `a default grid leaves ${g.outsideMass} outside`);
  });
});
