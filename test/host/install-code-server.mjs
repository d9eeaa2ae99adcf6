// Installs code-server (VS Code's own server and web workbench, published on npm) into
// .cache/code-server/<version>/ so the extension suite can run in a real VS Code on machines
// that cannot download VS Code. See ../shared/docs/vscode-host.md for why each step exists.
// Usage: node test/host/install-code-server.mjs   (a no-op when the stamp file is present)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemTools, ripgrepPath } from './system-tools.mjs';

export { chromiumPath } from './system-tools.mjs';

/** The last code-server whose engines field accepts node 20; it ships VS Code 1.100.3. */
export const CODE_SERVER_VERSION = '4.100.3';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cacheRoot = path.join(repoRoot, '.cache', 'code-server');
const installDir = path.join(cacheRoot, CODE_SERVER_VERSION);
const STAMP = '.installed';

/** The code-server package folder (holds out/node/entry.js and lib/vscode/). */
export const codeServerDir = path.join(installDir, 'node_modules', 'code-server');

/** Installs when needed and returns codeServerDir. Throws with a readable message on failure. */
export function ensureCodeServer({ log = (line) => console.log(line) } = {}) {
  ensureSystemTools({ log });
  if (fs.existsSync(path.join(installDir, STAMP))) return codeServerDir;

  const started = Date.now();
  log(`Installing code-server@${CODE_SERVER_VERSION} into ${path.relative(repoRoot, installDir)} …`);
  // Build in a private folder and rename at the end, so an interrupted or concurrent install
  // never leaves a half-built folder that looks finished.
  fs.mkdirSync(cacheRoot, { recursive: true });
  removeAbandonedStaging();
  const staging = fs.mkdtempSync(path.join(cacheRoot, `.staging-${process.pid}-`));
  try {
    installInto(staging);
    fs.writeFileSync(path.join(staging, STAMP), `code-server@${CODE_SERVER_VERSION} ${new Date().toISOString()}\n`);
    if (fs.existsSync(path.join(installDir, STAMP))) {
      log('Another run installed code-server meanwhile; keeping that one');
    } else {
      // A folder without the stamp is an older, unfinished install.
      fs.rmSync(installDir, { recursive: true, force: true });
      fs.renameSync(staging, installDir);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return codeServerDir;
}

/** Staging folders of installs whose process died (killed mid-install) are ~300 MB each. */
function removeAbandonedStaging() {
  for (const name of fs.readdirSync(cacheRoot)) {
    const pid = Number(/^\.staging-(\d+)-/.exec(name)?.[1]);
    if (!pid || isAlive(pid)) continue;
    fs.rmSync(path.join(cacheRoot, name), { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function installInto(dir) {
  // Without a package.json here npm would walk up and install into the repository itself.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'code-server-host', private: true }));

  // The postinstall refuses to run as root under npm 11 and downloads ripgrep from GitHub,
  // so skip scripts and redo its useful parts below.
  npm(dir, 'install', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`);
  // argon2 is loaded at start-up; its install script would download a prebuilt binary.
  npm(dir, 'rebuild', '--build-from-source', 'argon2');

  const vscodeDir = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  npm(vscodeDir, 'install', '--omit=dev', '--ignore-scripts');

  const rg = ripgrepPath();
  if (rg) {
    const rgTarget = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
    fs.mkdirSync(path.dirname(rgTarget), { recursive: true });
    fs.rmSync(rgTarget, { force: true });
    fs.symlinkSync(rg, rgTarget);
  }

  // Native modules for logging, terminals and file watching. The workbench starts without
  // them, so a failure here is a warning rather than a failed install.
  try {
    npm(vscodeDir, 'rebuild', '@vscode/spdlog', 'native-watchdog', '@vscode/deviceid', 'node-pty', '@parcel/watcher');
  } catch (e) {
    console.warn(`warning: native modules of lib/vscode did not build (${e.message}); continuing`);
  }

  // VS Code's loader looks for node_modules.asar next to node_modules.
  fs.symlinkSync('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  npm(path.join(vscodeDir, 'extensions'), 'install', '--omit=dev');
}

function npm(cwd, ...args) {
  const started = Date.now();
  const result = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    // Errors stay visible on stderr; the per-package chatter on stdout is dropped.
    stdio: ['ignore', 'ignore', 'inherit'],
    // JOBS: node-gyp compiles on every core (spdlog alone takes ~30 s on one).
    env: { ...process.env, npm_config_yes: 'true', npm_config_update_notifier: 'false', JOBS: 'max' },
  });
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed in ${path.relative(repoRoot, cwd)} (exit ${result.status ?? result.signal})`);
  }
  console.log(`  npm ${args.join(' ')} (${path.relative(repoRoot, cwd).replace(/.*node_modules\//, '')}): ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureCodeServer());
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
