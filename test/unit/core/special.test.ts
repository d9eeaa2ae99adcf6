import * as assert from 'node:assert/strict';
import {
  erfc, log1mExp, logAddExp, logSumExp, normalCdf, normalLogCdf, normalLogMassBetween, normalLogPdf, normalMassBetween, normalQuantile, sigmoid, softplus,
} from '../../../src/core/special';
import { assertClose } from './helpers';

// Values from mpmath at 40 digits.
const ERFC: readonly [number, number][] = [
  [0.1, 0.8875370839817151078], [0.3, 0.67137324054087257236], [0.46875, 0.50738652678206200841], [0.5, 0.47950012218695346232],
  [1, 0.15729920705028513066], [2, 0.0046777349810472658379], [3.9, 3.4792248597231742278e-8], [4, 1.5417257900280018852e-8],
  [4.1, 6.7000276540848983727e-9], [5, 1.5374597944280348502e-12], [10, 2.088487583762544757e-45], [20, 5.3958656116079009289e-176],
  [26, 5.6631924088561428465e-296], [-1, 1.8427007929497148693], [-3, 1.9999779095030014146],
];

describe('core/special', () => {
  it('erfc matches high-precision values to 4e-15 relative in all of Cody\'s intervals', () => {
    for (const [x, v] of ERFC) assertClose(erfc(x), v, 4e-15, `erfc(${x})`);
    assert.equal(erfc(0), 1);
    assert.equal(erfc(Infinity), 0);
    assert.equal(erfc(-Infinity), 2);
  });

  it('normalCdf is accurate in the lower tail down to 1e-300', () => {
    const cases: [number, number][] = [[-1, 0.15865525393145705141], [-8, 6.2209605742717841235e-16], [-20, 2.7536241186062336951e-89],
      [-37, 5.7255712225245768227e-300], [1.5, 0.933192798731141934], [3, 0.99865010196836990547]];
    for (const [z, v] of cases) assertClose(normalCdf(z), v, 1e-13, `Φ(${z})`);
  });

  it('normalLogCdf stays finite and accurate where Φ underflows', () => {
    const cases: [number, number][] = [[-5, -15.064998393988725736], [-40, -804.60844201375378817], [-100, -5005.5242086942050886],
      [-1000, -500007.82669481218431], [2, -0.023012909328963488465]];
    for (const [z, v] of cases) assertClose(normalLogCdf(z), v, 1e-14, `log Φ(${z})`);
    assert.ok(normalLogCdf(Infinity) === 0);
    assert.equal(normalLogCdf(-Infinity), -Infinity);
  });

  it('normalQuantile matches high-precision values and inverts Φ to rounding from 1e-300 to 1', () => {
    const cases: [number, number][] = [[1e-300, -37.047096299361199237], [1e-10, -6.3613409024040562047], [0.025, -1.9599639845400542355],
      [0.3, -0.52440051270804078404], [0.975, 1.9599639845400542355], [1 - 1e-10, 6.3613409024040562047]];
    for (const [p, z] of cases) assertClose(normalQuantile(p), z, p === 1 - 1e-10 ? 1e-6 : 1e-14, `Φ⁻¹(${p})`);
    assert.ok(normalQuantile(0.5) === 0);
    for (let e = -300; e <= -1; e += 7) {
      const p = 10 ** e;
      const z = normalQuantile(p);
      // Φ's relative sensitivity to a one-ulp change of z is about z²·ε.
      assertClose(normalCdf(z), p, 1e-15 + 4e-16 * z * z, `Φ(Φ⁻¹(1e${e}))`);
    }
    for (let p = 0.01; p < 1; p += 0.0137) assertClose(normalCdf(normalQuantile(p)), p, 1e-15, `Φ(Φ⁻¹(${p}))`);
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    assert.ok(Number.isNaN(normalQuantile(1.5)));
  });

  it('normal masses between two points agree with Φ differences and stay finite in log space', () => {
    assertClose(normalMassBetween(-1, 2), normalCdf(2) - normalCdf(-1), 1e-15, 'mass');
    assertClose(normalMassBetween(9, 8), 6.22096057427178e-16 - 1.1285884059538408e-19, 1e-12, 'upper tail mass');
    // Φ(−41)/Φ(−40) ≈ 2e-18, so the mass is Φ(−40) to double precision.
    assertClose(normalLogMassBetween(-41, -40), -804.60844201375378817, 1e-14, 'deep lower tail');
    assertClose(normalLogMassBetween(3, 4), Math.log(normalCdf(-3) - normalCdf(-4)), 1e-13, 'log mass');
    assertClose(normalLogPdf(1, 0, 2), Math.log(Math.exp(-1 / 8) / (2 * Math.sqrt(2 * Math.PI))), 1e-15, 'log pdf');
  });

  it('log-space helpers neither overflow nor lose small terms', () => {
    assertClose(logSumExp([1000, 1000]), 1000 + Math.LN2, 1e-15, 'logSumExp large');
    assertClose(logSumExp([-1, 0.5, 2]), Math.log(Math.exp(-1) + Math.exp(0.5) + Math.exp(2)), 1e-15, 'logSumExp');
    assert.equal(logSumExp([-Infinity, -Infinity]), -Infinity);
    assertClose(logAddExp(-800, -801), -800 + Math.log1p(Math.exp(-1)), 1e-15, 'logAddExp');
    assert.equal(logAddExp(-Infinity, 3), 3);
    assertClose(log1mExp(-1e-20), Math.log(1e-20), 1e-12, 'log1mExp near 0');
    assertClose(log1mExp(-50), -Math.exp(-50), 1e-12, 'log1mExp far');
    assert.equal(softplus(1000), 1000);
    assert.equal(softplus(-1000), 0);
    assertClose(softplus(0), Math.LN2, 1e-16, 'softplus(0)');
    assertClose(softplus(-30), Math.exp(-30) - Math.exp(-60) / 2, 1e-15, 'softplus(−30)');
    assert.equal(sigmoid(-1000), 0);
    assert.equal(sigmoid(1000), 1);
    assertClose(sigmoid(-40), Math.exp(-40), 1e-14, 'sigmoid(−40)');
  });
});
