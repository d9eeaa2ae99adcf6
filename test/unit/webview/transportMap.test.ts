/** The monotone map drawn beside G(z) (webview/charts/transportMap.ts). */
import assert from 'node:assert/strict';
import { monotoneMap } from '../../../webview/charts/transportMap';

describe('G(z) chart: the map that would give q = p', () => {
  const x = Float64Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
  const z = Float64Array.from({ length: 61 }, (_, i) => -3 + i / 10);

  it('is μ + σz for a normal p, and μ − σz for a decreasing G', () => {
    const [mu, sd] = [1.5, 0.7];
    const p = x.map((v) => Math.exp(-0.5 * ((v - mu) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI)));
    const up = monotoneMap(x, p, z, false);
    const down = monotoneMap(x, p, z, true);
    for (let k = 0; k < z.length; k++) {
      assert.ok(Math.abs(up[k]! - (mu + sd * z[k]!)) < 2e-3, `z ${z[k]}: ${up[k]}`);
      assert.ok(Math.abs(down[k]! - (mu - sd * z[k]!)) < 2e-3, `z ${z[k]}: ${down[k]}`);
    }
  });

  it('jumps across a gap in p (two uniform parts) and is NaN without mass', () => {
    const p = x.map((v) => ((v >= -2 && v <= -1) || (v >= 1 && v <= 2) ? 0.5 : 0));
    const m = monotoneMap(x, p, Float64Array.of(-0.1, 0.1), false);
    assert.ok(m[0]! < -0.9 && m[0]! > -1.2, `below the median: ${m[0]}`);
    assert.ok(m[1]! > 0.9 && m[1]! < 1.2, `above the median: ${m[1]}`);
    assert.ok(Number.isNaN(monotoneMap(x, new Float64Array(x.length), z, false)[0]!));
  });
});
