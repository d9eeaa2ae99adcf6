/** Mean and range over seeds of curves sampled at different points (webview/compare/seedStats.ts). */
import assert from 'node:assert/strict';
import { commonAxis, resample, seedStats } from '../../../webview/compare/seedStats';

describe('compare panel: curves over seeds', () => {
  it('spans every curve on one evenly spaced axis', () => {
    assert.deepEqual(commonAxis([{ xs: [10, 20], ys: [0, 0] }, { xs: [0, 5, 40], ys: [0, 0, 0] }, { xs: [], ys: [] }], 5), [0, 10, 20, 30, 40]);
    assert.deepEqual(commonAxis([{ xs: [], ys: [] }], 5), []);
    assert.deepEqual(commonAxis([{ xs: [7], ys: [1] }], 5), [7]);
  });

  it('interpolates linearly inside a curve, keeps ∞ infinite, and fills outside as asked', () => {
    const c = { xs: [0, 10, 20, 30], ys: [1, 3, Infinity, 5] };
    const at = [-5, 0, 5, 10, 14, 16, 20, 25, 30, 35];
    const r = resample(c, at, NaN);
    assert.ok(Number.isNaN(r[0]!) && Number.isNaN(r[9]!));
    assert.deepEqual(r.slice(1, 4), [1, 2, 3]);
    // Between 3 and ∞: the nearer neighbour (the earlier on a tie), never a NaN from ∞ − ∞.
    assert.deepEqual(r.slice(4, 9), [3, Infinity, Infinity, Infinity, 5]);
    assert.deepEqual(resample(c, [-5, 35], 0), [0, 0]);
  });

  it('averages the seeds that have a value at each point; the band is their range', () => {
    const a = { xs: [0, 100], ys: [0.6, 0.2] };
    const b = { xs: [0, 50], ys: [0.7, 0.5] };
    const s = seedStats([a, b], [0, 50, 100]);
    assert.deepEqual(s.n, [2, 2, 1]);
    assert.ok(Math.abs(s.mean[0]! - 0.65) < 1e-12 && Math.abs(s.mean[1]! - 0.45) < 1e-12 && Math.abs(s.mean[2]! - 0.2) < 1e-12);
    assert.ok(Math.abs(s.lo[1]! - 0.4) < 1e-12 && s.hi[1] === 0.5);
    // A density vanishes off its grid: with outside = 0 both seeds count everywhere.
    const d = seedStats([a, b], [0, 50, 100], 0);
    assert.deepEqual(d.n, [2, 2, 2]);
    assert.ok(Math.abs(d.mean[2]! - 0.1) < 1e-12);
    const inf = seedStats([a, { xs: [0, 100], ys: [Infinity, Infinity] }], [0]);
    assert.equal(inf.mean[0], Infinity);
    assert.ok(Number.isNaN(seedStats([], [0]).mean[0]!));
  });
});
