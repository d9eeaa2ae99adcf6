import * as assert from 'node:assert/strict';
import { runDivergenceCommand } from '../../../src/cli/divergence';
import { DIVERGENCE_JSON_KEYS, DIVERGENCE_NAMES } from '../../../src/core/divergences';
import { assertClose, assertNear, assertReference, referenceCases, referenceTolerance, uniformReferenceCases } from './helpers';

function run(data: string, model: string, json: boolean): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runDivergenceCommand({ data, model, json }, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

describe('gan-lens divergence', () => {
  it('prints every divergence as JSON with the reference keys, "inf" for infinite values', () => {
    for (const c of referenceCases()) {
      const { code, out, err } = run(JSON.stringify(c.p), JSON.stringify(c.q), true);
      assert.equal(code, 0);
      assert.deepEqual(err, []);
      const printed = JSON.parse(out.join('\n')) as Record<string, number | string>;
      assert.deepEqual(Object.keys(printed), Object.keys(c.values));
      for (const [key, expected] of Object.entries(c.values)) {
        if (expected === 'inf') assert.equal(printed[key], 'inf', `${c.name} ${key}`);
        else assertClose(printed[key] as number, expected, referenceTolerance(key), `${c.name} ${key}`);
      }
    }
  });

  it('takes uniform parts {weight, lo, hi} mixed with Gaussian ones and meets the scipy fixtures to 1e-6', () => {
    for (const c of uniformReferenceCases()) {
      const { code, out, err } = run(JSON.stringify(c.p), JSON.stringify(c.q), true);
      assert.equal(code, 0, err.join('\n'));
      const printed = JSON.parse(out.join('\n')) as Record<string, number | string>;
      for (const [key, expected] of Object.entries(c.values)) {
        const value = printed[key] === 'inf' ? Infinity : (printed[key] as number);
        assertReference(value, expected, 1e-6, `${c.name} ${key}`);
      }
    }
    const mixed = run('[{"weight":0.6,"mean":0,"std":1},{"weight":0.4,"lo":1,"hi":3}]', '[{"lo":-2,"hi":-1.5}]', false);
    assert.equal(mixed.code, 0);
    assert.equal(mixed.out[0], 'P (data):  0.6·N(0, 1²) + 0.4·U(1, 3)');
    assert.equal(mixed.out[1], 'Q (model): U(−2, −1.5)');
    assert.match(mixed.out.find((r) => r.startsWith('kl ')) ?? '', /^kl\s+∞/);
  });

  it('prints an aligned table with labels otherwise', () => {
    const { code, out } = run('[{"weight":1,"mean":0,"std":1}]', '[{"weight":1,"mean":0,"std":2}]', false);
    assert.equal(code, 0);
    assert.equal(out[0], 'P (data):  N(0, 1²)');
    assert.equal(out[1], 'Q (model): N(0, 2²)');
    const rows = out.slice(4);
    assert.equal(rows.length, 10);
    const valueColumn = out[3].indexOf('value');
    for (const row of rows) assert.notEqual(row[valueColumn], ' ', `misaligned: ${row}`);
    assert.match(rows.find((r) => r.startsWith('neyman')) ?? '', /^neyman\s+∞\s+Neyman χ²/);
    assert.match(rows.find((r) => r.startsWith('jensen_shannon_f')) ?? '', /2·JSD/);
    assert.match(rows.find((r) => r.startsWith('kl ')) ?? '', /0\.3181471806/);
  });

  it('rejects bad JSON and invalid parameters with one line and exit code 2', () => {
    const bad = run('[{"weight":1,', '[{"mean":0,"std":1}]', false);
    assert.equal(bad.code, 2);
    assert.deepEqual(bad.out, []);
    assert.equal(bad.err.length, 1);
    assert.match(bad.err[0], /^gan-lens divergence: --data: invalid JSON/);
    const invalid = run('[{"mean":0,"std":1}]', '[{"mean":0,"std":-1}]', true);
    assert.equal(invalid.code, 2);
    assert.deepEqual(invalid.err, ['gan-lens divergence: --model: components[0].std must be > 0, got -1']);
    for (const [model, message] of [
      ['[{"lo":1,"hi":1}]', 'components[0].hi must be > components[0].lo, got components[0].lo = 1, components[0].hi = 1'],
      ['[{"lo":0,"hi":1,"std":1}]', 'components[0] mixes Gaussian fields (mean, std) with uniform ones (lo, hi): give one or the other'],
      ['[{"weight":1,"width":2}]', 'components[0] has an unknown field "width" (expected weight with mean, std or with lo, hi)'],
      ['[{"weight":2}]', 'components[0] needs mean and std (a Gaussian) or lo and hi (a uniform), got {"weight":2}'],
      ['[{"lo":0}]', 'components[0].hi must be a finite number, got undefined'],
    ]) {
      const r = run('[{"mean":0,"std":1}]', model, true);
      assert.equal(r.code, 2, model);
      assert.deepEqual(r.err, [`gan-lens divergence: --model: ${message}`]);
    }
  });

  describe('in 2-D', () => {
    const cov = [[0.8, 0.3], [0.3, 0.5]];
    const v = [0.9, -0.4];

    it('prints the 1-D keys and wasserstein1_bound; KL of a translate is ½vᵀΣ⁻¹v, W₁ is |v| within the bound', () => {
      const { code, out, err } = run(JSON.stringify([{ weight: 1, mean: [0, 0], cov }]), JSON.stringify([{ mean: v, cov }]), true);
      assert.equal(code, 0, err.join('\n'));
      const printed = JSON.parse(out.join('\n')) as Record<string, number | string>;
      assert.deepEqual(Object.keys(printed), [...DIVERGENCE_NAMES.map((n) => DIVERGENCE_JSON_KEYS[n]), 'wasserstein1_bound']);
      const det = cov[0][0] * cov[1][1] - cov[0][1] ** 2;
      const quad = (cov[1][1] * v[0] ** 2 - 2 * cov[0][1] * v[0] * v[1] + cov[0][0] * v[1] ** 2) / det;
      assertClose(printed['kl'] as number, quad / 2, 1e-10, 'KL of a translate');
      assertClose(printed['reverse_kl'] as number, quad / 2, 1e-10, 'reverse KL of a translate');
      const bound = printed['wasserstein1_bound'] as number;
      assert.ok(bound > 0 && bound < 1, `bound ${bound}`);
      assertNear(printed['wasserstein1'] as number, Math.hypot(v[0], v[1]), bound, 'W₁ of a translate');
    });

    it('KL between Gaussians of different covariance meets the closed form; an infinite χ² prints as "inf" and ∞ in the table', () => {
      const p = '[{"mean":[0.5,-1],"std":[1,0.6]}]';
      const q = '[{"weight":2,"mean":[0,0],"cov":[[2,0.4],[0.4,1.5]]}]';
      const { code, out } = run(p, q, true);
      assert.equal(code, 0);
      const printed = JSON.parse(out.join('\n')) as Record<string, number | string>;
      // KL(N0‖N1) = ½(tr Σ1⁻¹Σ0 + Δᵀ Σ1⁻¹ Δ − 2 + log det Σ1 / det Σ0).
      const [a, b, c] = [2, 0.4, 1.5];
      const det1 = a * c - b * b;
      const trace = (c * 1 + a * 0.36) / det1;
      const [dx, dy] = [-0.5, 1];
      const maha = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det1;
      assertClose(printed['kl'] as number, 0.5 * (trace + maha - 2 + Math.log(det1 / 0.36)), 1e-10, 'KL');
      assert.equal(printed['neyman'], 'inf', 'Q has the heavier tails: ∫q²/p diverges');
      const table = run(p, q, false);
      assert.equal(table.out[0], 'P (data):  mixture of 1 Gaussian in 2-D');
      assert.match(table.out.find((r) => r.startsWith('neyman')) ?? '', /^neyman\s+∞/);
      assert.match(table.out.find((r) => r.startsWith('wasserstein1')) ?? '', /W₁ exact on a 64² lattice, within ±0\.\d+ of the continuous value$/);
    });

    it('rejects a 1-D mixture against a 2-D one naming the flag, and mixed dimensions inside one mixture', () => {
      const twoD = '[{"mean":[0,0],"std":1}]';
      const oneD = '[{"mean":0,"std":1}]';
      assert.deepEqual(run(twoD, oneD, true).err, ['gan-lens divergence: --model: a 1-D mixture, but --data is 2-D: both must have the same dimension']);
      const flipped = run(oneD, twoD, false);
      assert.equal(flipped.code, 2);
      assert.deepEqual(flipped.out, []);
      assert.deepEqual(flipped.err, ['gan-lens divergence: --model: a 2-D mixture, but --data is 1-D: both must have the same dimension']);
      const inside = run('[{"mean":[0,0],"std":1},{"mean":1,"std":1}]', twoD, true);
      assert.equal(inside.code, 2);
      assert.match(inside.err[0], /^gan-lens divergence: --data: components\[1\]\.mean has dimension 1 but a 2-D target needs \[x, y\]/);
      assert.deepEqual(run(twoD, '[{"mean":[0,0],"std":[1,-1]}]', true).err, ['gan-lens divergence: --model: components[0].std must be > 0, got -1']);
    });
  });
});
