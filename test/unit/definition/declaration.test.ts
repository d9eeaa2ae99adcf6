import assert from 'node:assert/strict';
import * as path from 'node:path';
import { repoRoot } from '../paths';
import ts from 'typescript';

/**
 * media/gan-lens.d.ts is what people's editors see; every example must type-check against it,
 * so the declaration cannot drift from the API the examples use.
 */
describe('gan-lens type declaration', function () {
  this.timeout(60_000);
  it('type-checks every example', () => {
    const config = path.join(repoRoot, 'examples', 'tsconfig.json');
    const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)) });
    assert.ok(parsed);
    assert.ok(parsed.fileNames.filter((f) => f.endsWith('.gan.ts')).length >= 7);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(problems, []);
  });
});
