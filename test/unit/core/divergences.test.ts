import * as assert from 'node:assert/strict';
import {
  customFDivergence, DIVERGENCE_JSON_KEYS, DIVERGENCE_LABELS, DIVERGENCE_NAMES, F_DIVERGENCES, inConjugateDomain, type FDivergence, type FDivergenceName,
} from '../../../src/core/divergences';
import { assertClose, assertNear, referenceCases } from './helpers';

const ENTRIES = Object.entries(F_DIVERGENCES) as [FDivergenceName, FDivergence][];
const US = [1e-3, 0.01, 0.1, 0.37, 0.8, 1.25, 3, 10, 100, 1e3];

/**
 * sup over u > 0 of u·t − f(u), found independently of the library: scan log u, then
 * golden-section search on the bracket (u·t − f(u) is concave, hence unimodal).
 */
function bruteConjugate(f: (u: number) => number, t: number): number {
  const g = (s: number): number => Math.exp(s) * t - f(Math.exp(s));
  let best = -20;
  for (let s = -20; s <= 20; s += 0.01) if (g(s) > g(best)) best = s;
  let a = best - 0.01;
  let b = best + 0.01;
  const r = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 200; i++) {
    const c = b - r * (b - a);
    const d = a + r * (b - a);
    if (g(c) > g(d)) b = d;
    else a = c;
  }
  return g(0.5 * (a + b));
}

const NEAR_EQUAL: Record<FDivergenceName, number> = {
  kl: 0.00010000416689815160238, reverse_kl: -0.000099995833217576757326, pearson: 8.3340278356511355912e-9, neyman: 8.333333333331498073e-9,
  squared_hellinger: 2.083420143409816479e-9, jensen_shannon: 2.0834201431083706204e-9, gan: -1.663483916542392551, total_variation: 0.000049999999999994493294,
};

/** q·f(p/q) straight from the definition, for moderate p and q. */
const naive = (d: FDivergence, p: number, q: number): number => q * d.f(p / q);

describe('core/divergences', () => {
  it('has f(1) = 0 for every row except GAN (−log 4)', () => {
    for (const [name, d] of ENTRIES) {
      assertNear(d.f(1), name === 'gan' ? -Math.log(4) : 0, 1e-15, `${name} f(1)`);
      assert.ok(d.f1 === d.f(1));
    }
  });

  it('satisfies the Fenchel equality f*(f′(u)) = u·f′(u) − f(u)', () => {
    for (const [name, d] of ENTRIES) {
      for (const u of US) {
        const rhs = u * d.fPrime(u) - d.f(u);
        assertNear(d.conjugate(d.fPrime(u)), rhs, 1e-9 * (1 + Math.abs(rhs)), `${name} at u=${u}`);
      }
    }
  });

  it('matches f* with a brute-force sup_u {u·t − f(u)} to 1e-9 on the range of f′', () => {
    for (const [name, d] of ENTRIES) {
      const ts = name === 'total_variation' ? [-0.4, 0, 0.3] : [0.05, 0.3, 1, 2.5, 8].map((u) => d.fPrime(u));
      for (const t of ts) {
        const expected = bruteConjugate((u) => d.f(u), t);
        assertNear(d.conjugate(t), expected, 1e-9 * (1 + Math.abs(expected)), `${name} f*(${t})`);
      }
    }
  });

  it('maps every critic output into dom f* through g_f, and is infinite outside dom f*', () => {
    for (const [name, d] of ENTRIES) {
      for (let v = -30; v <= 30; v += 0.25) {
        const t = d.activation(v);
        assert.ok(inConjugateDomain(d.domain, t), `${name}: g(${v}) = ${t} outside dom f*`);
        assert.ok(Number.isFinite(d.conjugate(t)), `${name}: f*(g(${v})) not finite`);
      }
    }
    const outside: [FDivergenceName, number][] = [
      ['reverse_kl', 0.1], ['neyman', 1.01], ['squared_hellinger', 1], ['jensen_shannon', Math.LN2], ['gan', 0], ['total_variation', 0.6],
    ];
    for (const [name, t] of outside) assert.equal(F_DIVERGENCES[name].conjugate(t), Infinity, `${name} f*(${t})`);
    assert.equal(F_DIVERGENCES.neyman.conjugate(1), 2);
  });

  it('gives T* = f′(p/q) from the log ratio', () => {
    for (const [name, d] of ENTRIES) {
      for (let l = -5; l <= 5; l += 0.5) {
        if (name === 'total_variation' && l === 0) continue;
        assertClose(d.optimalCritic(l), d.fPrime(Math.exp(l)), 1e-12, `${name} T*(${l})`);
      }
    }
  });

  it('computes q·f(p/q) in log space, with the right limits where p or q vanish', () => {
    for (const [name, d] of ENTRIES) {
      for (const [p, q] of [[0.3, 0.1], [0.05, 0.7], [2e-3, 4e-3]]) {
        assertClose(d.integrand(Math.log(p), Math.log(q)), naive(d, p, q), 1e-12, `${name}(${p}, ${q})`);
      }
      // p ≈ q, where the naive form cancels: mpmath at 50 digits.
      assertClose(d.integrand(Math.log(1.2), Math.log(1.1999)), NEAR_EQUAL[name], 1e-10, `${name}(1.2, 1.1999)`);
      assert.equal(d.integrand(-Infinity, -Infinity), 0, `${name} with both zero`);
      const q = 0.4;
      const whereP0 = d.integrand(-Infinity, Math.log(q));
      assertClose(whereP0, q * d.tail.f0, 1e-15, `${name} where p = 0`);
      const whereQ0 = d.integrand(Math.log(q), -Infinity);
      assertClose(whereQ0, q * d.tail.slopeAtInfinity, 1e-15, `${name} where q = 0`);
    }
    // Far tails: p²/q = e^{−400} stays exact where p/q would overflow nothing but q·(p/q − 1)² loses it.
    assertClose(F_DIVERGENCES.pearson.integrand(-600, -800), Math.exp(-400), 1e-12, 'Pearson tail');
    assertClose(F_DIVERGENCES.kl.integrand(-700, -720), Math.exp(-700) * 20, 1e-12, 'KL tail');
  });

  it('declares tail limits that match f', () => {
    for (const [name, d] of ENTRIES) {
      const f0 = d.f(1e-14);
      if (Number.isFinite(d.tail.f0)) assertNear(f0, d.tail.f0, 1e-6, `${name} f(0⁺)`);
      else assert.ok(f0 > 30, `${name} f(0⁺) should diverge, f(1e-14) = ${f0}`);
      const slope = d.f(1e14) / 1e14;
      if (Number.isFinite(d.tail.slopeAtInfinity)) assertNear(slope, d.tail.slopeAtInfinity, 1e-6, `${name} f(u)/u`);
      else assert.ok(slope > 30, `${name} f(u)/u should diverge, got ${slope}`);
    }
  });

  it('lists divergence names in the order and under the keys of the reference file', () => {
    const keys = Object.keys(referenceCases()[0].values);
    assert.deepEqual(DIVERGENCE_NAMES.map((n) => DIVERGENCE_JSON_KEYS[n]), keys);
    assert.match(DIVERGENCE_LABELS.jensen_shannon, /^2·JSD/);
    for (const n of DIVERGENCE_NAMES) assert.ok(DIVERGENCE_LABELS[n].length > 3);
  });

  it('builds a custom f-divergence whose numerical f′, f* and limits match the catalog', () => {
    for (const name of ['kl', 'neyman', 'squared_hellinger', 'jensen_shannon'] as const) {
      const exact = F_DIVERGENCES[name];
      const custom = customFDivergence(`my ${name}`, (u) => exact.f(u));
      for (const u of [0.1, 0.7, 2, 9]) {
        assertClose(custom.fPrime(u), exact.fPrime(u), 1e-8, `${name} f′(${u})`);
        const t = exact.fPrime(u);
        assertNear(custom.conjugate(t), exact.conjugate(t), 1e-9 * (1 + Math.abs(exact.conjugate(t))), `${name} f*(${t})`);
        assertClose(custom.integrand(Math.log(u), 0), exact.integrand(Math.log(u), 0), 1e-12, `${name} integrand`);
      }
      assert.equal(Number.isFinite(custom.tail.f0), Number.isFinite(exact.tail.f0), `${name} f0`);
      assert.equal(Number.isFinite(custom.tail.slopeAtInfinity), Number.isFinite(exact.tail.slopeAtInfinity), `${name} slope`);
      if (name !== 'kl') assert.equal(custom.tail.powerAtZero, exact.tail.powerAtZero, `${name} power at 0`);
      assert.equal(custom.tail.powerAtInfinity, exact.tail.powerAtInfinity, `${name} power at ∞`);
      for (let v = -20; v <= 20; v += 0.5) assert.ok(Number.isFinite(custom.conjugate(custom.activation(v))), `${name}: g(${v}) outside dom f*`);
    }
    const kl = customFDivergence('kl', (u) => u * Math.log(u));
    assert.equal(kl.domain.hi, Infinity);
    assertClose(kl.conjugate(5), Math.exp(4), 1e-9, 'custom KL f*(5)');
    assert.equal(customFDivergence('neyman', (u) => (1 - u) ** 2 / u).conjugate(1.5), Infinity);
    assert.throws(() => customFDivergence('bad', (u) => 1 / (u - 1)), /f\(1\) must be finite/);
  });
});
