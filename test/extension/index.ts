// Entry point that VS Code loads as `extensionTestsPath` (@vscode/test-electron, or code-server
// through test/host/run-in-code-server.mjs). esbuild compiles every test/extension/*.ts to its
// own file next to this one, so the suite is simply every sibling *.test.js.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  // Colours off: the output is relayed through the workbench console or a CI log.
  const mocha = new Mocha({ ui: 'tdd', timeout: 180_000, slow: 5_000, color: false, reporter: 'spec' });
  if (process.env['GAN_LENS_TEST_GREP']) mocha.grep(process.env['GAN_LENS_TEST_GREP']);
  // In a workspace that is not trusted (restricted mode) only the *.untrusted.test.js files
  // apply; in a trusted one, all the others.
  const untrusted = !vscode.workspace.isTrusted;
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && f.endsWith('.untrusted.test.js') === untrusted).sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));

  // test/host/run-in-code-server.mjs starts relaying console output at this banner.
  console.log(`Extension tests in ${vscode.env.appName} ${vscode.version} (${vscode.env.appHost}, ui ${vscode.UIKind[vscode.env.uiKind]}${untrusted ? ', untrusted workspace' : ''}), ${files.length} files`);
  const stats = await new Promise<Mocha.Stats>((resolve, reject) => {
    try {
      const runner = mocha.run(() => (runner.stats ? resolve(runner.stats) : reject(new Error('Mocha reported no statistics'))));
    } catch (e) {
      reject(e);
    }
  });
  // Parsed by test/run-all.mjs (key=value, so that CI does not take it for the overall count
  // line). A run that found no tests counts as failed.
  const failures = stats.failures + (stats.tests === 0 ? 1 : 0);
  console.log(`EXTENSION-TESTS: passed=${stats.passes} failed=${failures} skipped=${stats.pending}`);
  if (failures > 0) throw new Error(stats.tests === 0 ? 'No extension tests were found' : `${failures} extension test(s) failed`);
}
