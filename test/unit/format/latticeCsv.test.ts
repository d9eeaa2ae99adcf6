import assert from 'node:assert/strict';
import { LATTICE_CSV_COLUMNS, latticeCsv } from '../../../src/latticeCsv';
import type { PlaneSnapshot } from '../../../src/protocol';

describe('latticeCsv: the 2-D maps for notebooks', () => {
  const plane = {
    x: { lo: -1, hi: 1, count: 2 },
    y: { lo: 0, hi: 3, count: 3 },
    p: Float32Array.from([1, 2, 3, 4, 5, 6]),
    q: Float32Array.from([0, 0.5, Infinity, 1, 1, 1]),
    critic: Float32Array.from([0.5, 0.5, 0.5, 0.5, 0.5, NaN]),
    optimalCritic: new Float32Array(0),
    contribution: Float32Array.from([-Infinity, 0, 0, 0, 0, 0.25]),
  } as unknown as PlaneSnapshot;

  it('writes one row per cell, cell (i, j) at its centre, i fastest, with the documented header', () => {
    const lines = latticeCsv(plane).trimEnd().split('\n');
    assert.equal(lines[0], LATTICE_CSV_COLUMNS.join(','));
    assert.equal(lines.length, 1 + 6);
    assert.equal(lines[1], '0,0,-0.5,0.5,1,0,0.5,,-inf');
    assert.equal(lines[2], '1,0,0.5,0.5,2,0.5,0.5,,0');
    assert.equal(lines[3], '0,1,-0.5,1.5,3,inf,0.5,,0');
    assert.equal(lines[6], '1,2,0.5,2.5,6,1,nan,,0.25');
  });
});
