/** The numbers the panel, the status bar and the CLI print, over the ranges that occur in runs. */
import assert from 'node:assert/strict';
import { formatCount, formatMeanSd, formatRate, formatTick, formatValue } from '../../../src/numberFormat';

describe('number formatting', () => {
  it('writes values with four significant digits, grouped from 1,000, powers of ten only at the extremes', () => {
    const cases: [number, string][] = [
      [0, '0'], [1e-9, '1 × 10⁻⁹'], [1.234e-7, '1.234 × 10⁻⁷'], [2.792e-5, '2.792 × 10⁻⁵'], [0.00012345, '0.0001234'],
      [0.0019, '0.0019'], [0.69315, '0.6932'], [0.5, '0.5'], [1.75, '1.75'], [183.0, '183'], [183.7, '183.7'],
      [999.96, '1,000'], [1000, '1,000'], [1234.5678, '1,235'], [31_910, '31,910'], [31_917.4, '31,917'], [1e6, '1,000,000'],
      [1.5e9, '1.5 × 10⁹'], [-0.0019, '−0.0019'], [-31_910, '−31,910'], [-2e-6, '−2 × 10⁻⁶'],
      [Infinity, '∞'], [-Infinity, '−∞'], [NaN, '—'],
    ];
    for (const [v, text] of cases) assert.equal(formatValue(v), text, String(v));
    assert.equal(formatValue(null), '—');
    assert.equal(formatValue(undefined), '—');
  });

  it('keeps more digits when asked, never an e+ exponent in ordinary ranges', () => {
    assert.equal(formatValue(0.310957, 6), '0.310957');
    assert.equal(formatValue(183.003531, 6), '183.004');
    assert.equal(formatValue(1234.5678, 6), '1,234.57');
    assert.equal(formatValue(0.6931471805599453, 10), '0.6931471806');
    assert.equal(formatValue(183.7, 2), '180');
    for (let e = -4; e < 9; e++) {
      for (const m of [1, 1.5, 3.191, 9.9996]) assert.doesNotMatch(formatValue(m * 10 ** e), /e/, `${m}e${e}`);
    }
  });

  it('writes step counts grouped and axis ticks short', () => {
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(31_910), '31,910');
    assert.equal(formatCount(1_000_000), '1,000,000');
    assert.equal(formatCount(NaN), '—');
    const ticks: [number, string][] = [
      [0, '0'], [0.30000000000000004, '0.3'], [0.125, '0.125'], [0.0015, '0.0015'], [1e-5, '10⁻⁵'], [2e-5, '2 × 10⁻⁵'],
      [-4, '−4'], [50, '50'], [500, '500'], [999.96, '1k'], [1000, '1k'], [2500, '2.5k'], [10_000, '10k'], [31_910, '31.9k'],
      [1e6, '1M'], [2.5e6, '2.5M'], [3e9, '3 × 10⁹'], [Infinity, '∞'],
    ];
    for (const [v, text] of ticks) assert.equal(formatTick(v), text, String(v));
  });

  it('writes steps per second whole from 100 on, with a decimal below', () => {
    assert.equal(formatRate(1572.3), '1,572');
    assert.equal(formatRate(24.36), '24.4');
    assert.equal(formatRate(3), '3');
    assert.equal(formatRate(-1), '—');
    assert.equal(formatRate(NaN), '—');
  });

  it('writes a mean over seeds with its sd, alone over one seed or when infinite', () => {
    assert.equal(formatMeanSd({ mean: 0.041283, sd: 0.001634, n: 3 }), '0.04128 ± 0.0016');
    assert.equal(formatMeanSd({ mean: 0.041283, sd: 0, n: 1 }), '0.04128');
    assert.equal(formatMeanSd({ mean: Infinity, sd: NaN, n: 2 }), '∞');
    assert.equal(formatMeanSd({ mean: 1234.5, sd: 12.25, n: 2 }), '1,235 ± 12');
    assert.equal(formatMeanSd(undefined), '—');
  });
});
