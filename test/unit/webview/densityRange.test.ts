/** The density chart's default view (webview/charts/densityRange.ts). */
import assert from 'node:assert/strict';
import { clippedPeaks, densityTop, massRange, Q_CLIP_FACTOR } from '../../../webview/charts/densityRange';

/** A grid on [lo, hi] and a normal density on it. */
function grid(lo: number, hi: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}
function normal(x: Float64Array, mean: number, sd: number): Float64Array {
  return x.map((v) => Math.exp(-0.5 * ((v - mean) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI)));
}

describe('density chart range: p stays readable under q', () => {
  const x = grid(-50, 50, 4001);
  const p = normal(x, 0, 1); // peak 0.399
  const q = normal(x, 0.5, 0.03); // peak 13.3: a collapsed generator

  it("clips q at a multiple of p's peak and says so", () => {
    const { top, qPeak, clipped } = densityTop(p, q, false);
    assert.ok(Math.abs(top - Q_CLIP_FACTOR * 0.3989) < 1e-3, `top ${top}`);
    assert.ok(clipped);
    assert.ok(qPeak > 13 && qPeak < 13.4, `q's peak ${qPeak}`);
  });

  it('shows all of q when asked, and does not clip a q lower than the clip', () => {
    assert.deepEqual(densityTop(p, q, true).clipped, false);
    assert.ok(densityTop(p, q, true).top > 13);
    const wide = normal(x, 0, 2);
    const r = densityTop(p, wide, false);
    assert.equal(r.clipped, false);
    assert.ok(Math.abs(r.top - 0.3989) < 1e-3);
  });

  it('ignores non-finite values and has a top when both are flat', () => {
    assert.equal(densityTop([0, 0], [0, Infinity], false).top, 1);
    assert.equal(densityTop([0, 0.5], [NaN, 1], false).top, 1);
  });

  it("takes x from p's and q's masses, not from the grid's ±50", () => {
    const [lo, hi] = massRange(x, p, q);
    // p's 0.5% and 99.5% quantiles are ∓2.576, padded by a tenth of the width.
    assert.ok(lo < -2.5 && lo > -3.2, `lo ${lo}`);
    assert.ok(hi > 2.5 && hi < 3.2, `hi ${hi}`);
  });

  it("covers a q that sits away from p, and stays inside the grid", () => {
    const far = normal(x, 20, 1);
    const [lo, hi] = massRange(x, p, far);
    assert.ok(lo < -2.5 && hi > 22.5 && hi < 26, `[${lo}, ${hi}]`);
    const edge = normal(x, 49.9, 1);
    assert.ok(massRange(x, p, edge)[1] <= 50);
    assert.deepEqual(massRange(x, new Float64Array(x.length), new Float64Array(x.length)), [-50, 50]);
  });
});

describe('density chart: marks at clipped spikes', () => {
  it('marks each run of q above the top once, at its highest point, with its height', () => {
    const x = grid(-5, 5, 1001);
    const q = normal(x, -2, 0.05).map((v, i) => 0.5 * v + 0.5 * normal(x, 2, 0.02)[i]!);
    const peaks = clippedPeaks(x, q, 1.2);
    assert.equal(peaks.length, 2);
    assert.ok(Math.abs(peaks[0]!.x + 2) < 0.011 && Math.abs(peaks[1]!.x - 2) < 0.011, JSON.stringify(peaks));
    assert.ok(Math.abs(peaks[1]!.peak - 0.5 / (0.02 * Math.sqrt(2 * Math.PI))) < 0.05, `peak ${peaks[1]!.peak}`);
    assert.deepEqual(clippedPeaks(x, q, 100), []);
  });

  it('marks a spike that reaches the last grid point', () => {
    assert.deepEqual(clippedPeaks([0, 1, 2], [0, 1, 5], 2), [{ x: 2, peak: 5 }]);
  });
});
