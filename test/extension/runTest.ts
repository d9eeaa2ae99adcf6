// Runs the extension suite with @vscode/test-electron (`npm run test:electron`): against the
// lowest VS Code that engines.vscode accepts and against stable, as rust-analyzer's
// tests/runTests.ts does, or only against VSCODE_EXECUTABLE when that is set. Needs a machine
// that can download VS Code (or VSCODE_EXECUTABLE); elsewhere test/run-all.mjs uses code-server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // Compiled to dist/test/extension/runTest.js.
  const extensionDevelopmentPath = path.resolve(__dirname, '../../..');
  const extensionTestsPath = path.join(__dirname, 'index.js');
  const workspace = path.join(extensionDevelopmentPath, 'test', 'fixtures', 'workspace');
  const launchArgs = [workspace, '--disable-extensions'];

  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDevelopmentPath, 'package.json'), 'utf8'));
  const minimum = String(manifest.engines.vscode).replace(/^[\^~>=\s]+/, '');
  const executable = process.env['VSCODE_EXECUTABLE'];
  const targets = executable ? [{ vscodeExecutablePath: executable }] : [{ version: minimum }, { version: 'stable' }];

  let failed = 0;
  for (const target of targets) {
    console.log(`Host: @vscode/test-electron, VS Code ${'version' in target ? target.version : target.vscodeExecutablePath}`);
    try {
      await runTests({ ...target, extensionDevelopmentPath, extensionTestsPath, launchArgs });
    } catch (e) {
      console.error(`Extension tests failed on ${JSON.stringify(target)}: ${e instanceof Error ? e.message : String(e)}`);
      failed++;
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}

void main();
