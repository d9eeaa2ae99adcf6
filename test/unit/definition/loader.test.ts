import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../paths';
import { loadDefinition } from '../../../src/definition/loader';
import { findFieldPosition } from '../../../src/definition/fieldPosition';
import { PRESETS } from '../../../src/definition/presets';
import { lossKey, structureKey } from '../../../src/definition/definitionKeys';

const examples = path.join(repoRoot, 'examples');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-loader-'));

function file(name: string, text: string): { file: string; text: string } {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return { file: f, text };
}

const header = `import { defineGan, losses, targets } from 'gan-lens';\n`;
const body = (fields: string) => `${header}export default defineGan({\n  target: targets.gaussian(0, 1),\n${fields}\n});\n`;

describe('loss definition loader', () => {
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const name of fs.readdirSync(examples).filter((f) => f.endsWith('.gan.ts'))) {
    it(`loads examples/${name}`, async () => {
      const f = path.join(examples, name);
      const result = await loadDefinition(f, fs.readFileSync(f, 'utf8'));
      assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
      // A preset of the same name is what an untrusted workspace trains instead: the same definition.
      const preset = PRESETS[name.replace(/\.gan\.ts$/, '')];
      if (preset) {
        const d = preset.build();
        assert.deepEqual([structureKey(d), lossKey(d)], [structureKey(result.definition), lossKey(result.definition)], `preset ${name} differs from the example`);
      }
    });
  }

  it('positions a syntax error at its line and column', async () => {
    const { file: f, text } = file('syntax.gan.ts', `${header}export default defineGan({\n  loss: losses.minimax(,\n});\n`);
    const result = await loadDefinition(f, text);
    assert.ok(!result.ok);
    const p = result.problems[0]!;
    assert.equal(p.severity, 'error');
    assert.equal(p.line, 3);
    assert.equal(p.column, 24);
    assert.equal(p.file, f);
  });

  it('points a validation error at the field it names', async () => {
    const { file: f, text } = file('field.gan.ts', body(`  critic: { hidden: [32, -3] },\n  loss: losses.nonSaturating(),`));
    const result = await loadDefinition(f, text);
    assert.ok(!result.ok);
    const p = result.problems[0]!;
    assert.equal(p.message, 'critic.hidden[1] must be a positive integer, got -3');
    assert.equal(p.line, 4);
    assert.equal(p.column, 26);
  });

  it('points a 2-D target error at the component, the field and the factory argument that are wrong', async () => {
    const mixture = `${header}export default defineGan({
  target: targets.mixture([
    { weight: 1, mean: [0, 0], std: 0.5 },
    { weight: 1, mean: [2, 0], cov: [[1, 2], [2, 1]] },
  ]),
  loss: losses.nonSaturating(),
});
`;
    const { file: f, text } = file('cov.gan.ts', mixture);
    const result = await loadDefinition(f, text);
    assert.ok(!result.ok);
    const p = result.problems[0]!;
    assert.equal(p.message, 'target.components[1].cov must be positive definite, got [[1,2],[2,1]]');
    assert.deepEqual([p.line, p.column], [5, 32]);
    const ring = `${header}export default defineGan({\n  target: targets.ring({ modes: 8, radius: -2, std: 0.2 }),\n  loss: losses.nonSaturating(),\n});\n`;
    const r = await loadDefinition(file('ring.gan.ts', ring).file, ring);
    assert.ok(!r.ok);
    assert.match(r.problems[0]!.message, /^target\.radius /);
    assert.deepEqual([r.problems[0]!.line, r.problems[0]!.column], [3, 36]);
  });

  it('maps an exception at load time through the source map', async () => {
    const { file: f, text } = file('throws.gan.ts', `${header}const width: number = 32;\nfunction widths(): number[] {\n  throw new Error('no widths today');\n}\nexport default defineGan({ target: targets.gaussian(0, 1), critic: { hidden: widths() }, loss: losses.hinge() });\n`);
    const result = await loadDefinition(f, text);
    assert.ok(!result.ok);
    const p = result.problems[0]!;
    assert.equal(p.message, 'no widths today');
    assert.equal(p.line, 4);
    assert.equal(p.column, 9);
  });

  it('stops an endless loop at top level within the time limit', async () => {
    const { file: f, text } = file('loop.gan.ts', `${header}while (true) {}\nexport default defineGan({ target: targets.gaussian(0, 1), loss: losses.hinge() });\n`);
    const started = Date.now();
    const result = await loadDefinition(f, text, 300);
    assert.ok(!result.ok);
    assert.match(result.problems[0]!.message, /did not finish within 300 ms/);
    assert.ok(Date.now() - started < 5000);
  });

  it('refuses imports other than gan-lens and relative files', async () => {
    const { file: f, text } = file('fs.gan.ts', `import * as fs from 'node:fs';\n${header}export const here = fs.existsSync('.');\nexport default defineGan({ target: targets.gaussian(0, 1), loss: losses.hinge() });\n`);
    const result = await loadDefinition(f, text);
    assert.ok(!result.ok);
    assert.match(result.problems[0]!.message, /cannot be imported/);
  });

  it('bundles relative imports and positions errors inside them', async () => {
    file('shared.ts', `export const hidden = [32, 0];\n`);
    const { file: f, text } = file('imports.gan.ts', `${header}import { hidden } from './shared';\nexport default defineGan({ target: targets.gaussian(0, 1), critic: { hidden }, loss: losses.hinge() });\n`);
    const result = await loadDefinition(f, text);
    assert.ok(!result.ok);
    assert.match(result.problems[0]!.message, /critic\.hidden\[1\] must be a positive integer, got 0/);
  });

  it('rejects a default export that is not a definition', async () => {
    const { file: f, text } = file('plain.gan.ts', `export default 42;\n`);
    const result = await loadDefinition(f, text);
    assert.ok(!result.ok);
    assert.match(result.problems[0]!.message, /needs an object/);
  });
});

describe('findFieldPosition', () => {
  const text = `export default defineGan({\n  critic: { hidden: [32, [1, 2], -3] },\n  loss: x,\n});`;
  it('finds nested keys and array elements', () => {
    assert.deepEqual(findFieldPosition(text, 'critic'), { line: 2, column: 3 });
    assert.deepEqual(findFieldPosition(text, 'critic.hidden[2]'), { line: 2, column: 34 });
    assert.deepEqual(findFieldPosition(text, 'critic.hidden[1]'), { line: 2, column: 26 });
    assert.deepEqual(findFieldPosition(text, 'loss'), { line: 3, column: 3 });
    assert.equal(findFieldPosition(text, 'generator.kind'), undefined);
  });
});
