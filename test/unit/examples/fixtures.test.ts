/**
 * The extension and UI tests open copies of some examples from test/fixtures/workspace (VS Code's
 * own test runner opens that folder as it is, so the copies must be real files): they must stay
 * the files people open, byte for byte.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../paths';

describe('fixture workspace', () => {
  it('every fixture named like an example is that example, unchanged', () => {
    const fixtures = path.join(repoRoot, 'test', 'fixtures', 'workspace');
    const examples = path.join(repoRoot, 'examples');
    const copies = fs.readdirSync(fixtures).filter((f) => f.endsWith('.gan.ts') && fs.existsSync(path.join(examples, f)));
    assert.ok(copies.length >= 3, `only ${copies.length} copies found`);
    for (const f of copies) assert.equal(fs.readFileSync(path.join(fixtures, f), 'utf8'), fs.readFileSync(path.join(examples, f), 'utf8'), `${f} differs from examples/${f}`);
  });
});
