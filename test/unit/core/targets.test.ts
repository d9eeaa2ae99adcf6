import * as assert from 'node:assert/strict';
import { integrate } from '../../../src/core/quadrature';
import { createRng } from '../../../src/core/rng';
import { normalCdf, normalLogMassBetween, normalPdf } from '../../../src/core/special';
import { createTarget, parseMixtureJson, TargetError, type Density1D, type TargetSpec } from '../../../src/core/targets';
import { targetJumps, targetTails } from '../../../src/core/targetShape';
import { assertClose, assertNear } from './helpers';

const BIMODAL: TargetSpec = { kind: 'mixture', components: [{ weight: 1, mean: -2, std: 0.5 }, { weight: 3, mean: 2, std: 1 }] };

function throwsAt(spec: unknown, field: string, message: string | RegExp): void {
  assert.throws(() => createTarget(spec as TargetSpec), (e: unknown) => {
    assert.ok(e instanceof TargetError, `expected a TargetError, got ${String(e)}`);
    assert.equal(e.field, field);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

/** Mass, CDF and moments checked against quadrature of the density itself. */
function checkAgainstDensity(d: Density1D, cuts: number[]): void {
  assertClose(integrate((x) => d.pdf(x), cuts), 1, 1e-12, `${d.description}: ∫p`);
  for (const x of [cuts[1], 0.5 * (cuts[1] + cuts[2]), cuts[cuts.length - 2]]) {
    assertNear(d.cdf(x), integrate((t) => d.pdf(t), [cuts[0], ...cuts.filter((c) => c > cuts[0] && c < x), x]), 1e-12, `${d.description}: F(${x})`);
  }
  const inner = cuts.filter(Number.isFinite);
  for (const [a, b] of [[inner[0] - 1, inner[1]], [0.5 * (inner[0] + inner[1]), inner[inner.length - 1] + 1], [inner[1], inner[1]]]) {
    assertNear(Math.exp(d.logMassBetween(a, b)), d.cdf(b) - d.cdf(a), 1e-14, `${d.description}: P([${a}, ${b}])`);
  }
  const mean = integrate((x) => x * d.pdf(x), cuts);
  assertNear(d.mean(), mean, 1e-10, `${d.description}: mean`);
  assertClose(d.std(), Math.sqrt(integrate((x) => (x - mean) ** 2 * d.pdf(x), cuts)), 1e-10, `${d.description}: std`);
}

describe('core/targets', () => {
  it('normalises mixture weights and describes the mixture', () => {
    const t = createTarget({ kind: 'mixture', components: [{ weight: 2, mean: -2, std: 0.5 }, { weight: 2, mean: 2, std: 0.5 }] });
    assert.deepEqual(t.spec, { kind: 'mixture', components: [{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }] });
    assert.equal(t.description, '0.5·N(−2, 0.5²) + 0.5·N(2, 0.5²)');
    assert.equal(createTarget({ kind: 'mixture', components: [{ weight: 1, mean: 0, std: 1 }] }).description, 'N(0, 1²)');
    assert.equal(createTarget({ kind: 'uniforms', parts: [{ weight: 1, lo: 2, hi: 3 }, { weight: 1, lo: -3, hi: -2 }] }).description, '0.5·U(−3, −2) + 0.5·U(2, 3)');
  });

  it('rejects invalid specs with a message naming the field', () => {
    throwsAt({ kind: 'mixture', components: [{ weight: 1, mean: 0, std: 1 }, { weight: 1, mean: 0, std: -1 }] }, 'components[1].std', 'components[1].std must be > 0, got -1');
    throwsAt({ kind: 'mixture', components: [{ weight: 1, mean: NaN, std: 1 }] }, 'components[0].mean', 'components[0].mean must be a finite number, got NaN');
    throwsAt({ kind: 'mixture', components: [{ weight: -1, mean: 0, std: 1 }] }, 'components[0].weight', 'components[0].weight must be ≥ 0, got -1');
    throwsAt({ kind: 'mixture', components: [{ weight: 0, mean: 0, std: 1 }] }, 'components', /weights must sum to a positive/);
    throwsAt({ kind: 'mixture', components: [] }, 'components', /components must be a non-empty array/);
    throwsAt({ kind: 'uniform', lo: 1, hi: 1 }, 'hi', 'hi must be > lo, got lo = 1, hi = 1');
    throwsAt({ kind: 'uniforms', parts: [{ weight: 1, lo: 0, hi: 2 }, { weight: 1, lo: 1, hi: 3 }] }, 'parts[1]', /parts\[1\] overlaps parts\[0\]/);
    throwsAt({ kind: 'truncated', base: { kind: 'mixture', components: [{ weight: 1, mean: 0, std: 0 }] }, lo: 0, hi: 1 }, 'base.components[0].std', /must be > 0, got 0/);
    throwsAt({ kind: 'truncated', base: { kind: 'mixture', components: [{ weight: 1, mean: 0, std: 1 }] }, lo: 50, hi: 60 }, 'lo', /holds too little/);
    throwsAt({ kind: 'gaussian' }, 'kind', /kind must be one of mixture, uniform, uniforms, mixed, truncated, got "gaussian"/);
  });

  it('parses mixture JSON for the CLI with clear errors', () => {
    assert.deepEqual(parseMixtureJson('[{"weight":3,"mean":-2,"std":0.5},{"mean":2,"std":1}]'), {
      kind: 'mixture', components: [{ weight: 0.75, mean: -2, std: 0.5 }, { weight: 0.25, mean: 2, std: 1 }],
    });
    assert.deepEqual(parseMixtureJson('[{"weight":3,"mean":-2,"std":0.5},{"lo":1,"hi":2}]'), {
      kind: 'mixed', parts: [{ weight: 0.75, mean: -2, std: 0.5 }, { weight: 0.25, lo: 1, hi: 2 }],
    });
    assert.deepEqual(parseMixtureJson('[{"lo":0,"hi":1}]'), { kind: 'mixed', parts: [{ weight: 1, lo: 0, hi: 1 }] });
    assert.throws(() => parseMixtureJson('[{"mean":0,"std":1,"lo":0}]'), /components\[0\] mixes Gaussian fields \(mean, std\) with uniform ones \(lo, hi\)/);
    assert.throws(() => parseMixtureJson('[{"weight":1}]'), /components\[0\] needs mean and std \(a Gaussian\) or lo and hi \(a uniform\)/);
    assert.throws(() => parseMixtureJson('[{"lo":2,"hi":1}]'), /components\[0\]\.hi must be > components\[0\]\.lo, got components\[0\]\.lo = 2, components\[0\]\.hi = 1/);
    assert.throws(() => parseMixtureJson('[{"lo":0,"hi":"1"}]'), /components\[0\]\.hi must be a finite number, got "1"/);
    assert.throws(() => parseMixtureJson('[{"weight":-1,"lo":0,"hi":1}]'), /components\[0\]\.weight must be ≥ 0, got -1/);
    assert.throws(() => parseMixtureJson('[{"weight":1,'), /^TargetError: invalid JSON/);
    assert.throws(() => parseMixtureJson('{"mean":0,"std":1}'), /expected an array/);
    assert.throws(() => parseMixtureJson('[{"mean":0,"sd":1}]'), /components\[0\] has an unknown field "sd"/);
    assert.throws(() => parseMixtureJson('[{"mean":0,"std":"1"}]'), /components\[0\]\.std must be a finite number, got "1"/);
  });

  it('gives a mixture the exact density, CDF and moments', () => {
    const t = createTarget(BIMODAL);
    const by = (x: number): number => 0.25 * normalPdf((x + 2) / 0.5) / 0.5 + 0.75 * normalPdf(x - 2);
    for (const x of [-3, -2, 0, 1.3, 4]) assertClose(t.pdf(x), by(x), 1e-14, `p(${x})`);
    // The N(2, 1) component dominates at −40 (the narrow one is e^{−2888} smaller); p itself underflows.
    assertClose(t.logPdf(-40), Math.log(0.75) - 42 ** 2 / 2 - 0.5 * Math.log(2 * Math.PI), 1e-15, 'log p far out');
    assertClose(t.cdf(0.7), 0.25 * normalCdf(5.4) + 0.75 * normalCdf(-1.3), 1e-15, 'F(0.7)');
    // 40 std out the mass of [−40, −39] underflows as a CDF difference but not in log space.
    assertClose(t.logMassBetween(-40, -39), Math.log(0.75) + normalLogMassBetween(-42, -41), 1e-14, 'log P([−40, −39])');
    assertClose(t.logMassBetween(30, Infinity), Math.log(0.75) + normalLogMassBetween(28, Infinity), 1e-14, 'log P([30, ∞))');
    checkAgainstDensity(t, [-Infinity, -6, -2, 0, 2, 10, Infinity]);
    assert.deepEqual(t.range(), { lo: -6, hi: 10 });
    assert.deepEqual(t.support(), { lo: -Infinity, hi: Infinity });
    assert.deepEqual(targetTails(t.spec), { lower: { a: -0.5, b: 2 }, upper: { a: -0.5, b: 2 } });
  });

  it('gives uniforms exact densities and CDFs with zero off the support', () => {
    const t = createTarget({ kind: 'uniforms', parts: [{ weight: 1, lo: 2, hi: 4 }, { weight: 3, lo: -3, hi: -2 }] });
    assert.equal(t.pdf(3), 0.25 / 2);
    assert.equal(t.pdf(-2.5), 0.75);
    assert.equal(t.logPdf(0), -Infinity);
    assert.equal(t.cdf(-3), 0);
    assert.equal(t.cdf(0), 0.75);
    assert.equal(t.cdf(3), 0.875);
    assert.equal(t.cdf(4), 1);
    checkAgainstDensity(t, [-3, -2, 2, 4]);
    assert.deepEqual(t.support(), { lo: -3, hi: 4 });
    assert.deepEqual(targetTails(t.spec), { lower: null, upper: null });
    const u = createTarget({ kind: 'uniform', lo: -1, hi: 1 });
    assert.equal(u.pdf(0.3), 0.5);
    assertClose(u.std(), 1 / Math.sqrt(3), 1e-15, 'uniform std');
  });

  it('mixes Gaussian and uniform parts, overlapping or not', () => {
    const t = createTarget({ kind: 'mixed', parts: [{ weight: 2, mean: 0, std: 1 }, { weight: 1, lo: -0.5, hi: 1.5 }, { weight: 1, lo: 3, hi: 4 }] });
    assert.equal(t.description, '0.5·N(0, 1²) + 0.25·U(−0.5, 1.5) + 0.25·U(3, 4)');
    assertClose(t.pdf(1), 0.5 * normalPdf(1) + 0.25 / 2, 1e-15, 'p(1)');
    assertClose(t.pdf(3.5), 0.5 * normalPdf(3.5) + 0.25, 1e-15, 'p(3.5)');
    assertClose(t.logPdf(-30), Math.log(0.5 * normalPdf(30)), 1e-14, 'log p beyond the uniforms');
    assertClose(t.cdf(2), 0.5 * normalCdf(2) + 0.25, 1e-15, 'F(2)');
    checkAgainstDensity(t, [-Infinity, -0.5, 0, 1.5, 3, 4, Infinity]);
    assert.deepEqual(t.range(), { lo: -8, hi: 8 });
    assert.deepEqual(targetJumps(t.spec), [-0.5, 1.5, 3, 4]);
    assert.deepEqual(targetTails(t.spec), { lower: { a: -0.5, b: 0 }, upper: { a: -0.5, b: 0 } });
    const one = createTarget({ kind: 'mixed', parts: [{ weight: 1, lo: 0, hi: 2 }] });
    assert.equal(one.description, 'U(0, 2)');
    assert.deepEqual(one.support(), { lo: 0, hi: 2 });
    assert.deepEqual(targetTails(one.spec), { lower: null, upper: null });
    throwsAt({ kind: 'mixed', parts: [{ weight: 1, mean: 0, std: 1 }, { weight: 1, lo: 1 }] }, 'parts[1].hi', 'parts[1].hi must be a finite number, got undefined');
  });

  it('truncates a mixture, with closed-form truncated-normal moments', () => {
    const t = createTarget({ kind: 'truncated', base: { kind: 'mixture', components: [{ weight: 1, mean: 1, std: 2 }] }, lo: 0, hi: Infinity });
    const alpha = -0.5;
    const z = 1 - normalCdf(alpha);
    assertClose(t.mean(), 1 + (2 * normalPdf(alpha)) / z, 1e-12, 'truncated mean');
    const variance = 4 * (1 + (alpha * normalPdf(alpha)) / z - (normalPdf(alpha) / z) ** 2);
    assertClose(t.std(), Math.sqrt(variance), 1e-12, 'truncated std');
    assert.equal(t.pdf(-0.1), 0);
    assertClose(t.pdf(1), normalPdf(0) / 2 / z, 1e-14, 'truncated density');
    checkAgainstDensity(t, [0, 1, 3, 9, Infinity]);
    assert.equal(targetTails(t.spec).lower, null);
    assert.deepEqual(targetTails(t.spec).upper, { a: -0.125, b: 0.25 });
  });

  it('samples with the right distribution, reproducibly', () => {
    const targets = [
      createTarget(BIMODAL),
      createTarget({ kind: 'uniforms', parts: [{ weight: 1, lo: -3, hi: -2 }, { weight: 1, lo: 2, hi: 3 }] }),
      createTarget({ kind: 'truncated', base: BIMODAL, lo: -1, hi: 0.5 }),
      createTarget({ kind: 'truncated', base: { kind: 'mixture', components: [{ weight: 1, mean: 0, std: 1 }] }, lo: 2.5, hi: 4 }),
      createTarget({ kind: 'mixed', parts: [{ weight: 1, mean: 0, std: 1 }, { weight: 1, lo: 1, hi: 3 }] }),
    ];
    for (const t of targets) {
      const n = 20_000;
      const xs = t.sample(createRng(3), n);
      assert.deepEqual(xs, t.sample(createRng(3), n));
      const sorted = Array.from(xs).sort((a, b) => a - b);
      let d = 0;
      sorted.forEach((x, i) => { d = Math.max(d, Math.abs(t.cdf(x) - i / n), Math.abs(t.cdf(x) - (i + 1) / n)); });
      assert.ok(d < 1.63 / Math.sqrt(n), `${t.description}: KS statistic ${d}`);
    }
  });
});
