import * as assert from 'node:assert/strict';
import { coarsen2D, createLattice2D, latticeContains } from '../../../src/core/lattice';
import { createTarget2D } from '../../../src/core/targets2d';
import { assertNear } from './helpers';

describe('core/lattice', () => {
  const ring = createTarget2D({ kind: 'ring', modes: 8, radius: 2, std: 0.2 });

  it('covers the target to 8 std and the generator points, padded 5%; one stray point widens it at most 3×', () => {
    const l = createLattice2D(ring);
    // Components reach ±(2 + 1.6) on x; padding adds 5% of 7.2 on each side.
    assertNear(l.axes[0].lo, -3.6 - 0.36, 1e-12, 'x lo');
    assert.equal(l.size, 128 * 128);
    const wide = createLattice2D(ring, { include: Float64Array.of(0, 0, 1e6, 0.5) });
    // The cap is the target's box widened by its own width on each side: x ∈ [−3.6, 3.6 + 7.2], then padded.
    assertNear(wide.axes[0].hi, 3.6 + 7.2 + 0.05 * 14.4, 1e-9, 'x hi capped');
    assertNear(wide.axes[1].hi, l.axes[1].hi, 1e-12, 'y untouched');
  });

  it('beside a segment target the generator\'s points widen the box across it as far as its length allows (a curve at distance 1 stays inside)', () => {
    // examples/parallel-lines.gan.ts at step 0: G's curve near x = 0, P on x = 1 from y = −1 to 1.
    const segment = createTarget2D({ kind: 'segment', from: [1, -1], to: [1, 1] });
    const curve = Float64Array.of(-0.2, -0.1, 0.05, 0, 0.3, 0.1);
    const l = createLattice2D(segment, { include: curve });
    assert.ok(latticeContains(l, curve), `x ∈ [${l.axes[0].lo}, ${l.axes[0].hi}]`);
    // Only across a segment: a narrow Gaussian (std 1 by 0.24) keeps its own cap, 3× its width.
    const narrow = createTarget2D({ kind: 'mixture', components: [{ mean: [0, 0], std: [1, 0.24] }] });
    const stray = createLattice2D(narrow, { include: Float64Array.of(0, -40, 0, 40) });
    const ySpan = stray.axes[1].hi - stray.axes[1].lo;
    assert.ok(ySpan <= 3 * 16 * 0.24 * 1.1 + 1e-9, `y spans ${ySpan}`);
    // Still capped: the segment's length (2) beyond it on each side.
    const far = createLattice2D(segment, { include: Float64Array.of(-50, 0) });
    assertNear(far.axes[0].lo, -1 - 0.05 * 2, 1e-9, 'x lo capped at 1 − 2, then padded by 5 % of [−1, 1]');
  });

  it('coarsening sums blocks and keeps the outer edges', () => {
    const l = createLattice2D(ring, { side: 8 });
    const mass = Float64Array.from({ length: 64 }, (_, c) => c);
    const c = coarsen2D(l, mass, 4);
    // Coarse cell 0 holds fine cells (0…3) × (0…3); coarse cell 3 holds (4…7) × (4…7).
    assert.equal(c.mass[0], [0, 8, 16, 24].reduce((s, row) => s + 4 * row + 6, 0));
    assert.equal(c.mass[3], [36, 44, 52, 60].reduce((s, row) => s + 4 * row + 6, 0));
    assert.equal(c.mass.reduce((s, v) => s + v, 0), (63 * 64) / 2);
    assert.equal(c.lattice.axes[0].lo, l.axes[0].lo);
    assert.equal(c.lattice.axes[1].hi, l.axes[1].hi);
    assert.throws(() => coarsen2D(l, mass, 3), /must divide/);
  });
});
