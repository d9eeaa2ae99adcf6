/**
 * The specific faults the fuzz test found in the loader, validation, field positions and the
 * definition keys, one test each, so that a regression names itself.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDefinition } from '../../../src/definition/loader';
import { findFieldPosition } from '../../../src/definition/fieldPosition';
import { DefinitionError, validateDefinition } from '../../../src/definition/validate';
import { lossKey, structureKey } from '../../../src/definition/definitionKeys';
import { losses, targets } from '../../../src/definition/api';
import type { Problem } from '../../../src/protocol';

const header = `import { defineGan, losses, targets } from 'gan-lens';\n`;
const CUSTOM = `{ divergence: 'jsd', critic: ({ real, tf }) => tf.mean(real), generator: ({ fake, tf }) => tf.mean(fake), estimate: ({ real, tf }) => tf.mean(real) }`;

describe('reliability: loader hardening', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-hardening-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function load(text: string, timeoutMs = 300): Promise<{ ms: number; problems: readonly Problem[]; ok: boolean }> {
    const file = path.join(tmp, 'case.gan.ts');
    fs.writeFileSync(file, text);
    const started = performance.now();
    const r = await loadDefinition(file, text, timeoutMs);
    return { ms: performance.now() - started, ok: r.ok, problems: r.ok ? [] : r.problems };
  }

  function positioned(p: Problem | undefined): void {
    assert.ok(p, 'no problem');
    assert.equal(p.severity, 'error');
    assert.ok(Number.isInteger(p.line) && p.line! >= 1 && Number.isInteger(p.column) && p.column! >= 1, `no position: ${JSON.stringify(p)}`);
  }

  it('bounds the validation of the export too: a getter that loops ends in an error, not a hung thread', async () => {
    const r = await load(`${header}export default { target: targets.gaussian(0, 1), get loss() { for (;;) {} } };\n`);
    assert.ok(!r.ok);
    assert.match(r.problems[0]!.message, /reading the exported definition did not finish within 300 ms/);
    positioned(r.problems[0]);
    assert.ok(r.ms < 3000, `${Math.round(r.ms)} ms`);
  });

  it('keeps no reference to the person\'s objects: a getter read again later would run outside any limit', async () => {
    const r = await load(`${header}let reads = 0;
export default defineGan({
  target: { kind: 'mixture', get components() { if (++reads > 1) { for (;;) {} } return [{ weight: 1, mean: 0, std: 1 }]; } } as any,
  loss: losses.hinge(),
});
`);
    assert.ok(r.ok, JSON.stringify(r.problems));
    const d = validateDefinition({ target: targets.gaussian(0, 1), loss: Object.defineProperty({ kind: 'hinge' }, 'extra', { get: () => { throw new Error('read again'); }, enumerable: true }) });
    assert.deepEqual(d.loss, { kind: 'hinge' });
    assert.doesNotThrow(() => lossKey(d));
  });

  it('turns hostile thrown values into positioned messages instead of rejecting', async () => {
    const throws = [
      'Object.create(null)', "{ toString() { throw new Error('no string'); } }", 'undefined', 'null', "Symbol('s')",
      "(() => { const e = new Error('m'); Object.defineProperty(e, 'message', { get() { throw e; } }); return e; })()",
      "new Proxy(new Error('p'), { getPrototypeOf() { throw new Error('proto'); } })",
      "(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })()",
    ];
    for (const thrown of throws) {
      const r = await load(`${header}throw ${thrown};\n`);
      assert.ok(!r.ok, thrown);
      positioned(r.problems[0]);
      assert.ok(r.problems[0]!.message.length > 0, thrown);
    }
  });

  it('clips enormous messages', async () => {
    const r = await load(`${header}throw new Error('x'.repeat(1_000_000));\n`);
    assert.ok(!r.ok);
    assert.ok(r.problems[0]!.message.length <= 501, `${r.problems[0]!.message.length} characters`);
  });

  it('tells a time-out from an error whose message says "timed out"', async () => {
    const r = await load(`${header}throw new Error('the request timed out');\n`);
    assert.equal(r.problems[0]!.message, 'the request timed out');
    assert.equal(r.problems[0]!.line, 2);
  });

  it('says what is missing when there is no default export', async () => {
    const r = await load(`${header}export const gan = defineGan({ target: targets.gaussian(0, 1), loss: losses.hinge() });\n`);
    assert.match(r.problems[0]!.message, /must default-export its definition/);
    positioned(r.problems[0]);
  });

  it('names a custom loss name that is not a short string, a GAN variant and an f-GAN generator it does not know', () => {
    const fn = (): never => { throw new Error('unused'); };
    const custom = { divergence: 'jsd', critic: fn, generator: fn, estimate: fn };
    const errorOf = (config: unknown): DefinitionError => {
      try {
        validateDefinition(config);
      } catch (e) {
        assert.ok(e instanceof DefinitionError, String(e));
        return e;
      }
      return assert.fail('accepted');
    };
    assert.equal(errorOf({ target: targets.gaussian(0, 1), loss: { ...custom, name: () => 'x' } }).field, 'loss.name');
    assert.equal(errorOf({ target: targets.gaussian(0, 1), loss: { ...custom, name: 'n'.repeat(201) } }).field, 'loss.name');
    assert.equal(errorOf({ target: targets.gaussian(0, 1), loss: { kind: 'gan', variant: 'saturated' } }).field, 'loss.variant');
    assert.equal(errorOf({ target: targets.gaussian(0, 1), loss: { ...losses.fgan('kl'), generator: 'bogus' } }).field, 'loss.generator');
    assert.match(errorOf({ target: targets.gaussian(0, 1), loss: losses.hinge(), batchSize: 10n }).message, /got 10n$/);
  });

  it('finds a field at the right depth: not a custom loss\'s key, not a comment, getters and quoted keys too', () => {
    const text = `${header}// critic: a wide one
export default defineGan({
  loss: { critic: ({ real, tf }) => tf.mean(real), generator: ({ fake, tf }) => tf.mean(fake) },
  'batchSize': 0,
  get seed() { return 1; },
  generator: 42,
  critic: { hidden: [8, /* [9] */ 'x'] },
});
`;
    assert.deepEqual(findFieldPosition(text, 'generator'), { line: 7, column: 3 });
    assert.deepEqual(findFieldPosition(text, 'critic.hidden[1]'), { line: 8, column: 35 });
    assert.deepEqual(findFieldPosition(text, 'batchSize'), { line: 5, column: 3 });
    assert.deepEqual(findFieldPosition(text, 'seed'), { line: 6, column: 7 });
    assert.deepEqual(findFieldPosition(text, 'loss.generator'), { line: 4, column: 52 });
    assert.equal(findFieldPosition(text, 'optimizer'), undefined);
    const viaVariable = `${header}const config = {\n  target: targets.gaussian(0, 1),\n  batchSize: -1,\n};\nexport default defineGan(config);\n`;
    assert.deepEqual(findFieldPosition(viaVariable, 'batchSize'), { line: 4, column: 3 });
  });

  it('computes definition keys of any custom loss: cycles, BigInts, throwing toJSON and toString', () => {
    const base = validateDefinition({ target: targets.gaussian(0, 1), loss: { divergence: 'jsd', critic: () => 1, generator: () => 2, estimate: () => 3 } });
    const weird: Record<string, unknown> = { big: 10n, toJSON() { throw new Error('no json'); } };
    weird['self'] = weird;
    const critic = Object.assign(() => 1, { toString() { throw new Error('no source'); } });
    const d = { ...base, loss: { ...base.loss, weird, critic } } as unknown as typeof base;
    assert.doesNotThrow(() => lossKey(d));
    assert.doesNotThrow(() => structureKey(d));
    assert.notEqual(lossKey(d), lossKey({ ...d, loss: { ...d.loss, critic: Object.assign(() => 2, { toString: critic.toString }) } } as unknown as typeof base));
  });

  it('positions every load-time error, the tricky ones included', async () => {
    const texts = [
      `${header}export default undefined;\n`,
      `${header}const r = Proxy.revocable({}, {}); r.revoke(); export default r.proxy;\n`,
      `const { defineGan } = require('gan-lens');\nmodule.exports = null;\n`,
      `${header}while (true) {}\n`,
      `${header}export default defineGan({ target: targets.gaussian(0, 1), loss: ${CUSTOM}, get batchSize() { throw null; } });\n`,
    ];
    for (const text of texts) {
      const r = await load(text);
      assert.ok(!r.ok, text);
      positioned(r.problems[0]);
    }
  });
});
