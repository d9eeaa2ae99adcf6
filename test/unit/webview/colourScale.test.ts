/** The 2-D maps' colour scales (webview/plane/colourScale.ts) and the ranges they are given (webview/plane/domains.ts). */
import assert from 'node:assert/strict';
import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import {
  COLOUR_MAPS, ColourScale, divergingScale, LUT_SIZE, lutFrom, lutOf, NO_VALUE, parseColour,
} from '../../../webview/plane/colourScale';
import { absQuantile, criticDomain, densityDomain, massLevels, supportMask, symmetricDomain } from '../../../webview/plane/domains';

const entry = (lut: Uint8ClampedArray, k: number): number[] => Array.from(lut.subarray(4 * k, 4 * k + 4));

describe('colour scales: lookup tables from the interpolators', () => {
  it('reads both colour forms d3 returns, and refuses others', () => {
    assert.deepEqual(parseColour('#440154'), [0x44, 0x01, 0x54]);
    assert.deepEqual(parseColour('rgb(103, 0, 31)'), [103, 0, 31]);
    assert.throws(() => parseColour('hsl(0, 0%, 0%)'));
  });

  it("has 256 entries whose ends are the interpolator's ends", () => {
    for (const [name, interpolator] of Object.entries(COLOUR_MAPS)) {
      const lut = lutOf(name as keyof typeof COLOUR_MAPS);
      assert.equal(lut.length, 4 * LUT_SIZE);
      assert.deepEqual(entry(lut, 0), [...parseColour(interpolator(0)), 255], `${name} at 0`);
      assert.deepEqual(entry(lut, LUT_SIZE - 1), [...parseColour(interpolator(1)), 255], `${name} at 1`);
    }
    assert.deepEqual(entry(lutFrom(interpolateViridis), 0), [0x44, 0x01, 0x54, 255]);
    assert.deepEqual(entry(lutFrom(interpolateViridis), 255), [0xfd, 0xe7, 0x25, 255]);
  });

  it('keeps the colour maps apart: densities, critic and the two signed maps differ', () => {
    const ends = Object.keys(COLOUR_MAPS).map((n) => JSON.stringify([entry(lutOf(n as keyof typeof COLOUR_MAPS), 0), entry(lutOf(n as keyof typeof COLOUR_MAPS), 255)]));
    assert.equal(new Set(ends).size, ends.length);
  });
});

describe('colour scales: values to colours', () => {
  const lut = lutFrom(interpolateViridis);

  it('clamps to the range on a linear scale', () => {
    const s = new ColourScale(lut, { lo: 0, hi: 2, transform: 'linear' });
    assert.equal(s.index(0), 0);
    assert.equal(s.index(2), 255);
    assert.equal(s.index(1), 128);
    assert.equal(s.index(-5), 0);
    assert.equal(s.index(7), 255);
    assert.equal(s.position(0.5), 0.25);
  });

  it('gives NaN no colour and ±∞ the end colours', () => {
    const s = new ColourScale(lut, { lo: 0, hi: 1, transform: 'linear' });
    assert.equal(s.index(NaN), NO_VALUE);
    assert.deepEqual(s.rgba(NaN), [0, 0, 0, 0]);
    assert.equal(s.index(Infinity), 255);
    assert.equal(s.index(-Infinity), 0);
  });

  it('spreads low values on a square-root scale', () => {
    const s = new ColourScale(lut, { lo: 0, hi: 1, transform: 'sqrt' });
    assert.equal(s.position(0.25), 0.5);
    assert.equal(s.index(0), 0);
    assert.equal(s.index(4), 255);
  });

  it('puts a density of 0 (log-density −∞) at the lowest colour of a log scale', () => {
    const s = new ColourScale(lut, { lo: 1e-4, hi: 1, transform: 'log' });
    assert.equal(s.index(0), 0);
    assert.equal(s.index(1e-9), 0);
    assert.equal(s.index(1), 255);
    assert.ok(Math.abs(s.position(1e-2) - 0.5) < 1e-12);
    assert.equal(s.index(NaN), NO_VALUE);
    // Without a positive lower end a log scale cannot be drawn: it falls back to linear.
    assert.equal(new ColourScale(lut, { lo: 0, hi: 1, transform: 'log' }).transform, 'linear');
  });

  it('puts every finite value in the middle of a degenerate range', () => {
    for (const [lo, hi] of [[1, 1], [0, NaN], [0, Infinity]] as const) {
      const s = new ColourScale(lut, { lo, hi, transform: 'linear' });
      assert.equal(s.position(3), 0.5);
      assert.equal(s.index(NaN), NO_VALUE);
    }
  });

  it('centres a diverging scale on 0, symmetrically', () => {
    const s = divergingScale(lutFrom(interpolateRdBu), 0.4);
    assert.equal(s.position(0), 0.5);
    assert.ok([127, 128].includes(s.index(0)));
    assert.ok(s.index(0.01) >= 128 && s.index(-0.01) <= 127, 'the sign decides the side');
    for (const v of [0.05, 0.1, 0.3, 0.4, 1]) assert.equal(s.index(v) + s.index(-v), 255, `±${v}`);
    assert.equal(s.index(5), 255);
    assert.equal(s.index(-Infinity), 0);
    // Close to the interpolator's own middle colour.
    const mid = parseColour(interpolateRdBu(0.5));
    s.rgba(0).slice(0, 3).forEach((c, i) => assert.ok(Math.abs(c - mid[i]!) <= 3, `channel ${i}: ${c} vs ${mid[i]}`));
    // All zeros (p = q): everything is the neutral middle.
    assert.equal(divergingScale(lut, 0).position(0), 0.5);
  });

  it('paints rows top-down with j growing upwards, NaN and masked cells transparent', () => {
    const s = new ColourScale(lut, { lo: 0, hi: 1, transform: 'linear' });
    // 2 × 2 lattice: (0,0)=0, (1,0)=1, (0,1)=NaN, (1,1)=0.5 masked out.
    const out = new Uint8ClampedArray(16);
    const blank = s.paint(Float32Array.of(0, 1, NaN, 0.5), 2, 2, out, Uint8Array.of(1, 1, 1, 0));
    assert.equal(blank, 2);
    const px = (k: number): number[] => Array.from(out.subarray(4 * k, 4 * k + 4));
    assert.deepEqual(px(0), [0, 0, 0, 0], 'top-left is cell (0, 1): NaN');
    assert.deepEqual(px(1), [0, 0, 0, 0], 'top-right is cell (1, 1): masked');
    assert.deepEqual(px(2), entry(lut, 0), 'bottom-left is cell (0, 0)');
    assert.deepEqual(px(3), entry(lut, 255), 'bottom-right is cell (1, 0)');
  });
});

describe('colour scales: the ranges of the maps', () => {
  it("tops q at its peak, or at 3× p's peak for a collapsed generator", () => {
    const p = Float64Array.of(0, 0.1, 0.4, 0.1);
    assert.deepEqual(densityDomain(p, Float64Array.of(0, 0.2, 0.3, Infinity)), { top: 0.3, clipped: false, qPeak: 0.3 });
    const spike = densityDomain(p, Float64Array.of(0, 0, 13, 0));
    assert.ok(Math.abs(spike.top - 1.2) < 1e-6 && spike.clipped && spike.qPeak === 13, JSON.stringify(spike));
    assert.equal(densityDomain(new Float32Array(4), new Float32Array(4)).top, 1, 'nothing to show still has a range');
  });

  it('finds quantiles of |values| over finite, unmasked cells', () => {
    const a = Float32Array.from({ length: 1000 }, (_, i) => (i % 2 ? -1 : 1) * (i + 1));
    assert.equal(absQuantile(a, 1), 1000);
    assert.equal(absQuantile(a, 0.5), 501);
    assert.equal(absQuantile(Float32Array.of(NaN, Infinity, -3, 2), 1), 3);
    assert.equal(absQuantile(Float32Array.of(5, 9), 1, Uint8Array.of(1, 0)), 5);
    assert.equal(absQuantile(new Float32Array(0), 0.5), 0);
  });

  it('lets a few extreme cells run off a diverging map, but not a whole map', () => {
    const a = new Float32Array(1000).fill(0.1);
    a[3] = -50;
    const r = symmetricDomain(a);
    assert.ok(Math.abs(r.maxAbs - 0.1) < 1e-6 && r.clipped, JSON.stringify(r));
    // Mostly zeros with a few cells of mass: those cells set the range, none runs off.
    const sparse = new Float32Array(1000);
    sparse[10] = 2;
    sparse[11] = -1;
    assert.deepEqual(symmetricDomain(sparse), { maxAbs: 2, clipped: false });
  });

  it('shares one critic range between D and D* (0 to 1) and limits T* to the critic’s span', () => {
    const mask = Uint8Array.of(1, 1, 1, 0);
    assert.deepEqual(criticDomain('discriminator', Float32Array.of(0.2, 0.9), Float32Array.of(0, 1), mask), { lo: 0, hi: 1 });
    // T* of 1e6 where p/q is extreme stays within twice the critic's span; masked cells do not count.
    const r = criticDomain('fgan', Float32Array.of(-1, 0, 1, 0), Float32Array.of(-1.5, 1e6, 0, -1e9), mask);
    assert.deepEqual(r, { lo: -1.5, hi: 5 });
  });

  it('marks cells with mass', () => {
    assert.deepEqual(Array.from(supportMask(Float32Array.of(1, 1e-5, 0, NaN), Float32Array.of(0, 0, 0, 0))), [1, 0, 0, 0]);
  });

  it('finds the density levels that enclose given shares of the mass', () => {
    // Masses ½, ¼, ⅛, ⅛ (equal cells): half the mass is in cells of at least ½, 70 % of at least ¼, 90 % of at least ⅛.
    assert.deepEqual(massLevels(Float32Array.of(0.125, 0.5, 0.125, 0.25), [0.9, 0.5, 0.7]), [0.125, 0.5, 0.25]);
    assert.deepEqual(massLevels(new Float32Array(3), [0.5]).map(Number.isNaN), [true]);
  });
});
