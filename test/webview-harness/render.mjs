// Renders the inspector webview in headless Chromium with synthetic messages and writes
// screenshots to test-results/harness-*.png. Usage: node test/webview-harness/render.mjs
// [themes|hc|wgan|neyman|chance|spikes|empty|controls|perf|reduced|plane|plane-narrow|plane-perf|compare …]
// (default: all scenarios);
// HARNESS_PROFILE=1 prints where the perf scenario spends its CPU time.
//
// The page is built exactly as the extension builds it (renderPanelHtml, same CSP), served
// from 127.0.0.1, with a stub acquireVsCodeApi injected by a nonce'd script before the bundle
// and VS Code's theme variables and body class applied through the CSSOM, as VS Code does.
// Fails (exit code 1) on page errors, console errors or CSP violations.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { chromiumPath as findChromium } from '../host/system-tools.mjs';
import { installSynthetic } from './synthetic.mjs';
import { installSyntheticPlane } from './synthetic-plane.mjs';
import { installSyntheticCompare } from './synthetic-compare.mjs';
import { themes } from './themes.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(repo, 'test-results');
const chromiumPath = findChromium();
fs.mkdirSync(outDir, { recursive: true });

// ---- build ------------------------------------------------------------------------------

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-harness-'));
await esbuild.build({
  entryPoints: { webview: path.join(repo, 'webview/main.ts'), compare: path.join(repo, 'webview/compare/main.ts') },
  outdir: tmp, bundle: true, platform: 'browser', format: 'iife', target: 'es2022',
  loader: { '.css': 'css' }, sourcemap: 'linked', logLevel: 'warning',
});
await esbuild.build({
  entryPoints: [path.join(repo, 'src/extension/panelHtml.ts')],
  outfile: path.join(tmp, 'panelHtml.mjs'), bundle: true, platform: 'node', format: 'esm', logLevel: 'warning',
});
const { renderPanelHtml } = await import(pathToFileURL(path.join(tmp, 'panelHtml.mjs')).href);

// ---- page -------------------------------------------------------------------------------

/** Runs in the page before the bundle: the VS Code API stand-in and the theme. */
function stub(theme, initialState) {
  window.__sent = [];
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  let state = initialState;
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may only be called once');
    acquired = true;
    return {
      postMessage: (m) => window.__sent.push(m),
      getState: () => state,
      setState: (s) => { state = s; window.__state = s; },
    };
  };
  window.__applyTheme = (t) => {
    const style = document.documentElement.style;
    for (const name of [...style]) if (name.startsWith('--vscode-')) style.removeProperty(name);
    for (const [k, v] of Object.entries(t.vars)) style.setProperty(k, v);
    document.body.className = t.bodyClass;
    document.body.dataset.vscodeThemeKind = t.kind;
  };
  window.__applyTheme(theme);
}

const pages = new Map();
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const page = pages.get(url.pathname);
  if (page) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    return;
  }
  const file = path.join(tmp, path.basename(url.pathname));
  if (/^\/(webview|compare)\.(js|css|js\.map)$/.test(url.pathname) && fs.existsSync(file)) {
    const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
    res.writeHead(200, { 'content-type': type }).end(fs.readFileSync(file));
    return;
  }
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end(); // browsers ask for it; the webview has none
    return;
  }
  res.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

function addPage(name, theme, initialState = null, bundle = 'webview') {
  const nonce = crypto.randomBytes(16).toString('base64');
  const html = renderPanelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/${bundle}.js`, styleUri: `${origin}/${bundle}.css`, title: 'GAN Lens' });
  const inject = `<script nonce="${nonce}">(${stub})(${JSON.stringify(theme)}, ${JSON.stringify(initialState)});</script>\n`;
  const at = html.indexOf('<script nonce=');
  pages.set(`/${name}.html`, html.slice(0, at) + inject + html.slice(at));
  return `${origin}/${name}.html`;
}

// ---- browser ----------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

// Optional scenario filter: node render.mjs perf controls …
const only = new Set(process.argv.slice(2));
const want = (name) => only.size === 0 || only.has(name);

const problems = [];
const warnings = [];
const check = (ok, what) => {
  if (!ok) problems.push(`check failed: ${what}`);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
};

async function open(name, themeName, width, { initialState = null, height = 900, reducedMotion = 'no-preference', bundle = 'webview' } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1, reducedMotion });
  page.on('console', (m) => {
    const text = `[${name}] ${m.type()}: ${m.text()}`;
    if (m.type() === 'error') problems.push(text);
    else if (m.type() === 'warning') warnings.push(text);
  });
  page.on('pageerror', (e) => problems.push(`[${name}] page error: ${e.message}`));
  await page.goto(addPage(name, themes[themeName], initialState, bundle));
  await page.waitForFunction(() => window.__sent.some((m) => m.type === 'ready'));
  await page.evaluate(installSynthetic);
  await page.evaluate(installSyntheticPlane);
  await page.evaluate(installSyntheticCompare);
  return page;
}

/** The host's replay of a 2-D run at `from` (history and latest snapshot), then snapshots streamed up to `to`. */
async function playPlane(page, { variant = null, from = 2400, to = 3000 } = {}) {
  await page.evaluate((v) => window.__gl2.setVariant(v), variant);
  await page.evaluate((at) => { for (const m of window.__gl2.replay(at)) window.__gl2.post(m); }, from);
  await page.evaluate(async ([a, b]) => {
    for (let step = a + 50; step <= b; step += 50) {
      window.__gl2.post({ type: 'snapshot', snapshot: window.__gl2.snapshot(step) });
      await new Promise((r) => setTimeout(r, 20));
    }
  }, [from, to]);
  await settle(page);
}

/** Map cards drawn: canvases with pixels, placeholders hidden. */
const drawnMaps = (page) => page.evaluate(() => [...document.querySelectorAll('.plane .map-card:not([hidden]) canvas.map-canvas')].filter((c) => {
  if (c.width === 0 || c.height === 0) return false;
  // Read through a copy: reading the map's own canvas back would slow its later draws.
  const copy = document.createElement('canvas');
  copy.width = c.width;
  copy.height = c.height;
  const ctx = copy.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(c, 0, 0);
  const d = ctx.getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < d.length; i += 4 * 97) if (d[i] > 0) return true;
  return false;
}).length);

/** Replays 400 steps, then streams snapshots up to `to` in bursts (several per frame). */
async function playRun(page, { to = 600, banner = null } = {}) {
  await page.evaluate(() => window.__gl.post(window.__gl.replay(400)));
  if (banner) await page.evaluate((b) => window.__gl.post({ type: 'banner', ...b }), banner);
  await page.evaluate(async (last) => {
    for (let step = 402; step <= last; step += 2) {
      window.__gl.post({ type: 'snapshot', snapshot: window.__gl.snapshot(step) });
      if (step % 8 === 0) await new Promise((r) => setTimeout(r, 8));
    }
  }, to);
  await settle(page);
}

const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));

async function shoot(page, name, full = false) {
  await page.screenshot({ path: path.join(outDir, `harness-${name}.png`), fullPage: full });
}

/** A CPU profile of the page (HARNESS_PROFILE=1): started here, printed by printProfile. */
async function startProfile(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return cdp;
}

async function printProfile(cdp) {
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => { const n = byId.get(id); const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0)); });
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
}

const cspViolations = async (page) => page.evaluate(() => window.__csp);

try {
  // Both themes at the two widths the panel is used at.
  for (const themeName of want('themes') ? ['dark', 'light'] : []) {
    for (const width of [650, 1200]) {
      const name = `${themeName}-${width}`;
      const page = await open(name, themeName, width);
      await playRun(page, width === 650 && themeName === 'dark'
        ? { banner: { level: 'info', message: 'Version 5 loaded: the loss was swapped into the running training at step 300.' } }
        : {});
      await shoot(page, name);
      await shoot(page, `${name}-full`, true);
      check((await cspViolations(page)).length === 0, `${name}: no CSP violations`);
      const step = await page.locator('.stat dd').first().textContent();
      check(step === '600', `${name}: header shows the newest step (${step})`);
      const canvases = await page.locator('.uplot canvas').count();
      check(canvases === 8, `${name}: eight charts drawn (${canvases})`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      check(overflow <= 0, `${name}: no horizontal overflow (${overflow}px)`);
      if (width === 650) {
        // Hover: live legend values, crosshair shared with the densities chart.
        const plot = page.locator('#chart-critic .u-over');
        await plot.scrollIntoViewIfNeeded();
        const box = await plot.boundingBox();
        await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
        await settle(page);
        await page.locator('#chart-critic').screenshot({ path: path.join(outDir, `harness-${name}-hover-critic.png`) });
        await page.mouse.move(1, 1);
      }
      if (themeName === 'dark' && width === 1200) {
        // Theme switch at run time: charts must pick up the new colours.
        await page.evaluate((t) => window.__applyTheme(t), themes.light);
        await settle(page);
        await shoot(page, 'switch-to-light-1200');
        // Export, as the host will ask for it (proposed requestExport).
        await page.evaluate(() => { window.__sent.length = 0; window.__gl.post({ type: 'requestExport', format: 'png' }); window.__gl.post({ type: 'requestExport', format: 'svg' }); });
        // PNGs are the SVGs rasterised, asynchronously.
        await page.waitForFunction(() => window.__sent.filter((m) => m.type === 'export').length >= 16, null, { timeout: 30_000 }).catch(() => undefined);
        const exports = await page.evaluate(() => window.__sent.filter((m) => m.type === 'export'));
        check(exports.length === 16, `export: 8 PNG + 8 SVG messages (${exports.length})`);
        for (const e of exports) {
          const file = path.join(outDir, `harness-export-${e.name}.${e.format}`);
          if (e.format === 'png') fs.writeFileSync(file, Buffer.from(e.data.replace(/^data:image\/png;base64,/, ''), 'base64'));
          else fs.writeFileSync(file, e.data);
          check(/^[\w.-]{1,80}$/.test(e.name), `export name ${e.name} passes the host's check`);
        }
      }
      await page.close();
    }
  }

  // High contrast, narrow, with an error banner and a paused run.
  if (want('hc')) {
    const page = await open('hc-650', 'hc', 650);
    await playRun(page, { banner: { level: 'error', message: 'examples/non-saturating.gan.ts:14:3 — loss.generator is not a function — training continues with the last good version.' } });
    await page.evaluate(() => window.__gl.post({ type: 'runInfo', run: window.__gl.runInfo('paused') }));
    await settle(page);
    await shoot(page, 'hc-650');
    check((await cspViolations(page)).length === 0, 'hc-650: no CSP violations');
    await page.close();
  }

  // Other critic kinds: a Wasserstein critic (scale arbitrary, estimate on its own axis) and an
  // f-GAN whose exact divergence becomes infinite (shown as ∞, plotted as a gap).
  for (const variant of ['wgan', 'wgan-gp', 'neyman'].filter(want)) {
    const page = await open(variant, 'dark', 650);
    await page.evaluate((v) => window.__gl.setVariant(v), variant);
    await playRun(page, { to: 500 });
    await shoot(page, `${variant}-650-full`, true);
    const exact = await page.locator('.stat-exact dd').textContent();
    if (variant === 'neyman') check(exact === '∞', `neyman: infinite divergence shown as ∞ (${exact})`);
    if (variant === 'wgan') check(await page.locator('#chart-divergence .u-legend th', { hasText: /^gap$/ }).count() === 0, 'wgan: no gap between different scales');
    if (variant === 'wgan-gp') check(await page.locator('#chart-divergence .u-legend th', { hasText: /^gap$/ }).count() === 1, "wgan-gp: the gap on W₁'s axis");
    if (variant.startsWith('wgan')) check(await page.locator('#chart-critic .u-legend th', { hasText: /Kantorovich/ }).count() === 1, `${variant}: the optimal critic is drawn`);
    if (variant === 'wgan') check(await page.locator('#chart-divergence .u-legend th', { hasText: /previous run/ }).count() === 0, "wgan: the previous run's JSD is not drawn on the W₁ axis");
    check((await cspViolations(page)).length === 0, `${variant}: no CSP violations`);
    await page.close();
  }

  // Time travel: a click on the divergence chart asks for the fields kept nearest that step; the
  // host's answer is drawn with a bar, a line on the step charts, and "Back to live".
  if (want('timetravel')) {
    const page = await open('timetravel', 'dark', 1200);
    await playRun(page, { to: 600 });
    const over = page.locator('#chart-divergence .u-over');
    await over.scrollIntoViewIfNeeded();
    const ob = await over.boundingBox();
    await page.mouse.click(ob.x + ob.width * 0.25, ob.y + ob.height / 2);
    const asked = await page.evaluate(() => window.__sent.filter((m) => m.type === 'requestFrame').at(-1));
    check(asked && asked.step > 100 && asked.step < 200, `a click asks for the frame at its step (${JSON.stringify(asked)})`);
    await page.evaluate((step) => {
      const s = window.__gl.snapshot(step - (step % 8));
      window.__gl.post({ type: 'frame', runId: s.runId, steps: Array.from({ length: 76 }, (_, i) => i * 8), snapshot: s });
    }, asked.step);
    await settle(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot(page, 'timetravel-1200');
    const bar = await page.locator('.time-travel').textContent();
    check(/^Showing step \d+ \(the kept step nearest to \d+\)/.test(bar ?? ''), `the bar says which step is shown (${bar})`);
    await page.getByRole('button', { name: 'Branch from here' }).click();
    const branch = await page.evaluate(() => window.__sent.at(-1));
    check(branch?.type === 'branch' && branch.step === asked.step - (asked.step % 8), `Branch from here asks to branch at the shown step (${JSON.stringify(branch)})`);
    check(await page.locator('.time-travel').isHidden(), 'after branching the panel is live again');
    check((await cspViolations(page)).length === 0, 'timetravel: no CSP violations');
    await page.close();
  }

  // Half steps: after the generator's, q and G before it are drawn faint and the header says which player moved.
  if (want('substep')) {
    const page = await open('substep', 'dark', 1200);
    await playRun(page, { to: 500 });
    await page.evaluate(() => window.__gl.post({ type: 'runInfo', run: window.__gl.runInfo('paused') }));
    await page.evaluate(() => {
      const s = window.__gl.snapshot(540);
      window.__gl.post({ type: 'snapshot', snapshot: { ...s, subStep: 'generator', metrics: { ...s.metrics, step: 501 } } });
    });
    await settle(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot(page, 'substep-1200');
    const note = await page.locator('.run-substep').textContent();
    check(/second half: the generator was updated/.test(note ?? ''), `the header says the generator moved (${note})`);
    await page.close();
  }

  // A blind critic on a long run: the header's chance line, and steps written as people write them.
  if (want('chance')) {
    const page = await open('chance', 'dark', 650);
    await page.evaluate(() => window.__gl.setVariant('chance'));
    await playRun(page, { to: 500 });
    await shoot(page, 'chance-650-full', true);
    const note = await page.locator('.run-chance').textContent();
    check(/^Critic at chance \(loss ≈ log 4\): it cannot tell P from Q — the gap to the exact JSD \([\d.]+\) is the critic's blindness, not convergence\.$/.test(note ?? ''), `chance: the header says the critic is blind (${note})`);
    const step = await page.locator('.stat dd').first().textContent();
    check(step === '32,000', `chance: header step grouped (${step})`);
    check((await cspViolations(page)).length === 0, 'chance: no CSP violations');
    await page.close();
  }
  // A collapsed generator: q spikes to ~13 where p peaks at 0.4; p must stay readable.
  if (want('spikes')) {
    const page = await open('spikes', 'dark', 1200);
    await playRun(page, { to: 500 });
    await page.evaluate(() => {
      const snapshot = window.__gl.snapshot(502);
      snapshot.q = snapshot.x.map((x) => Math.exp(-0.5 * ((x - 1.8) / 0.03) ** 2) / (0.03 * Math.sqrt(2 * Math.PI)));
      window.__gl.post({ type: 'snapshot', snapshot });
    });
    await settle(page);
    await page.locator('#chart-densities').screenshot({ path: path.join(outDir, 'harness-spikes-densities.png') });
    const note = await page.locator('#chart-densities .card-note').textContent();
    check(/^q\(x\) clipped at 3× p's peak/.test(note ?? ''), `spikes: the density chart says q is clipped (${note})`);
    await page.locator('#chart-densities button', { hasText: 'Full q' }).click();
    await settle(page);
    await page.locator('#chart-densities').screenshot({ path: path.join(outDir, 'harness-spikes-densities-full.png') });
    check((await page.locator('#chart-densities .card-note').textContent()) === '', 'spikes: nothing clipped with "Full q"');
    await page.close();
  }
  // The plain run's critic is informative: no chance line.
  if (want('themes')) {
    const page = await open('no-chance', 'dark', 650);
    await page.evaluate(() => window.__gl.setVariant(null));
    await playRun(page, { to: 500 });
    const previous = await page.locator('#chart-divergence .u-legend th', { hasText: /previous run/ }).textContent();
    check(previous === 'previous run: examples/non-saturating.gan.ts v2 (exact)', `the previous JSD run is drawn, named (${previous})`);
    check((await page.locator('.run-chance').textContent()) === '', 'no chance line for an informative critic');
    await page.close();
  }

  // Empty state.
  if (want('empty')) {
    const page = await open('empty', 'light', 650, { height: 500 });
    await page.evaluate(() => window.__gl.post({ type: 'empty', message: 'No training run. Open a *.gan.ts file and run "GAN: Train GAN", or start a preset.' }));
    await settle(page);
    await shoot(page, 'empty-650');
    await page.getByRole('button', { name: 'Train GAN' }).click();
    const sent = await page.evaluate(() => window.__sent.at(-1));
    check(sent?.type === 'command' && sent.command === 'train', 'empty: Train GAN sends command train');
    await page.close();
  }

  // Controls, validation, view state and its restoration.
  if (want('controls')) {
    const page = await open('controls', 'dark', 650);
    await playRun(page, { to: 420 });
    await page.evaluate(() => window.__gl.post({ type: 'runInfo', run: window.__gl.runInfo('paused') }));
    await settle(page);
    await page.getByRole('button', { name: 'Step' }).click();
    await page.getByRole('button', { name: 'Step' }).click({ modifiers: ['Shift'] });
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('combobox').selectOption('100');
    const sent = await page.evaluate(() => window.__sent.filter((m) => m.type !== 'ready'));
    check(JSON.stringify(sent) === JSON.stringify([
      { type: 'command', command: 'step', count: 1 },
      { type: 'command', command: 'step', count: 100 },
      { type: 'command', command: 'resume' },
      { type: 'setSpeed', speed: 100 },
    ]), `controls send the right messages: ${JSON.stringify(sent)}`);

    const before = warnings.length;
    await page.evaluate(() => {
      window.__gl.post({ type: 'snapshot', snapshot: { runId: 7 } });
      window.__gl.post({ type: 'nonsense' });
      window.__gl.post('a string');
      window.__gl.post({ type: 'banner', level: 'fatal', message: 'x' });
    });
    await settle(page);
    check(warnings.length - before === 4, `4 malformed messages ignored with a warning (${warnings.length - before})`);
    await page.evaluate(() => window.__gl.post({ type: 'snapshot', snapshot: { ...window.__gl.snapshot(999), runId: 6 } }));
    await settle(page);
    check(await page.locator('.stat dd').first().textContent() === '420', 'a snapshot of another run is dropped');

    // Drag to zoom on the divergence chart: all step charts follow, the zoom is saved.
    const over = page.locator('#chart-divergence .u-over');
    await over.scrollIntoViewIfNeeded();
    const ob = await over.boundingBox();
    await page.mouse.move(ob.x + ob.width * 0.5, ob.y + ob.height / 2);
    await page.mouse.down();
    await page.mouse.move(ob.x + ob.width * 0.8, ob.y + ob.height / 2, { steps: 5 });
    await page.mouse.up();
    await settle(page);
    const zoom = await page.evaluate(() => window.__state?.stepZoom);
    check(Array.isArray(zoom) && zoom[0] > 150 && zoom[1] < 400, `drag zooms the step charts (${JSON.stringify(zoom)})`);
    await page.mouse.move(1, 1);
    await shoot(page, 'zoom-650', true);
    check(await page.locator('#chart-losses .chip', { hasText: 'Reset zoom' }).isVisible(), 'zoom shows "Reset zoom" on the other step charts');
    await over.dblclick();
    await settle(page);
    check(await page.evaluate(() => window.__state?.stepZoom) === null, 'double-click resets the zoom');

    await page.getByRole('button', { name: 'Log scale' }).click();
    await page.locator('#chart-divergence .u-legend th', { hasText: 'minibatch estimate' }).click();
    await page.mouse.move(1, 1);
    await settle(page);
    const state = await page.evaluate(() => window.__state);
    check(state?.divergenceLog === true && state.hidden?.divergence?.includes('minibatch'), `view state saved: ${JSON.stringify(state)}`);
    await shoot(page, 'log-650');
    await page.close();

    const again = await open('restored', 'dark', 650, { initialState: state });
    await playRun(again, { to: 420 });
    const pressed = await again.getByRole('button', { name: 'Log scale' }).getAttribute('aria-pressed');
    const off = await again.locator('#chart-divergence .u-legend tr.u-off').count();
    check(pressed === 'true' && off === 1, `view state restored after reload (log ${pressed}, hidden ${off})`);
    await again.close();
  }

  // Frame rate with a full history (2,000 points, the default historyLength) and 60 snapshots/s.
  if (want('perf')) {
    const page = await open('perf', 'dark', 1200);
    const cdp = process.env.HARNESS_PROFILE ? await startProfile(page) : null;
    const result = await page.evaluate(async () => {
      const gl = window.__gl;
      const r = gl.replay(4000);
      // Steps 0…4000 every 2: 2,001 points, what the host keeps by default (historyLength 2000).
      gl.post(r);
      const snaps = Array.from({ length: 60 }, (_, i) => gl.snapshot(4002 + 2 * i));
      let frames = 0;
      let worst = 0;
      let last = performance.now();
      let running = true;
      // The first half second includes building the charts from the replay; steady state after.
      const loop = (t) => { frames++; if (t - start > 500) worst = Math.max(worst, t - last); last = t; if (running) requestAnimationFrame(loop); };
      const start = performance.now();
      requestAnimationFrame(loop);
      for (let k = 0; k < 180; k++) {
        const s = snaps[k % 60];
        gl.post({ type: 'snapshot', snapshot: { ...s, metrics: { ...s.metrics, step: 4002 + 2 * k } } });
        await new Promise((res) => setTimeout(res, 1000 / 60));
      }
      running = false;
      const seconds = (performance.now() - start) / 1000;
      return { fps: frames / seconds, worstFrameMs: worst, points: r.history.step.length };
    });
    if (cdp) await printProfile(cdp);
    console.log(`perf: ${result.points} history points, 400-point grid, 60 snapshots/s → ${result.fps.toFixed(1)} frames/s, worst frame ${result.worstFrameMs.toFixed(1)} ms`);
    check(result.fps >= 30, 'perf: at least 30 frames/s while streaming');
    await page.close();
  }

  // Reduced motion still draws (at a lower rate).
  if (want('reduced')) {
    const page = await open('reduced', 'light', 650, { reducedMotion: 'reduce' });
    await playRun(page, { to: 450 });
    await page.waitForTimeout(500);
    check(await page.locator('.stat dd').first().textContent() === '450', 'reduced motion: newest snapshot drawn');
    await page.close();
  }

  // 2-D: the maps of a ring-of-8 run in the three themes, wide; a replay alone must draw them.
  for (const themeName of want('plane') ? ['dark', 'light', 'hc'] : []) {
    const name = `plane-${themeName}-1200`;
    const page = await open(name, themeName, 1200, { height: 1000 });
    await page.evaluate(() => { for (const m of window.__gl2.replay(3000)) window.__gl2.post(m); });
    await settle(page);
    check(await drawnMaps(page) === 6, `${name}: a replayed 2-D snapshot draws all six map cards (${await drawnMaps(page)})`);
    await playPlane(page, { from: 3000, to: 3400 });
    await shoot(page, name);
    await shoot(page, `${name}-full`, true);
    check((await cspViolations(page)).length === 0, `${name}: no CSP violations`);
    check(await page.locator('#chart-densities').isHidden() && await page.locator('#chart-critic').isHidden(), `${name}: the 1-D density and critic charts are hidden`);
    const stepCharts = await page.locator('#chart-divergence .uplot canvas, #chart-losses .uplot canvas, #chart-gradients .uplot canvas').count();
    check(stepCharts === 3, `${name}: divergence, losses and gradient charts drawn (${stepCharts})`);
    const modes = await page.locator('.stat-modes dd').textContent();
    check(modes === '6 / 8', `${name}: header says 6 / 8 modes (${modes})`);
    const est = await page.locator('.run-estimators').textContent();
    check(/^q: 65,536 latent quantiles .* · W₁: exact transport on a 32² lattice, computed at step 3,400, ±0\.094$/.test(est ?? ''), `${name}: header names the estimators of q and W₁ (${est})`);
    const undecided = await page.locator('.run-undecided').textContent();
    check(/^KL\(P‖Q\) and Pearson χ² undecided: p has mass 0\.\d+ where/.test(undecided ?? ''), `${name}: header says KL and χ² are undecided (${undecided})`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(overflow <= 0, `${name}: no horizontal overflow (${overflow}px)`);
    if (themeName === 'dark') {
      // Hover the data map on a dropped mode: the readout has every map's value there.
      const cursor = page.locator('#map-data canvas.map-cursor');
      const box = await cursor.boundingBox();
      const canvasW = box.width;
      // The box starts 46 px in and is square; mode 5 (k = 4) sits at (−2, 0).
      const plotW = canvasW - 46 - 14;
      await page.mouse.move(box.x + 46 + plotW * (1 / 6), box.y + 8 + plotW * 0.5);
      await settle(page);
      const readout = await page.locator('#map-data .map-readout').innerText();
      check(/x = \(−2(\.\d+)?, −?0(\.0\d*)?\)/.test(readout) && /p 0\.\d+ · q 0/.test(readout) && /D\* 1/.test(readout) && /contribution 0\.\d+/.test(readout), `hover reads p, q, D, D*, contribution (${readout.replace(/\n/g, ' | ')})`);
      await page.locator('#map-data').screenshot({ path: path.join(outDir, 'harness-plane-hover.png') });
      await page.mouse.move(1, 1);
      // Export: the step charts and every map, as the host asks for them.
      await page.evaluate(() => { window.__sent.length = 0; window.__gl.post({ type: 'requestExport', format: 'png' }); window.__gl.post({ type: 'requestExport', format: 'svg' }); });
      await settle(page);
      const exports = await page.evaluate(() => window.__sent.filter((m) => m.type === 'export'));
      const maps = exports.filter((e) => e.name.startsWith('map-'));
      check(maps.length === 12 && exports.length === 18, `export: 3 charts + 6 maps, as PNG and SVG (${exports.map((e) => `${e.name}.${e.format}`).join(', ')})`);
      for (const e of maps.filter((m) => m.format === 'png')) {
        fs.writeFileSync(path.join(outDir, `harness-export-${e.name}.png`), Buffer.from(e.data.replace(/^data:image\/png;base64,/, ''), 'base64'));
        check(/^[\w.-]{1,80}$/.test(e.name), `export name ${e.name} passes the host's check`);
      }
      // Scale options and toggles redraw without errors.
      await page.locator('#map-data select').selectOption('log');
      await page.getByRole('button', { name: 'Real' }).click();
      await settle(page);
      await page.locator('#map-data').screenshot({ path: path.join(outDir, 'harness-plane-log-real.png') });
      // A theme switch at run time redraws the maps' frames, text and hatching.
      await page.evaluate((t) => window.__applyTheme(t), themes.light);
      await settle(page);
      await shoot(page, 'plane-switch-to-light-1200');
      // Back to 1-D: the line charts return, the maps go.
      await page.evaluate(() => { window.__gl.setVariant(null); window.__gl.post(window.__gl.replay(400)); window.__gl.post({ type: 'snapshot', snapshot: window.__gl.snapshot(402) }); });
      await settle(page);
      check(await page.locator('.plane').isHidden() && await page.locator('#chart-densities').isVisible() && await page.locator('.stat-modes').isHidden(), 'a 1-D run after a 2-D one shows the line charts again');
    }
    await page.close();
  }

  // 2-D, other cases: a Wasserstein critic (no optimum, no contribution) and a singular q (on a curve).
  for (const variant of want('plane') ? ['wgan', 'singular'] : []) {
    const name = `plane-${variant}-1200`;
    const page = await open(name, 'dark', 1200, { height: 1000 });
    await playPlane(page, { variant, from: 3000, to: 3100 });
    await shoot(page, name);
    const optimal = await page.locator('#map-optimal canvas.map-canvas').getAttribute('aria-label');
    check(variant === 'wgan' ? /no pointwise optimum/.test(optimal ?? '') : /undefined off the curve/.test(optimal ?? ''), `${name}: the optimal-critic card says why it has no map (${optimal})`);
    check((await cspViolations(page)).length === 0, `${name}: no CSP violations`);
    await page.close();
  }

  // 2-D in a narrow panel: the maps stack in one column.
  if (want('plane-narrow') || want('plane')) {
    const page = await open('plane-narrow', 'dark', 500, { height: 1000 });
    await playPlane(page, { from: 3000, to: 3200 });
    await shoot(page, 'plane-narrow-500');
    await shoot(page, 'plane-narrow-500-full', true);
    const lefts = await page.evaluate(() => [...document.querySelectorAll('.plane > .card:not([hidden])')].map((c) => Math.round(c.getBoundingClientRect().left)));
    check(lefts.length === 6 && new Set(lefts).size === 1, `plane-narrow: six cards in one column (${lefts.join(', ')})`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(overflow <= 0, `plane-narrow: no horizontal overflow (${overflow}px)`);
    await page.close();
  }

  // 2-D frame rate: 30 snapshots/s on the default 128² lattice, wide panel (all maps visible).
  if (want('plane-perf') || want('plane')) {
    const page = await open('plane-perf', 'dark', 1200, { height: 1400 });
    const cdp = process.env.HARNESS_PROFILE ? await startProfile(page) : null;
    const result = await page.evaluate(async () => {
      const gl = window.__gl2;
      for (const m of gl.replay(3000)) gl.post(m);
      const snaps = Array.from({ length: 30 }, (_, i) => gl.snapshot(3010 + 10 * i));
      let frames = 0;
      let worst = 0;
      let last = performance.now();
      let running = true;
      const start = performance.now();
      const loop = (t) => { frames++; if (t - start > 500) worst = Math.max(worst, t - last); last = t; if (running) requestAnimationFrame(loop); };
      requestAnimationFrame(loop);
      for (let k = 0; k < 180; k++) {
        const s = snaps[k % 30];
        gl.post({ type: 'snapshot', snapshot: { ...s, metrics: { ...s.metrics, step: 3010 + 10 * k } } });
        await new Promise((res) => setTimeout(res, 1000 / 30));
      }
      running = false;
      const seconds = (performance.now() - start) / 1000;
      return { fps: frames / seconds, worstFrameMs: worst, seconds };
    });
    if (cdp) await printProfile(cdp);
    console.log(`plane-perf: 128² lattice, 30 snapshots/s for ${result.seconds.toFixed(1)} s → ${result.fps.toFixed(1)} frames/s, worst frame ${result.worstFrameMs.toFixed(1)} ms`);
    check(result.fps >= 30, 'plane-perf: at least 30 frames/s while streaming 2-D snapshots');
    await page.close();
  }

  // The compare panel (webview/compare): a 1-D comparison replayed mid-run, streamed, then
  // finished, in three themes; its controls, view state and checks; the 2-D maps; the empty state.
  for (const themeName of want('compare') ? ['dark', 'light', 'hc'] : []) {
    const width = themeName === 'light' ? 650 : 1200;
    const name = `compare-${themeName}-${width}`;
    const page = await open(name, themeName, width, { height: 1100, bundle: 'compare' });
    await page.evaluate(() => window.__glc.post(window.__glc.replay(false)));
    await page.evaluate(() => window.__glc.stream(2500));
    await settle(page);
    await shoot(page, `${name}-running`, true);
    if (themeName === 'dark') {
      const progress = await page.locator('#compare-table tbody tr:first-child td.progress').textContent();
      check(/^1 of 3 · seed 2 at 2,500 of 3,000$/.test(progress ?? ''), `${name}: a running definition says how far its seeds are (${progress})`);
      await page.locator('#compare-stop').click();
      check(await page.evaluate(() => window.__sent.some((m) => m.type === 'stop')), `${name}: Stop all sends stop`);
    }
    await page.evaluate(() => window.__glc.post(window.__glc.replay(true)));
    await settle(page);
    await shoot(page, name, true);
    check((await cspViolations(page)).length === 0, `${name}: no CSP violations`);
    const rows = await page.locator('#compare-table tbody tr:not(.failure)').count();
    const failure = await page.locator('#compare-table tbody tr.failure').textContent();
    check(rows === 3 && /^seed 3 failed: examples\/reverse-kl\.gan\.ts:14:3: error: critic\.hidden\[1\] must be a positive integer/.test(failure ?? ''), `${name}: one row per definition, the failed seed with its message (${rows}; ${failure})`);
    const jsd = await page.locator('#compare-table tbody tr:first-child td').nth(3).textContent();
    check(/^0\.\d+ ± 0\.\d+$/.test(jsd ?? ''), `${name}: JSD as mean ± sd (${jsd})`);
    check(await page.locator('#chart-compare-curves .uplot canvas').count() === 1 && await page.locator('#chart-compare-densities .uplot canvas').count() === 1, `${name}: the curves and the final densities are drawn`);
    check(await page.locator('#compare-maps').isHidden(), `${name}: no maps in 1-D`);
    check(await page.locator('#compare-stop').isDisabled(), `${name}: Stop all is disabled once finished`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(overflow <= 0, `${name}: no horizontal overflow (${overflow}px)`);
    if (themeName === 'dark') {
      await page.locator('#chart-compare-curves').screenshot({ path: path.join(outDir, 'harness-compare-curves.png') });
      await page.locator('#chart-compare-densities').screenshot({ path: path.join(outDir, 'harness-compare-densities.png') });
      await page.locator('#chart-compare-curves button', { hasText: 'KL(P‖Q)' }).click();
      await page.locator('#chart-compare-curves button', { hasText: 'Band' }).click();
      await settle(page);
      await page.locator('#chart-compare-curves').screenshot({ path: path.join(outDir, 'harness-compare-curves-kl-band.png') });
      const state = await page.evaluate(() => window.__state);
      check(state?.compare?.curve === 'kl' && state.compare.band === true, `${name}: the curve and the band are view state (${JSON.stringify(state?.compare)})`);
      const before = warnings.length;
      await page.evaluate(() => {
        window.__glc.post({ type: 'compare' });
        window.__glc.post({ type: 'cell', id: 1, index: 0, cell: { definition: 0, seed: 1, state: 'exploded', step: 0 } });
        window.__glc.post({ type: 'point', id: 1, index: 0, point: { step: 'x' } });
        window.__glc.post({ type: 'rows', id: 1, rows: [{ definition: 'x', seeds: [], failed: [], summary: { bogus: { mean: 1, sd: 0, n: 1 } } }] });
      });
      await settle(page);
      check(warnings.length - before === 4, `${name}: 4 malformed messages ignored with a warning (${warnings.length - before})`);
      await page.evaluate(() => window.__glc.post({ type: 'rows', id: 7, rows: [] }));
      await settle(page);
      check(await page.locator('#compare-table tbody tr:not(.failure)').count() === 3, `${name}: rows of another comparison are dropped`);
      // A mix of targets is allowed, and said: the table's note, and a p per definition on the density chart.
      await page.evaluate(() => window.__glc.post({ type: 'rows', id: 1, rows: window.__glc.rowsOf().map((r, i) => (i === 1 ? { ...r, target: 'gaussian N(0, 1)' } : r)) }));
      await settle(page);
      const note = await page.locator('#compare-table .compare-note').textContent();
      check(/^The definitions train on different targets \(mixture .*; gaussian N\(0, 1\)\): their divergences are not on one scale\.$/.test(note ?? ''), `${name}: a mix of targets is said (${note})`);
      await page.evaluate(() => window.__glc.post(window.__glc.replay(true)));
      await settle(page);
      check(await page.locator('#compare-table .compare-note').isHidden(), `${name}: one target, no note`);
      await page.close();
      const again = await open(`${name}-restored`, themeName, width, { height: 1100, bundle: 'compare', initialState: state });
      await again.evaluate(() => window.__glc.post(window.__glc.replay(true)));
      await settle(again);
      const pressed = await again.locator('#chart-compare-curves button', { hasText: 'KL(P‖Q)' }).getAttribute('aria-pressed');
      check(pressed === 'true', `${name}: the chosen curve is restored on reopen (${pressed})`);
      await again.close();
      continue;
    }
    await page.close();
  }
  if (want('compare')) {
    const page = await open('compare-plane', 'dark', 1200, { height: 1100, bundle: 'compare' });
    await page.evaluate(() => window.__glc.post(window.__glc.replay2d()));
    await settle(page);
    await shoot(page, 'compare-plane-1200', true);
    const maps = await page.locator('#compare-maps .map-card canvas.map-canvas').count();
    check(maps === 4 && await page.locator('#chart-compare-densities').isHidden(), `compare-plane: four small maps, no 1-D density chart (${maps})`);
    const modes = await page.locator('#compare-table thead th', { hasText: 'modes' }).count();
    check(modes === 1, 'compare-plane: the table has the modes column');
    check((await cspViolations(page)).length === 0, 'compare-plane: no CSP violations');
    await page.close();
    const empty = await open('compare-empty', 'light', 650, { height: 500, bundle: 'compare' });
    await empty.evaluate(() => window.__glc.post({ type: 'empty', message: 'No comparison yet.' }));
    await settle(empty);
    await shoot(empty, 'compare-empty-650');
    await empty.getByRole('button', { name: 'Compare Runs…' }).click();
    const sent = await empty.evaluate(() => window.__sent.at(-1));
    check(sent?.type === 'command' && sent.command === 'compareRuns', 'compare-empty: Compare Runs… sends command compareRuns');
    await empty.close();
  }

  // The SVG exports, rendered for a look.
  for (const name of ['divergence', 'densities']) {
    const file = path.join(outDir, `harness-export-${name}.svg`);
    if (!fs.existsSync(file)) continue;
    const page = await browser.newPage({ viewport: { width: 1200, height: 600 } });
    await page.setContent(`<body style="margin:0">${fs.readFileSync(file, 'utf8')}</body>`);
    await page.locator('svg').first().screenshot({ path: path.join(outDir, `harness-export-${name}-svg.png`) });
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

for (const w of warnings) console.log(w);
if (problems.length) {
  console.error(`\n${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`\nScreenshots in ${path.relative(process.cwd(), outDir)}/harness-*.png`);
