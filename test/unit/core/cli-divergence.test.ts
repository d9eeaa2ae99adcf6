import * as assert from 'node:assert/strict';
import { runDivergenceCommand } from '../../../src/cli/divergence';
import { assertClose, assertReference, referenceCases, referenceTolerance, uniformReferenceCases } from './helpers';

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
});
