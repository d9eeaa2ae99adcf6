/**
 * An example is a claim. Every examples/*.gan.ts states what it shows in `// claim:` lines of
 * its comment (grammar: ./claims.ts); this test trains each file the way a person does, with
 * `gan-lens train` (seeded, a snapshot every 25 steps so the recorded steps do not depend on the
 * machine), and checks each claim against the run. A file without claims fails.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../paths';
import { check, claimsOf, ClaimSyntaxError, lastStep, parseClaim, type Claim, type Row, type RunRecord } from './claims';

const run = promisify(execFile);
const cli = path.join(repoRoot, 'dist', 'cli.js');
const examples = path.join(repoRoot, 'examples');
const EVERY = 25;

function readCsv(file: string): Row[] {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const names = header!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v === '' ? NaN : Number(v)])));
}

async function train(file: string, steps: number, out: string): Promise<RunRecord> {
  const { stdout } = await run(process.execPath, [cli, 'train', file, '--steps', String(steps), '--every', String(EVERY), '--out', out, '--json'],
    { cwd: repoRoot, encoding: 'utf8', timeout: 280_000, maxBuffer: 1 << 24 });
  const summary = JSON.parse(stdout) as { steps: number; criticAtChance?: boolean };
  return { rows: readCsv(path.join(out, 'metrics.csv')), criticAtChance: summary.criticAtChance, steps: summary.steps };
}

/** Claims grouped by the file text they are about: the example itself, or one of its variants. */
function byVariant(claims: readonly Claim[]): Map<string, Claim[]> {
  const groups = new Map<string, Claim[]>();
  for (const c of claims) {
    const key = c.variant ? JSON.stringify(c.variant) : '';
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return groups;
}

describe('examples do what their comments say', function () {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-claims-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads claims and refuses lines that are not claims', () => {
    const c = parseClaim('claim: |estimate − analytic| < 0.05 over steps 400–600');
    assert.deepEqual(c.when, { kind: 'over', from: 400, to: 600 });
    assert.deepEqual(c.condition, {
      kind: 'compare', op: '<', right: { left: { kind: 'number', value: 0.05 }, absolute: false },
      left: { left: { kind: 'column', name: 'estimate' }, minus: { kind: 'column', name: 'analytic' }, absolute: true },
    });
    assert.deepEqual(parseClaim('claim with "losses.minimax()" → "losses.wgan({ clip: −1 })": generatorMean > −1.6 at step 300').variant,
      { from: 'losses.minimax()', to: 'losses.wgan({ clip: −1 })' });
    for (const bad of ['claim: jsd is small at step 3000', 'claim: jsd < 0.3', 'claim: jsd < 0.3 over steps 600–400', 'claim: jsd in [0.4, 0.1] at step 5', 'claim: jsd < a + b at step 5']) {
      assert.throws(() => parseClaim(bad), ClaimSyntaxError, bad);
    }
    const rows = [{ step: 0, jsd: 0.7 }, { step: 25, jsd: 0.2 }, { step: 50, jsd: 0.1 }];
    const record = { rows, criticAtChance: undefined, steps: 50 };
    assert.equal(check(parseClaim('claim: jsd < 0.3 over steps 25–50'), record), undefined);
    assert.match(check(parseClaim('claim: jsd < 0.3 over steps 0–50'), record) ?? '', /fails at 1 of 3/);
    assert.equal(check(parseClaim('claim: jsd < 0.15 by step 50'), record), undefined);
    assert.match(check(parseClaim('claim: critic at chance at step 50'), record) ?? '', /no chance value/);
    assert.throws(() => check(parseClaim('claim: kl < 1 at step 0'), record), /unknown quantity "kl"/);
  });

  for (const name of fs.readdirSync(examples).filter((f) => f.endsWith('.gan.ts')).sort()) {
    it(`examples/${name}`, async function () {
      this.timeout(600_000);
      const file = path.join(examples, name);
      const text = fs.readFileSync(file, 'utf8');
      const claims = claimsOf(text);
      assert.ok(claims.length > 0, `examples/${name} states no claim: add "// claim: …" lines saying what it shows`);
      const failures: string[] = [];
      let runs = 0;
      for (const group of byVariant(claims).values()) {
        runs++;
        const variant = group[0]!.variant;
        let trained = file;
        if (variant) {
          assert.ok(text.includes(variant.from), `examples/${name}: "${variant.from}" is not in the file`);
          trained = path.join(tmp, `variant-${runs}-${name}`);
          // Every occurrence: the comment above the code names it too.
          fs.writeFileSync(trained, text.split(variant.from).join(variant.to));
        }
        const steps = Math.max(...group.map(lastStep));
        const record = await train(trained, steps, path.join(tmp, `${name}-${runs}`));
        for (const c of group) {
          const why = check(c, record);
          if (why !== undefined) failures.push(`${c.text}: ${why}`);
        }
      }
      assert.deepEqual(failures, [], `examples/${name} does not do what it says:\n${failures.join('\n')}`);
    });
  }
});
