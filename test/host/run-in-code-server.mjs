// Runs the compiled extension suite (dist/test/extension/index.js) inside a real VS Code:
// code-server's server and extension host, with its web workbench opened in Debian's
// Chromium through playwright-core. Exits with the suite's code.
// Usage: node test/host/run-in-code-server.mjs [--timeout <seconds>] [--untrusted] [--tests <compiled entry>]
// --tests runs another compiled entry with a Mocha-like run() instead of the suite (the bench's
// extension-host measurement, dist/test/extension/hostBench.js).
// --untrusted opens the workspace in restricted mode (workspace trust on, folder not trusted),
// where the suite runs only its *.untrusted.test.js files.
// `withWorkbench` is exported for UI tests that drive the same host.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CODE_SERVER_VERSION, chromiumPath, ensureCodeServer } from './install-code-server.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixtureWorkspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
const suiteIndex = path.join(repoRoot, 'dist', 'test', 'extension', 'index.js');

/** Process groups and temp folders still alive, for the signal handler. */
const liveGroups = new Set();
const tmpDirs = new Set();

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Starts code-server and Chromium, calls `fn({ page, port, workbenchUrl, hostLabel, serverLog })`
 * and always stops both by process group afterwards, whatever `fn` does. `env` reaches the
 * extension host. `workbenchUrl(folder, payload?)` builds the page address. With
 * `trusted: false` workspace trust is on and folders open in restricted mode.
 */
export async function withWorkbench(fn, { env = {}, log = console.log, trusted = true, viewport, installed = [], settings = {} } = {}) {
  const codeServerDir = ensureCodeServer({ log });
  const vscodeVersion = JSON.parse(fs.readFileSync(path.join(codeServerDir, 'lib/vscode/package.json'), 'utf8')).version;
  const hostLabel = `code-server ${CODE_SERVER_VERSION} (VS Code ${vscodeVersion})`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-host-'));
  tmpDirs.add(tmp);
  const stops = [];
  try {
    // Installed extensions (as by --install-extension) are folders in the extensions dir.
    for (const dir of installed) {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      fs.mkdirSync(path.join(tmp, 'ext'), { recursive: true });
      fs.symlinkSync(dir, path.join(tmp, 'ext', `${manifest.publisher}.${manifest.name}-${manifest.version}`));
    }
    const server = await startCodeServer(codeServerDir, tmp, { env, trusted, settings });
    stops.push(server.stop);
    const browser = await launchChromium(tmp, viewport);
    stops.push(browser.stop);
    log(`Host: ${hostLabel}, Chromium ${browser.version}, http://127.0.0.1:${server.port}/`);
    const workbenchUrl = (folder, payload) => {
      const query = new URLSearchParams({ folder });
      if (payload) query.set('payload', JSON.stringify(payload));
      return `http://127.0.0.1:${server.port}/?${query}`;
    };
    return await fn({ page: browser.page, port: server.port, workbenchUrl, hostLabel, serverLog: server.logTail });
  } finally {
    for (const stop of stops.reverse()) await stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    tmpDirs.delete(tmp);
  }
}

/** Runs the Mocha suite in the workbench; resolves to the exit code the suite reported. */
export async function runSuite({ timeoutMs = 15 * 60_000, log = console.log, trusted = true, tests = suiteIndex } = {}) {
  if (!fs.existsSync(tests)) throw new Error(`${path.relative(repoRoot, tests)} is missing: run \`npm run build\` first`);
  const workspace = copyFixtureWorkspace();
  try {
    return await runSuiteIn(workspace, { timeoutMs, log, trusted, tests });
  } finally {
    removeWorkspaceCopy(workspace);
  }
}

/**
 * A copy of test/fixtures/workspace in a temp folder: the tests create and edit files there,
 * and a crashed run must not leave them in the repository.
 */
export function copyFixtureWorkspace(name = 'workspace') {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-workspace-'));
  tmpDirs.add(parent);
  const copy = path.join(parent, name);
  fs.cpSync(fixtureWorkspace, copy, { recursive: true, filter: (src) => !/[\\/](scratch|\.gan-lens)$/.test(src) });
  return copy;
}

/** Removes a copy made by copyFixtureWorkspace. */
export function removeWorkspaceCopy(copy) {
  const parent = path.dirname(copy);
  fs.rmSync(parent, { recursive: true, force: true });
  tmpDirs.delete(parent);
}

async function runSuiteIn(workspace, { timeoutMs, log, trusted, tests }) {
  return withWorkbench(async ({ page, port, workbenchUrl, serverLog }) => {
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    let exit;
    const exited = new Promise((resolve) => { exit = resolve; });
    // The workbench calls this when the suite's run() settles: 0 all passed, 1 otherwise.
    await page.exposeFunction('codeAutomationExit', (code) => exit(Number(code)));
    const relay = relayConsole(page, log);
    await page.goto(workbenchUrl(workspace, [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(tests)],
    ]));
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    const started = await relay.flush();
    if (code === 'timeout') log(`Extension suite did not finish within ${timeoutMs / 1000} s`);
    if (code === 'timeout' || !started) log(`Last code-server output:\n${serverLog()}`);
    return code === 'timeout' ? 1 : code;
  }, { log, trusted });
}

/**
 * Mocha's reporter writes with console.log in the extension host; the workbench logs each call
 * as ['%c INFO', <css>, format, ...args], which util.format rebuilds. Workbench start-up
 * chatter before the suite's banner (printed by test/extension/index.ts) is kept back and
 * shown only when the suite never starts. Chained so that lines keep their order although
 * reading arguments is asynchronous.
 */
const NOISE = [
  // The workbench re-registers its webview service worker each time a webview loads.
  /^Found unexpected service worker controller/,
];

function relayConsole(page, log) {
  let chain = Promise.resolve();
  let started = false;
  const early = [];
  page.on('console', (msg) => {
    const args = Promise.all(msg.args().map((a) => a.jsonValue().catch(() => a.toString())));
    chain = chain.then(async () => {
      let rest = await args;
      if (rest.length === 0) return;
      if (typeof rest[0] === 'string' && /^%c\s*[A-Z]+$/.test(rest[0]) && rest.length > 1) rest = rest.slice(2);
      const line = util.format(...rest);
      if (NOISE.some((re) => re.test(line))) return;
      if (!started && line.startsWith('Extension tests in ')) started = true;
      if (started) log(line);
      else early.push(`[workbench ${msg.type()}] ${line}`);
    }).catch(() => {});
  });
  return { flush: async () => {
    await chain;
    if (!started) log(`The suite did not start. Workbench console:\n${early.join('\n')}`);
    return started;
  } };
}

async function startCodeServer(codeServerDir, tmp, { env, trusted, settings }) {
  const port = await freePort();
  const userDataDir = path.join(tmp, 'data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    // Restricted mode without the start-up dialog (only matters when trust is on).
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    ...settings,
  }, null, 2));
  fs.writeFileSync(path.join(tmp, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [path.join(codeServerDir, 'out/node/entry.js'), '--config', path.join(tmp, 'config.yaml'),
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir,
    '--extensions-dir', path.join(tmp, 'ext'), '--disable-telemetry', '--disable-update-check',
    ...(trusted ? ['--disable-workspace-trust'] : []), '--disable-getting-started-override', '--ignore-last-opened'];
  // Own process group, so that stopping it also stops the extension host and other helpers.
  // An empty gallery turns off the marketplace (open-vsx) queries: the machine is offline.
  const serverEnv = { ...process.env, EXTENSIONS_GALLERY: '{}', ...env };
  const proc = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv });
  liveGroups.add(proc.pid);
  const tail = [];
  const keep = (chunk) => {
    tail.push(...chunk.toString().split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 60));
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const stop = () => killGroup(proc.pid, 'code-server');
  try {
    await waitForHealthz(port, proc, 30_000);
  } catch (e) {
    await stop();
    throw new Error(`${e.message}\n${tail.join('\n')}`);
  }
  return { port, stop, logTail: () => tail.join('\n') };
}

async function waitForHealthz(port, proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`code-server exited (${proc.exitCode ?? proc.signalCode}) before it was healthy`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch { /* not listening yet */ }
    await delay(200);
  }
  throw new Error(`code-server did not answer /healthz within ${timeoutMs / 1000} s`);
}

async function launchChromium(tmp, viewport = { width: 1400, height: 900 }) {
  const profileDir = path.join(tmp, 'chromium-profile');
  // Debian's Chromium also writes crash reports under XDG_CONFIG_HOME: keep them in tmp.
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_CACHE_HOME: path.join(tmp, 'xdg-cache') };
  const before = childGroupLeaders();
  let context;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, env, viewport,
    });
  } catch (e) {
    for (const pid of childGroupLeaders()) if (!before.has(pid)) await killGroup(pid, 'chromium');
    throw e;
  }
  // Playwright starts Chromium as our direct child leading its own process group, but does not
  // expose the pid of a persistent context, so find it among our children.
  const pids = [...childGroupLeaders()].filter((pid) => !before.has(pid));
  for (const pid of pids) liveGroups.add(pid);
  const page = context.pages()[0] ?? (await context.newPage());
  const version = context.browser()?.version() ?? 'unknown';
  const stop = async () => {
    let timer;
    await Promise.race([context.close().catch(() => {}), new Promise((r) => { timer = setTimeout(r, 5000); })]);
    clearTimeout(timer);
    for (const pid of pids) await killGroup(pid, 'chromium');
  };
  return { page, version, stop };
}

/** Our direct children that lead their own process group (ps itself does not). */
function childGroupLeaders() {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,pgid=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  } catch { /* ps exits 1 when there are none */ }
  const pids = out.split('\n').map((l) => l.trim().split(/\s+/).map(Number)).filter(([pid, pgid]) => pid > 0 && pid === pgid);
  return new Set(pids.map(([pid]) => pid));
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM to the whole process group, SIGKILL after a grace period, wait until it is gone. */
async function killGroup(pid, name) {
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  try { process.kill(-pid, 'SIGTERM'); } catch { /* already gone */ }
  for (let i = 0; i < 30 && alive(); i++) await delay(100);
  if (alive()) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    for (let i = 0; i < 30 && alive(); i++) await delay(100);
  }
  if (alive()) console.error(`warning: ${name} process group ${pid} survived SIGKILL`);
  else liveGroups.delete(pid);
}

/** Last resort, synchronous: kill every group still alive, remove temp folders, exit. */
function abort(reason, code) {
  console.error(reason);
  for (const pid of liveGroups) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Ctrl-C or a CI kill does not reach the detached groups: take them down before leaving. */
export function stopOnSignals() {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => abort(`${sig}: stopping code-server and Chromium`, 130));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  stopOnSignals();
  const i = process.argv.indexOf('--timeout');
  const timeoutMs = i > 0 ? Number(process.argv[i + 1]) * 1000 : 15 * 60_000;
  // The suite has its own deadline; this one also covers a start-up or shutdown that hangs.
  setTimeout(() => abort(`Gave up after ${timeoutMs / 1000 + 60} s`, 1), timeoutMs + 60_000).unref();
  const t = process.argv.indexOf('--tests');
  const tests = t > 0 ? path.resolve(process.argv[t + 1]) : suiteIndex;
  const code = await runSuite({ timeoutMs, trusted: !process.argv.includes('--untrusted'), tests }).catch((e) => {
    console.error(e instanceof Error ? e.stack : e);
    return 1;
  });
  process.exit(code);
}
