// The two system programs the code-server suites need and npm cannot bring: a Chromium to
// drive the web workbench, and ripgrep, which VS Code's search runs (code-server's own download
// of it cannot work offline). A fresh machine has neither, and README promises that `npm test`
// is all a newcomer runs, so where it can (root and apt-get present, as on Debian/Ubuntu CI and
// containers) the test command installs Debian's packages itself; elsewhere it says exactly
// what to run. ripgrep is optional: without it the workbench runs and only its search fails,
// which no test uses.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const PACKAGES = { chromium: 'chromium', rg: 'ripgrep' };

export function chromiumPath() {
  return process.env.CHROMIUM_PATH || firstExisting(['/usr/bin/chromium', '/usr/bin/chromium-browser']) || '/usr/bin/chromium';
}

/** The path of `rg`, or undefined when it is not on PATH. */
export function ripgrepPath() {
  const found = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/**
 * Makes sure Chromium (required) and ripgrep (wanted) are present, installing Debian's
 * packages when this process may. Throws a message that says what to run when Chromium is
 * missing and cannot be installed here.
 */
export function ensureSystemTools({ log = (line) => console.log(line) } = {}) {
  const missing = [];
  if (!fs.existsSync(chromiumPath())) missing.push('chromium');
  if (!ripgrepPath()) missing.push('rg');
  if (missing.length === 0) return;

  const packages = missing.map((tool) => PACKAGES[tool]);
  const how = canInstallWithApt();
  if (how.ok) {
    const started = Date.now();
    log(`Installing Debian packages the extension tests need: ${packages.join(', ')} (apt-get, as root) …`);
    apt(['update', '-qq']);
    apt(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
    log(`  installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else if (missing.includes('rg')) {
    log(`warning: ripgrep is missing and cannot be installed here (${how.why}); the workbench's search will not work, no test needs it`);
  }
  if (!fs.existsSync(chromiumPath())) {
    throw new Error(
      `The extension tests drive VS Code's web workbench with Chromium, which is missing (${chromiumPath()}). ` +
        (how.ok ? 'Installing it with apt-get did not provide it. ' : `It cannot be installed automatically here (${how.why}). `) +
        'Install it, then run `npm test` again:\n' +
        '  Debian/Ubuntu:  sudo apt-get install -y --no-install-recommends chromium ripgrep\n' +
        '  elsewhere:      install Chromium or Chrome and set CHROMIUM_PATH=/path/to/the/browser',
    );
  }
}

function canInstallWithApt() {
  if (process.platform !== 'linux') return { ok: false, why: `not Linux but ${process.platform}` };
  if (spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) return { ok: false, why: 'no apt-get' };
  if (process.getuid?.() !== 0) return { ok: false, why: 'not root; the test command does not ask for sudo' };
  return { ok: true };
}

function apt(args) {
  // Another test run installing at the same moment holds dpkg's lock: wait for it.
  const result = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

function firstExisting(paths) {
  return paths.find((p) => fs.existsSync(p));
}
