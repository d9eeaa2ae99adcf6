import * as assert from 'node:assert/strict';
import { bisectRoot, integrate, integrateVector, scanRoots } from '../../../src/core/quadrature';
import { assertClose } from './helpers';

describe('core/quadrature', () => {
  it('integrates over finite, half-infinite and infinite ranges to ~1e-14', () => {
    assertClose(integrate((x) => Math.exp(-x * x), [-Infinity, Infinity]), Math.sqrt(Math.PI), 1e-14, '∫e^{−x²}');
    assertClose(integrate((x) => x ** 20, [0, 1]), 1 / 21, 1e-14, '∫x²⁰');
    assertClose(integrate((x) => 1 / (x * x), [1, Infinity]), 1, 1e-12, '∫1/x²');
    assertClose(integrate((x) => Math.exp(0.5 * x), [-Infinity, 0]), 2, 1e-13, '∫e^{x/2}');
    assertClose(integrate((x) => Math.abs(x - 0.3), [-1, 0.3, 1]), (1.3 ** 2 + 0.7 ** 2) / 2, 1e-14, '∫|x − 0.3| split at the kink');
  });

  it('integrates several functions at once, an infinite one staying infinite', () => {
    const [a, b, c] = integrateVector((x, out) => {
      out[0] = Math.cos(x);
      out[1] = x < 0.5 ? Infinity : 0;
      out[2] = x * x;
    }, 3, [0, 0.5, 1]);
    assertClose(a, Math.sin(1), 1e-14, '∫cos');
    assert.equal(b, Infinity);
    assertClose(c, 1 / 3, 1e-14, '∫x²');
  });

  it('finds roots by bisection and by scanning', () => {
    assertClose(bisectRoot(Math.cos, 0, 2), Math.PI / 2, 1e-15, 'π/2');
    const roots = scanRoots(Math.sin, 0.5, 10, 50);
    assert.equal(roots.length, 3);
    roots.forEach((r, i) => assertClose(r, (i + 1) * Math.PI, 1e-14, `root ${i}`));
  });
});
