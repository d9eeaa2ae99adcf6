// Runs the extension suite with @vscode/test-electron (`npm run test:electron`): against the
// lowest VS Code that engines.vscode accepts and against stable, as rust-analyzer's
// tests/runTests.ts does, or only against VSCODE_EXECUTABLE when that is set. Each version runs
// the suite twice: in a trusted window (runTests, which always passes --disable-workspace-trust)
// and in restricted mode, where index.ts picks only the *.untrusted.test.js files. Needs a
// machine that can download VS Code (or VSCODE_EXECUTABLE) and a display (xvfb-run on Linux CI);
// elsewhere test/run-all.mjs uses code-server.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

// Compiled to dist/test/extension/runTest.js.
const extensionDevelopmentPath = path.resolve(__dirname, '../../..');
const extensionTestsPath = path.join(__dirname, 'index.js');
const fixtureWorkspace = path.join(extensionDevelopmentPath, 'test', 'fixtures', 'workspace');

/** The tests create and edit files: they get a copy of the fixture folder. */
function copyWorkspace(tmp: string): string {
  const copy = path.join(tmp, 'workspace');
  fs.cpSync(fixtureWorkspace, copy, { recursive: true, filter: (src) => !/[\\/](scratch|\.gan-lens)$/.test(src) });
  return copy;
}

/**
 * The suite in restricted mode. runTests cannot leave out --disable-workspace-trust, so this
 * starts VS Code itself with the same arguments minus that one, and a fresh profile whose
 * settings skip the trust prompt (the folder then opens untrusted).
 */
function runUntrusted(executable: string, workspace: string, tmp: string): Promise<number> {
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': true,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
  }));
  const args = [
    workspace, '--disable-extensions', '--no-sandbox', '--disable-gpu-sandbox', '--disable-updates', '--skip-welcome',
    '--skip-release-notes', `--extensionTestsPath=${extensionTestsPath}`, `--extensionDevelopmentPath=${extensionDevelopmentPath}`,
    `--user-data-dir=${userData}`, `--extensions-dir=${path.join(tmp, 'extensions')}`,
  ];
  return new Promise((resolve) => {
    const child = spawn(executable, args, { stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<void> {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDevelopmentPath, 'package.json'), 'utf8'));
  const minimum = String(manifest.engines.vscode).replace(/^[\^~>=\s]+/, '');
  const given = process.env['VSCODE_EXECUTABLE'];
  const targets = given ? [given] : [minimum, 'stable'];

  let failed = 0;
  for (const target of targets) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-electron-'));
    try {
      const executable = given ?? await downloadAndUnzipVSCode(target);
      console.log(`Host: @vscode/test-electron, VS Code ${given ? executable : target}`);
      const workspace = copyWorkspace(tmp);
      try {
        await runTests({ vscodeExecutablePath: executable, extensionDevelopmentPath, extensionTestsPath, launchArgs: [workspace, '--disable-extensions'] });
      } catch (e) {
        console.error(`Extension tests failed on VS Code ${target}: ${e instanceof Error ? e.message : String(e)}`);
        failed++;
      }
      console.log(`Host: @vscode/test-electron, VS Code ${given ? executable : target}, untrusted workspace`);
      const code = await runUntrusted(executable, workspace, tmp);
      if (code !== 0) {
        console.error(`Extension tests in restricted mode failed on VS Code ${target} (exit ${code})`);
        failed++;
      }
    } catch (e) {
      console.error(`Could not run VS Code ${target}: ${e instanceof Error ? e.message : String(e)}`);
      failed++;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}

void main();
