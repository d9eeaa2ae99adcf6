// Bundles the extension host, the training worker, the webview, the CLI and the compiled
// extension tests into dist/, and the TypeScript server plugin into node_modules/ (where VS Code
// looks for it). Type checking is separate (`npm run typecheck`).
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = !production;

const dist = path.join(__dirname, 'dist');

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
const tsPlugin = path.join(__dirname, 'node_modules', 'gan-lens-typescript-plugin');

const builds = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: dist },
  { ...node, entryPoints: { index: 'src/tsPlugin/index.ts' }, outdir: tsPlugin },
  { ...node, entryPoints: { worker: 'src/training/worker.ts' }, outdir: dist },
  { ...node, entryPoints: { cli: 'src/cli/cli.ts' }, outdir: dist, banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
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
 * from npm (no system toolchain). No runtime: the kernel allocates nothing. Two builds: one
 * with relaxed SIMD (fused multiply-add) and one without, for runtimes that lack it.
 */
async function compileKernels() {
  const { main: asc } = await import('assemblyscript/asc');
  for (const [file, features] of [['fused-kernel.wasm', ['simd']], ['fused-kernel-fma.wasm', ['simd', 'relaxed-simd']]]) {
    const { error, stderr } = await asc([
      'src/training/fused/assembly/index.ts',
      '--outFile', path.join(dist, file),
      '-O3', ...features.flatMap((f) => ['--enable', f]), '--runtime', 'stub', '--noAssert',
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

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
