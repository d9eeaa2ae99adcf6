// Bundles the extension host, the training worker, the webview, the CLI and the compiled
// extension tests into dist/, and the TypeScript server plugin into node_modules/ (where VS Code
// looks for it). Type checking is separate (`npm run typecheck`).
// `--package <target>… | all | current` builds one .vsix per VS Code platform target instead
// (see packageVsix below). `--outdir <dir>` builds elsewhere than dist/.
const esbuild = require('esbuild');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const argValue = (flag) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const packaging = process.argv.includes('--package');
const production = process.argv.includes('--production') || packaging;
const watch = process.argv.includes('--watch');
const withTests = !production;

const dist = path.resolve(argValue('--outdir') ?? path.join(__dirname, 'dist'));

/** tfjs-node is optional and native: it must be resolved at run time, never bundled. */
const nodeExternals = ['vscode', '@tensorflow/tfjs-node', 'esbuild'];

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: nodeExternals,
  // tfjs packages ship a CommonJS bundle (main) and ES modules (module); the gradients exist only
  // as ES modules, so resolve those first to get one copy of tfjs-core with its gradients.
  mainFields: ['module', 'main'],
};

/** Every *.test.ts below a folder, recursively. */
function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(dir, f));
}

/**
 * VS Code starts tsserver with the extension's folder as a plugin probe location, and tsserver
 * requires a contributed plugin by package name from <probe>/node_modules/<name>.
 */
// Beside dist/: tsserver probes <extension>/node_modules (also when building into a package's stage).
const tsPlugin = path.join(dist, '..', 'node_modules', 'gan-lens-typescript-plugin');

const builds = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: dist },
  { ...node, entryPoints: { index: 'src/tsPlugin/index.ts' }, outdir: tsPlugin },
  { ...node, entryPoints: { worker: 'src/training/worker.ts', snapshotThread: 'src/training/snapshotThread.ts' }, outdir: dist },
  { ...node, entryPoints: { productWorker: 'src/training/fused/productWorker.ts' }, outdir: dist },
  { ...node, entryPoints: { cli: 'src/cli/cli.ts' }, outdir: dist, banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    // The inspector and the compare panel: two pages, each with its own script and stylesheet.
    entryPoints: { webview: 'webview/main.ts', compare: 'webview/compare/main.ts' },
    outdir: dist,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
];

if (withTests) {
  // Unit tests are bundled like the worker, so they exercise the same module graph.
  builds.push({
    ...node,
    entryPoints: testFiles('test/unit'),
    outbase: 'test/unit',
    outdir: path.join(dist, 'test', 'unit'),
    external: [...nodeExternals, 'mocha', 'typescript'],
  });
  const extensionTests = fs.existsSync('test/extension') ? fs.readdirSync('test/extension').filter((f) => f.endsWith('.ts')) : [];
  if (extensionTests.length > 0) {
    builds.push({
      ...node,
      entryPoints: extensionTests.map((f) => `test/extension/${f}`),
      outdir: path.join(dist, 'test', 'extension'),
      external: [...nodeExternals, 'mocha', '@vscode/test-electron', 'glob'],
    });
  }
}

/** The wasm backend fetches its binaries next to the bundle at run time. */
function copyWasmBinaries() {
  const from = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  fs.mkdirSync(dist, { recursive: true });
  for (const file of fs.readdirSync(path.join(from, 'dist'))) {
    if (file.endsWith('.wasm')) fs.copyFileSync(path.join(from, 'dist', file), path.join(dist, file));
  }
}

/**
 * The fused training kernel: AssemblyScript compiled to WebAssembly with SIMD, by the compiler
 * from npm (no system toolchain). No runtime: the kernel allocates nothing. Four builds: with
 * relaxed SIMD (fused multiply-add) or without, for runtimes that lack it; and each with a
 * shared memory it imports (up to 4 GiB, the most wasm32 addresses), which a second thread runs
 * the same products on (src/training/fused/parallelProducts.ts), or with its own memory.
 */
async function compileKernels() {
  const { main: asc } = await import('assemblyscript/asc');
  const shared = ['--enable', 'threads', '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536'];
  for (const [file, features, memory] of [
    ['fused-kernel.wasm', ['simd'], []], ['fused-kernel-fma.wasm', ['simd', 'relaxed-simd'], []],
    ['fused-kernel-shared.wasm', ['simd'], shared], ['fused-kernel-shared-fma.wasm', ['simd', 'relaxed-simd'], shared],
  ]) {
    const { error, stderr } = await asc([
      'src/training/fused/assembly/index.ts',
      '--outFile', path.join(dist, file),
      '-O3', ...features.flatMap((f) => ['--enable', f]), ...memory, '--runtime', 'stub', '--noAssert',
    ]);
    if (error) throw new Error(`the fused kernel did not compile:\n${stderr.toString()}`);
  }
}

function writeTsPluginManifest() {
  fs.mkdirSync(tsPlugin, { recursive: true });
  const manifest = { name: 'gan-lens-typescript-plugin', version: require('./package.json').version, private: true, main: 'index.js' };
  fs.writeFileSync(path.join(tsPlugin, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
}

async function main() {
  copyWasmBinaries();
  writeTsPluginManifest();
  await compileKernels();
  const contexts = await Promise.all(builds.filter((b) => entryExists(b.entryPoints)).map((b) => esbuild.context(b)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
}

function entryExists(entryPoints) {
  const files = Array.isArray(entryPoints) ? entryPoints : Object.values(entryPoints);
  return files.length > 0 && files.every((f) => fs.existsSync(f));
}

/**
 * VS Code platform targets and the esbuild package whose binary each needs. The loss-file
 * loader runs esbuild's native binary (1–5 ms a reload; esbuild-wasm measured 60–100 ms, and
 * 1.5 s for its first build in each worker), so each target gets a .vsix of its own
 * (`vsce package --target`), carrying only its binary. Alpine's musl runs esbuild's static
 * Linux binaries. The directory name is Node's `${process.platform}-${process.arch}`.
 */
const TARGETS = {
  'linux-x64': 'linux-x64', 'linux-arm64': 'linux-arm64', 'linux-armhf': 'linux-arm',
  'alpine-x64': 'linux-x64', 'alpine-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-x64', 'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64', 'win32-arm64': 'win32-arm64',
};

function currentTarget() {
  const esbuildName = `${process.platform}-${process.arch}`;
  const musl = process.platform === 'linux' && !process.report?.getReport?.().header?.glibcVersionRuntime;
  const found = Object.entries(TARGETS).find(([target, name]) => name === esbuildName && target.startsWith(musl ? 'alpine' : process.platform));
  if (!found) throw new Error(`no VS Code target for ${esbuildName}`);
  return found[0];
}

/** The binary of `@esbuild/<name>` at the version we build with, from the npm registry (cached). */
function esbuildBinary(name) {
  const version = require('esbuild/package.json').version;
  const cache = path.join(__dirname, '.cache', 'esbuild-binaries', `${name}-${version}`);
  const file = path.join(cache, 'package', name.startsWith('win32') ? 'esbuild.exe' : path.join('bin', 'esbuild'));
  if (!fs.existsSync(file)) {
    fs.mkdirSync(cache, { recursive: true });
    const tarball = execFileSync('npm', ['pack', `@esbuild/${name}@${version}`, '--silent', '--pack-destination', cache], { encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['-xzf', path.join(cache, tarball), '-C', cache]);
  }
  return file;
}

/**
 * Builds gan-lens-<target>.vsix for each target in a staging folder (so dist/ keeps its
 * development build): the production bundles and the TypeScript server plugin, what
 * .vscodeignore lets through, esbuild's JS API, and the target's esbuild binary.
 */
async function packageVsix(targets) {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8'));
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-package-'));
  try {
    const copy = (rel) => fs.existsSync(path.join(__dirname, rel)) && fs.cpSync(path.join(__dirname, rel), path.join(stage, rel), { recursive: true, dereference: true });
    for (const rel of ['package.json', '.vscodeignore', 'README.md', 'LICENSE', 'media', 'examples', 'docs', 'node_modules/esbuild']) copy(rel);
    // Built just below (with the TypeScript plugin); vsce would otherwise run the prepublish build again inside the stage.
    delete manifest.scripts['vscode:prepublish'];
    fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
    execFileSync(process.execPath, [__filename, '--production', '--outdir', path.join(stage, 'dist')], { stdio: 'inherit' });
    const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
    for (const target of targets) {
      const name = TARGETS[target];
      if (!name) throw new Error(`unknown target ${target}; known: ${Object.keys(TARGETS).join(', ')}`);
      const binDir = path.join(stage, 'dist', 'esbuild');
      fs.rmSync(binDir, { recursive: true, force: true });
      const binary = esbuildBinary(name);
      fs.mkdirSync(path.join(binDir, name), { recursive: true });
      fs.copyFileSync(binary, path.join(binDir, name, path.basename(binary)));
      fs.chmodSync(path.join(binDir, name, path.basename(binary)), 0o755);
      const out = path.join(__dirname, `gan-lens-${target}.vsix`);
      execFileSync(process.execPath, [vsce, 'package', '--target', target, '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out], { cwd: stage, stdio: ['ignore', 'ignore', 'inherit'] });
      console.log(`${path.basename(out)}: ${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MB`);
    }
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

function packageTargets() {
  const list = process.argv.slice(process.argv.indexOf('--package') + 1).filter((a) => !a.startsWith('--'));
  if (list.length === 0 || list.includes('all')) return Object.keys(TARGETS);
  return list.map((t) => (t === 'current' ? currentTarget() : t));
}

(packaging ? packageVsix(packageTargets()) : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
