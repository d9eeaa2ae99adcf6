import * as assert from 'node:assert/strict';
import { runDivergenceCommand } from '../../../src/cli/divergence';
import { assertClose, referenceCases, referenceTolerance } from './helpers';

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
  });
});
