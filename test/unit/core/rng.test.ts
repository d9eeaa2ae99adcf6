import * as assert from 'node:assert/strict';
import { createRng } from '../../../src/core/rng';
import { normalCdf } from '../../../src/core/special';

function draw(seed: number, n: number, kind: 'next' | 'normal'): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => (kind === 'next' ? rng.next() : rng.normal()));
}

describe('core/rng', () => {
  it('is deterministic per seed and differs between seeds (including above 2³²)', () => {
    assert.deepEqual(draw(42, 1000, 'next'), draw(42, 1000, 'next'));
    assert.deepEqual(draw(42, 1000, 'normal'), draw(42, 1000, 'normal'));
    assert.notDeepEqual(draw(42, 10, 'next'), draw(43, 10, 'next'));
    assert.notDeepEqual(draw(1, 10, 'next'), draw(1 + 2 ** 32, 10, 'next'));
    assert.throws(() => createRng(NaN), /seed must be a finite number/);
  });

  it('gives uniforms on [0, 1) with the right mean and variance', () => {
    const n = 200_000;
    const u = draw(7, n, 'next');
    assert.ok(u.every((x) => x >= 0 && x < 1));
    const mean = u.reduce((s, x) => s + x, 0) / n;
    const variance = u.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    assert.ok(Math.abs(mean - 0.5) < 5 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
    assert.ok(Math.abs(variance - 1 / 12) < 0.002, `variance ${variance}`);
  });

  it('gives normals that pass a Kolmogorov–Smirnov test against Φ', () => {
    const n = 50_000;
    const z = draw(11, n, 'normal').sort((a, b) => a - b);
    let d = 0;
    z.forEach((x, i) => { d = Math.max(d, Math.abs(normalCdf(x) - i / n), Math.abs(normalCdf(x) - (i + 1) / n)); });
    // 1.63/√n is the 1% critical value.
    assert.ok(d < 1.63 / Math.sqrt(n), `KS statistic ${d}`);
    const mean = z.reduce((s, x) => s + x, 0) / n;
    assert.ok(Math.abs(mean) < 5 / Math.sqrt(n), `mean ${mean}`);
  });
});
