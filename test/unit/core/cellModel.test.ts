import * as assert from 'node:assert/strict';
import { NODES_PER_PIECE } from '../../../src/core/cellNodes';
import { cellModel } from '../../../src/core/cellModel';
import { cellEdge, createGrid, type Grid } from '../../../src/core/grid';
import { createRng } from '../../../src/core/rng';
import { normalLogMassBetween, normalLogPdf } from '../../../src/core/special';
import { createTarget } from '../../../src/core/targets';
import { assertNear } from './helpers';

const grid = createGrid(createTarget({ kind: 'uniform', lo: -0.37, hi: 2 }), { include: { lo: -6, hi: 6 } });

/** log of the node masses of each cell, summed. */
function nodeMasses(g: Grid, logNodeDensity: Float64Array): Float64Array {
  return Float64Array.from({ length: g.x.length }, (_, i) => {
    let sum = 0;
    for (let j = g.nodes.firstPiece[i] * NODES_PER_PIECE; j < g.nodes.firstPiece[i + 1] * NODES_PER_PIECE; j++) sum += g.nodes.weight[j] * Math.exp(logNodeDensity[j]);
    return Math.log(sum);
  });
}

describe('core/cellModel', () => {
  it('continues a Gaussian\'s cell masses to its density inside the cells, keeping every cell\'s mass', () => {
    const [mean, std] = [0.4, 0.7];
    const logMass = Float64Array.from(grid.x, (_, i) => normalLogMassBetween((cellEdge(grid, i) - mean) / std, (cellEdge(grid, i + 1) - mean) / std));
    const model = cellModel(grid, logMass);
    const sums = nodeMasses(grid, model.logNodeDensity);
    // The cells cut at the uniform's edges too: their pieces together still carry the cell's mass.
    assert.ok(grid.nodes.cuts.length === 2);
    for (let i = 0; i < grid.x.length; i += 7) assertNear(sums[i], logMass[i], 1e-12, `log mass of cell ${i}`);
    const rng = createRng(4);
    for (let k = 0; k < 200; k++) {
      const i = Math.floor(rng.next() * grid.x.length);
      const x = grid.x[i] + (rng.next() - 0.5) * grid.dx;
      const z = Math.abs(x - mean) / std;
      if (z > 8) continue;
      // Absolute in log q, i.e. relative in q; measured 6e-6 within 3 std and 2e-5 to 8 std. The error is
      // odd about the cell's centre, so it leaves the cell's mass and, to second order, the divergences alone.
      assertNear(model.logDensityIn(i, x), normalLogPdf(x, mean, std), z < 3 ? 1e-5 : 5e-5, `log q(${x})`);
    }
    assertNear(model.logDensity[200], normalLogPdf(grid.x[200], mean, std), 1e-5, 'log q at a grid point');
  });

  it('keeps a step flat on both sides of the jump, and a single occupied cell flat, instead of bending them', () => {
    // Mass dx·1 per cell left of x_250, dx·0.01 from there: flat pieces with a 4.6-nat drop.
    const logMass = Float64Array.from(grid.x, (_, i) => Math.log(grid.dx * (i < 250 ? 1 : 0.01)));
    const model = cellModel(grid, logMass);
    for (const i of [100, 248, 249, 250, 251, 400]) {
      for (const t of [-0.45, 0, 0.3]) assertNear(model.logDensityIn(i, grid.x[i] + t * grid.dx), logMass[i] - Math.log(grid.dx), 1e-12, `cell ${i}, t = ${t}`);
    }
    const point = new Float64Array(grid.x.length).fill(-Infinity);
    point[77] = 0;
    const spike = cellModel(grid, point);
    assertNear(spike.logDensity[77], -Math.log(grid.dx), 1e-12, 'the occupied cell');
    assert.equal(spike.logDensity[76], -Infinity);
    assert.equal(spike.logNodeDensity.filter(Number.isFinite).length, NODES_PER_PIECE);
  });

  it('stays finite on a tail whose log falls 1,000 nats per cell', () => {
    const logMass = Float64Array.from(grid.x, (_, i) => -1000 * i);
    const model = cellModel(grid, logMass);
    const sums = nodeMasses(grid, model.logNodeDensity.map((l, j) => l + 1000 * grid.nodes.pieceCell[Math.floor(j / NODES_PER_PIECE)]));
    assert.ok(model.logNodeDensity.every((l) => Number.isFinite(l)));
    for (const i of [30, 300]) assertNear(sums[i], 0, 1e-9, `cell ${i} keeps its mass (scaled by e^{1000·${i}})`);
  });
});
