import * as assert from 'node:assert/strict';
import { lattice, latticeAxis } from '../../../src/core/lattice';
import { normalMassBetween } from '../../../src/core/special';
import { targetOnLattice2D } from '../../../src/core/targetCells2d';
import { createTarget2D, type Target2DSpec } from '../../../src/core/targets2d';
import { TargetError } from '../../../src/core/targets';
import { assertClose, assertNear } from './helpers';

const l = lattice([latticeAxis(-4, 4, 32), latticeAxis(-3, 5, 40)]);

function rejects(spec: unknown, field: string): void {
  assert.throws(() => createTarget2D(spec as Target2DSpec), (e: unknown) => e instanceof TargetError && e.field === field, `expected an error on ${field}`);
}

describe('core/targets2d', () => {
  it('names the component whose covariance is not symmetric positive definite, or whose mean is 1-D', () => {
    rejects({ kind: 'mixture', components: [{ mean: [0, 0] }, { mean: [1, 1], cov: [[1, 2], [2, 1]] }] }, 'components[1].cov');
    rejects({ kind: 'mixture', components: [{ mean: [0, 0], cov: [[1, 0.2], [0.3, 1]] }] }, 'components[0].cov');
    rejects({ kind: 'mixture', components: [{ mean: [0, 0] }, { mean: 1, std: 1 }] }, 'components[1].mean');
    rejects({ kind: 'mixture', components: [{ mean: [0, 0], std: 1, cov: [[1, 0], [0, 1]] }] }, 'components[0].cov');
    rejects({ kind: 'segment', from: [1, 1], to: [1, 1] }, 'to');
  });

  it('ring and grid are equal-weight mixtures at the stated places (25 Gaussians: grid side 5)', () => {
    const ring = createTarget2D({ kind: 'ring', modes: 8, radius: 2, std: 0.2, center: [1, 0] });
    assert.ok(ring.kind === 'mixture');
    assert.equal(ring.components.length, 8);
    assertNear(ring.components[2].mean[0], 1, 1e-12, 'third mode x');
    assertNear(ring.components[2].mean[1], 2, 1e-12, 'third mode y');
    const grid = createTarget2D({ kind: 'grid', side: 5, spacing: 2, std: 0.05 });
    assert.ok(grid.kind === 'mixture');
    assert.equal(grid.components.length, 25);
    assert.deepEqual(grid.components[0].mean, [-4, -4]);
    assert.deepEqual(grid.components[24].mean, [4, 4]);
  });

  it('axis-aligned cell masses are products of normal CDF differences; with the outside they sum to 1', () => {
    const t = createTarget2D({ kind: 'mixture', components: [{ mean: [0.3, 1], std: [0.7, 1.1] }] });
    const m = targetOnLattice2D(t, l);
    const [ax, ay] = l.axes;
    for (const [i, j] of [[0, 0], [15, 17], [31, 39], [3, 30]]) {
      const expected = normalMassBetween((ax.lo + i * ax.width - 0.3) / 0.7, (ax.lo + (i + 1) * ax.width - 0.3) / 0.7) *
        normalMassBetween((ay.lo + j * ay.width - 1) / 1.1, (ay.lo + (j + 1) * ay.width - 1) / 1.1);
      assertClose(m.mass[i + 32 * j], expected, 1e-13, `cell (${i}, ${j})`);
    }
    assertNear(m.mass.reduce((s, v) => s + v, 0) + m.outsideMass, 1, 1e-14, 'total');
  });

  it('correlated cell masses: a vanishing correlation reproduces the axis-aligned product; a rotated pair agrees with its mirror', () => {
    const aligned = targetOnLattice2D(createTarget2D({ kind: 'mixture', components: [{ mean: [0, 1], std: [0.8, 1.2] }] }), l);
    const almost = targetOnLattice2D(createTarget2D({ kind: 'mixture', components: [{ mean: [0, 1], cov: [[0.64, 1e-13], [1e-13, 1.44]] }] }), l);
    for (let c = 0; c < l.size; c++) if (aligned.mass[c] > 1e-300) assertClose(almost.logMass[c], aligned.logMass[c], 1e-10, `log mass of cell ${c}`);
    // ρ and −ρ are mirror images in x about the mean, on a lattice symmetric about it.
    const sym = lattice([latticeAxis(-4, 4, 32), latticeAxis(-3, 5, 40)]);
    const plus = targetOnLattice2D(createTarget2D({ kind: 'mixture', components: [{ mean: [0, 1], cov: [[1, 0.7], [0.7, 1]] }] }), sym);
    const minus = targetOnLattice2D(createTarget2D({ kind: 'mixture', components: [{ mean: [0, 1], cov: [[1, -0.7], [-0.7, 1]] }] }), sym);
    for (let j = 0; j < 40; j++) for (let i = 0; i < 32; i++) assertClose(plus.mass[i + 32 * j], minus.mass[31 - i + 32 * j], 1e-11, `mirror (${i}, ${j})`);
    assertNear(plus.mass.reduce((s, v) => s + v, 0) + plus.outsideMass, 1, 1e-13, 'correlated total');
  });

  it('box and segment masses are overlap area and length fractions', () => {
    const box = targetOnLattice2D(createTarget2D({ kind: 'box', lo: [-1.1, 0], hi: [0.9, 1] }), l);
    // Cells are 0.25 × 0.2: cell i = 11 spans x ∈ [−1.25, −1], which holds 0.1 of the box's 2.
    assertClose(box.mass[11 + 32 * 15], (0.1 * 0.2) / 2, 1e-12, 'edge cell');
    assertClose(box.mass[14 + 32 * 15], (0.25 * 0.2) / 2, 1e-12, 'inner cell');
    const seg = targetOnLattice2D(createTarget2D({ kind: 'segment', from: [-1, 0.1], to: [1, 0.1] }), l);
    assertClose(seg.mass[12 + 32 * 15], 0.25 / 2, 1e-12, 'a quarter-wide cell holds 1/8 of the segment');
    assertNear(seg.mass.reduce((s, v) => s + v, 0), 1, 1e-14, 'segment total');
  });
});
