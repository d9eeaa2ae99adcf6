import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../paths';

const cli = path.join(repoRoot, 'dist', 'cli.js');
function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('gan-lens CLI', function () {
  this.timeout(180_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-cli-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('rejects unknown flags with the usage and exit code 2', () => {
    for (const args of [['train', '--bogus'], ['check', 'x.gan.ts', '--nope'], ['divergence', '--data', '[]'], ['frobnicate']]) {
      const r = run(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /Usage: gan-lens/);
    }
  });

  it('prints help for every command with exit code 0', () => {
    for (const command of ['train', 'check', 'divergence', 'bench']) {
      const r = run(command, '--help');
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`Usage: gan-lens ${command}`));
    }
  });

  it('check: exit 0 and a one-line summary for a valid file', () => {
    const r = run('check', 'examples/custom-loss.gan.ts');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.trim(), 'examples/custom-loss.gan.ts: ok');
  });

  it('check: one path:line:column: error line per problem and exit 1', () => {
    const file = path.join(tmp, 'bad.gan.ts');
    fs.writeFileSync(file, `import { defineGan, losses, targets } from 'gan-lens';\nexport default defineGan({\n  target: targets.gaussian(0, 1),\n  critic: { hidden: [8, 0] },\n  loss: losses.hinge(),\n});\n`);
    const r = run('check', file);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.trim(), `${file}:4:25: error: critic.hidden[1] must be a positive integer, got 0`);
  });

  it('check: an endless loop in a loss function ends in a message, not a hang', () => {
    const file = path.join(tmp, 'loop.gan.ts');
    fs.writeFileSync(file, `import { defineGan, targets } from 'gan-lens';\nexport default defineGan({\n  target: targets.gaussian(0, 1),\n  loss: { divergence: 'jsd', critic: ({ real, tf }) => tf.mean(real), generator: ({ fake, tf }) => { for (;;) {} }, estimate: ({ real, tf }) => tf.mean(real) },\n});\n`);
    const started = Date.now();
    const r = spawnSync(process.execPath, [cli, 'check', file], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /error: loading did not finish within 15 s/);
    assert.ok(Date.now() - started < 30_000);
  });

  it('train --json prints the summary with the documented keys; --out writes metrics.csv and summary.json', () => {
    const out = path.join(tmp, 'run');
    const r = run('train', '--preset', 'non-saturating', '--steps', '60', '--json', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of ['backend', 'steps', 'seconds', 'stepsPerSecond', 'divergence', 'jsd', 'kl', 'reverse_kl', 'wasserstein1', 'generator']) assert.ok(key in summary, key);
    assert.equal(summary['steps'], 60);
    assert.ok(summary['backend'] === 'wasm' || summary['backend'] === 'tensorflow');
    assert.deepEqual(Object.keys(summary['divergence'] as object), ['name', 'symbol', 'analytic', 'estimate', 'gap']);
    for (const key of ['alignment', 'alignmentLast']) {
      const a = summary[key] as Record<string, unknown>;
      assert.deepEqual(Object.keys(a), ['divergence', 'effective', 'update', 'force'], key);
      for (const [name, v] of Object.entries(a)) assert.ok(v === null || (typeof v === 'number' && v >= -1 && v <= 1), `${key}.${name} = ${String(v)}`);
    }
    const csv = fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8').trim().split('\n');
    assert.match(csv[0]!, /^step,analytic,estimate,/);
    assert.match(csv[0]!, /,alignmentDivergence,alignmentEffective,alignmentUpdate,alignmentForce,/);
    assert.ok(csv.length >= 2);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')), summary);
  });

  it('train: disjoint supports read JSD = log 2 to 1e-9, with the critic estimate below it (examples/disjoint-supports.gan.ts)', () => {
    const r = run('train', 'examples/disjoint-supports.gan.ts', '--steps', '50', '--json');
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { jsd: number; kl: number | 'inf'; reverse_kl: number | 'inf'; divergence: { analytic: number; estimate: number; gap: number } };
    assert.ok(Math.abs(summary.jsd - Math.LN2) <= 1e-9, `JSD ${summary.jsd}`);
    assert.ok(Math.abs(summary.divergence.analytic - Math.LN2) <= 1e-9, `analytic ${summary.divergence.analytic}`);
    // (V + log 4)/2 ≤ log 2 for any discriminator, since log D and log(1 − D) are ≤ 0 at every point.
    assert.ok(summary.divergence.estimate <= Math.LN2 && summary.divergence.gap >= -1e-9, `estimate ${summary.divergence.estimate}`);
    assert.equal(summary.reverse_kl, 'inf');
  });

  it('train: parallel lines (a segment target, a curve beside it) has its step-0 snapshot; weight clipping gives no gap; W₁ says which lattice its bound is to', () => {
    const out = path.join(tmp, 'parallel');
    const r = run('train', 'examples/parallel-lines.gan.ts', '--steps', '40', '--every', '20', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /could not be computed/);
    const csv = fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8').trim().split('\n').slice(1);
    assert.deepEqual(csv.map((l) => Number(l.split(',')[0])), [0, 20, 40]);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as { divergence: { gap: number | null }; wasserstein1Lattice: { side: number; latticeSide: number } };
    assert.equal(summary.divergence.gap, null);
    assert.match(r.stdout, /^ +gap +none: weight clipping/m);
    assert.match(r.stdout, new RegExp(`within [0-9.]+ of W₁ on the ${summary.wasserstein1Lattice.latticeSide}×${summary.wasserstein1Lattice.latticeSide} lattice`));
  });

  it('train --every records a snapshot at each multiple of it and no other step; the table writes numbers as people do', () => {
    const out = path.join(tmp, 'every');
    const r = run('train', '--preset', 'non-saturating', '--steps', '90', '--every', '30', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    const csv = fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8').trim().split('\n').slice(1);
    assert.deepEqual(csv.map((l) => Number(l.split(',')[0])), [0, 30, 60, 90]);
    assert.match(r.stdout, /^steps +90$/m);
    assert.doesNotMatch(r.stdout, /\de[+-]\d/, 'no exponent form');
    assert.equal(run('train', '--preset', 'non-saturating', '--every', '0').code, 2);
  });

  it('train: a broken file is reported at its position with exit 1', () => {
    const file = path.join(tmp, 'broken.gan.ts');
    fs.writeFileSync(file, `import { defineGan, losses, targets } from 'gan-lens';\nexport default defineGan({ target: targets.gaussian(0, 1), batchSize: -4, loss: losses.hinge() });\n`);
    const r = run('train', file, '--steps', '10');
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:2:60: error: batchSize must be a positive integer, got -4`));
  });
});
