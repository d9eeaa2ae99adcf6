// What `npm test` runs after the build: the unit tests (plain Node, mocha), then the extension
// suite inside a real VS Code, with @vscode/test-electron when VSCODE_EXECUTABLE is set or
// --electron is given, otherwise in code-server (test/host/). Streams every suite's output and
// ends with one line `N passed, M failed` over all suites; a suite that crashes counts as a
// failure. Flags: --unit-only, --extension-only, --electron.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const flags = new Set(process.argv.slice(2));
const unknown = [...flags].filter((f) => !['--unit-only', '--extension-only', '--electron'].includes(f));
if (unknown.length > 0) {
  console.error(`Unknown option ${unknown.join(' ')}; use --unit-only, --extension-only or --electron`);
  process.exit(2);
}
const electron = flags.has('--electron') || Boolean(process.env.VSCODE_EXECUTABLE);
const mochaBin = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');

const suites = [];
if (!flags.has('--extension-only')) {
  suites.push({ name: 'unit', args: [mochaBin, '--reporter', 'test/host/summary-reporter.cjs'], skip: noUnitTests() });
}
if (!flags.has('--unit-only')) {
  if (electron) {
    suites.push({ name: 'extension (@vscode/test-electron)', args: ['dist/test/extension/runTest.js'] });
  } else {
    suites.push({ name: 'extension (code-server)', args: ['test/host/run-in-code-server.mjs'] });
    suites.push({ name: 'extension, untrusted workspace (code-server)', args: ['test/host/run-in-code-server.mjs', '--untrusted'] });
  }
  // The person's path through the real UI needs a browser: always code-server and Chromium.
  suites.push({ name: 'UI (code-server)', args: ['test/host/ui-test.mjs'] });
}

let current;
const background = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    current?.kill(sig);
    for (const child of background) child.kill(sig);
  });
}

// Installing code-server (~45 s of npm, mostly waiting on the registry) overlaps the unit
// tests instead of delaying the first code-server suite. The suites still call
// ensureCodeServer(), which reports a failed install readably or finds this one finished.
const codeServerInstall = suites.some((s) => !s.skip && s.args[0].startsWith('test/host/')) ? installInBackground() : undefined;

const results = [];
for (const suite of suites) {
  if (suite.skip) {
    console.log(`\n=== ${suite.name}: skipped, ${suite.skip}`);
    continue;
  }
  if (suite.args[0].startsWith('test/host/') && codeServerInstall) {
    const output = await codeServerInstall;
    if (output) console.log(`\n=== code-server install (in the background)\n${output.trimEnd()}`);
  }
  console.log(`\n=== ${suite.name}`);
  results.push({ name: suite.name, ...(await runSuite(suite.args)) });
}

console.log('\n=== Summary');
for (const r of results) {
  const note = r.crashed ? ` (crashed: ${r.crashed})` : '';
  // Not in the `N passed, M failed` form: only the last line below is the overall count.
  console.log(`${r.name}: passed ${r.passed}, failed ${r.failed}${note}, ${r.seconds.toFixed(1)} s`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

/** Runs one suite in a child node, echoing its output and adding up its `XXX-TESTS:` lines. */
function runSuite(args) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    current = child;
    let passed = 0;
    let failed = 0;
    let counted = false;
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      console.log(line);
      const m = /^[A-Z]+-TESTS: passed=(\d+) failed=(\d+)/.exec(line);
      if (m) {
        passed += Number(m[1]);
        failed += Number(m[2]);
        counted = true;
      }
    });
    child.on('close', (code, signal) => {
      current = undefined;
      let crashed;
      if (!counted) crashed = `no test counts reported, exit ${code ?? signal}`;
      else if (code !== 0 && failed === 0) crashed = `exit ${code ?? signal} with no failed test`;
      resolve({ passed, failed: failed + (crashed ? 1 : 0), crashed, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** Resolves to the installer's output once it ends (empty when it was already installed). */
function installInBackground() {
  const child = spawn(process.execPath, ['test/host/install-code-server.mjs'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  background.add(child);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      background.delete(child);
      // The last line of a finished install is the folder it printed; a failure is kept for the log.
      const installed = code === 0 && !output.includes('Installing');
      resolve(installed ? '' : `${output}${code === 0 ? '' : `(exit ${code ?? signal}; the suites retry the install)\n`}`);
    });
  });
}

function noUnitTests() {
  const dir = path.join(repoRoot, 'test', 'unit');
  const found = fs.existsSync(dir) && fs.readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.test.ts'));
  return found ? undefined : 'no test/unit/**/*.test.ts yet';
}
