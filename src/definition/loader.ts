/**
 * Loads a loss definition file: bundles it and its relative imports with esbuild in memory,
 * evaluates it with `gan-lens` resolved to our own runtime, and validates the default export.
 * Every failure becomes a Problem positioned in the person's file (through the source map),
 * never an exception.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { SourceMap } from 'node:module';
import { types } from 'node:util';
import type { BuildFailure, Message } from 'esbuild';
import { findBundledFile } from '../bundledFile';
import type { Problem } from '../protocol';
import * as api from './api';
import type { GanDefinition } from './types';
import { describeThrown, stackOf } from '../errors';
import { DefinitionError, validateDefinition } from './validate';
import { findFieldPosition, type Position } from './fieldPosition';

export interface LoadedDefinition {
  readonly ok: true;
  readonly definition: GanDefinition;
  /** Maps a stack trace of code from this file back to the file. */
  readonly locate: (error: unknown) => Problem;
  readonly text: string;
}

export type LoadResult = LoadedDefinition | { readonly ok: false; readonly problems: readonly Problem[] };

export const DEFINITION_FILE = /\.gan\.(ts|js|mjs)$/;
const BUNDLE_NAME = '__gan_lens_bundle.js';
const RUNTIME_MODULE = 'gan-lens';
const TIMEOUT_CODE = 'ERR_SCRIPT_EXECUTION_TIMEOUT';
/** A problem's message goes to an editor diagnostic and across threads: a file that throws a
 *  100,000-character message must not turn into a 100,000-character diagnostic. */
const MAX_MESSAGE = 500;
/** Where a problem goes when nothing better is known: the file itself, not nowhere. */
const FILE_START: Position = { line: 1, column: 1 };

let loads = 0;

function clip(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
}

/** esbuild reports files relative to the bundle's working folder, the definition's own. */
function esbuildProblem(m: Message, severity: Problem['severity'], dir: string, file: string): Problem {
  return {
    severity,
    message: clip(m.text),
    ...(m.location ? { file: path.resolve(dir, m.location.file), line: m.location.line, column: m.location.column + 1 } : { file, ...FILE_START }),
  };
}

/**
 * esbuild's JavaScript API, resolved at run time (it drives a native binary and stays outside
 * our bundles). A packaged extension is built per platform (`npm run package`) and carries its
 * platform's binary in dist/esbuild/<platform>-<arch>/; a checkout uses node_modules'.
 */
function esbuildApi(): typeof import('esbuild') {
  const binary = findBundledFile(path.join('esbuild', `${process.platform}-${process.arch}`, process.platform === 'win32' ? 'esbuild.exe' : 'esbuild'));
  if (binary && !process.env['ESBUILD_BINARY_PATH']) {
    makeExecutable(binary);
    // Read by esbuild when it is first required, below; a worker thread's env is its own.
    process.env['ESBUILD_BINARY_PATH'] = binary;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('esbuild') as typeof import('esbuild');
}

/** A .vsix is a zip: an installer that drops the executable bit must not stop every load. */
function makeExecutable(file: string): void {
  if (process.platform === 'win32') return;
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    try {
      fs.chmodSync(file, 0o755);
    } catch {
      // Read-only install: esbuild's own error says what failed.
    }
  }
}

/**
 * Refuses every import but 'gan-lens' and relative files while bundling, at the import's line:
 * the bundler drops an unused side-effect import of a Node built-in (`import 'node:fs'`), so
 * sandboxRequire alone would never see it and the file would load as if it had been allowed.
 */
const onlyOwnImports: import('esbuild').Plugin = {
  name: 'gan-lens-imports',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.path === RUNTIME_MODULE || args.path.startsWith('.') || path.isAbsolute(args.path)) return undefined;
      return { errors: [{ text: importRefusal(args.path) }] };
    });
  },
};

const importRefusal = (id: string): string => `'${id}' cannot be imported in a loss definition file: use 'gan-lens' and relative imports`;

async function bundle(file: string, text: string): Promise<{ code: string; map: string } | { problems: Problem[] }> {
  const esbuild = esbuildApi();
  const dir = path.dirname(file);
  const ext = path.extname(file).slice(1);
  try {
    const result = await esbuild.build({
      stdin: { contents: text, sourcefile: path.basename(file), resolveDir: dir, loader: ext === 'ts' ? 'ts' : 'js' },
      absWorkingDir: dir,
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: [RUNTIME_MODULE],
      plugins: [onlyOwnImports],
      sourcemap: 'external',
      outfile: path.join(dir, BUNDLE_NAME),
      logLevel: 'silent',
    });
    const code = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
    const map = result.outputFiles.find((f) => f.path.endsWith('.map'))?.text ?? '{}';
    return { code, map };
  } catch (e) {
    const failure = e as Partial<BuildFailure>;
    if (Array.isArray(failure.errors)) {
      return {
        problems: [
          ...failure.errors.map((m) => esbuildProblem(m, 'error', dir, file)),
          ...(failure.warnings ?? []).map((m) => esbuildProblem(m, 'warning', dir, file)),
        ],
      };
    }
    return { problems: [{ severity: 'error', message: clip(`could not bundle: ${describeThrown(e)}`), file, ...FILE_START }] };
  }
}

/**
 * Positions in the generated bundle → positions in the person's sources. The innermost frame
 * that maps into their sources wins; a value thrown without a usable stack (a string, `null`,
 * an error raised inside tfjs from what a loss returned) goes to `fallback`. Never throws, so a
 * hostile thrown value cannot turn a problem report into a crash.
 */
function createLocator(file: string, bundleName: string, mapText: string, fallback: Position): (error: unknown) => Problem {
  const map = new SourceMap(JSON.parse(mapText) as ConstructorParameters<typeof SourceMap>[0]);
  const dir = path.dirname(file);
  const frames = new RegExp(`${escapeRegExp(bundleName)}:(\\d+):(\\d+)`, 'g');
  return (error) => {
    const message = clip(describeThrown(error));
    for (const frame of stackOf(error).matchAll(frames)) {
      const entry = map.findEntry(Number(frame[1]) - 1, Number(frame[2]) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
      if (entry.originalSource !== undefined && entry.originalLine !== undefined) {
        const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : path.resolve(dir, entry.originalSource);
        return { severity: 'error', message, file: source, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
      }
    }
    return { severity: 'error', message, file, ...fallback };
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The `require` a definition file sees: our runtime, nothing from the host. */
function sandboxRequire(id: string): unknown {
  if (id === RUNTIME_MODULE) return api;
  throw new Error(importRefusal(id));
}

/** The value a definition file exports: its default export, else whatever module.exports is. */
function exportOf(module: { exports: unknown }): unknown {
  const exports = module.exports;
  if ((typeof exports === 'object' && exports !== null) || typeof exports === 'function') {
    if (Object.prototype.hasOwnProperty.call(exports, 'default')) return (exports as Record<string, unknown>)['default'];
    // An ES module without a default export (`export const gan = defineGan(…)`).
    if ((exports as Record<string, unknown>)['__esModule'] === true) throw new DefinitionError('', 'the file must default-export its definition: export default defineGan({ ... })');
  }
  return exports;
}

const BOUNDED_SLOT = '__ganLensBounded';
const boundedCall = new vm.Script(`globalThis.${BOUNDED_SLOT}()`, { filename: 'gan-lens-validation' });

/**
 * Runs `fn` under the vm timeout. Validating the export reads the person's objects — getters,
 * Proxy traps — and that code must be bounded like their top level: the vm's watchdog stops
 * whatever JavaScript runs on this thread, ours included, when the time is up.
 */
function bounded<T>(fn: () => T, timeoutMs: number): T {
  const scope = globalThis as unknown as Record<string, unknown>;
  let result: { value: T } | undefined;
  scope[BOUNDED_SLOT] = () => { result = { value: fn() }; };
  try {
    boundedCall.runInThisContext({ timeout: timeoutMs });
  } finally {
    delete scope[BOUNDED_SLOT];
  }
  return result!.value;
}

function isTimeout(e: unknown): boolean {
  try {
    return types.isNativeError(e) && (e as { code?: unknown }).code === TIMEOUT_CODE;
  } catch {
    return false;
  }
}

function isDefinitionError(e: unknown): e is DefinitionError {
  try {
    return e instanceof DefinitionError;
  } catch {
    // A Proxy whose getPrototypeOf trap throws is not one of ours.
    return false;
  }
}

/**
 * @param timeoutMs bound on the file's top-level code, and separately on reading and validating
 *   what it exports (an endless loop in either ends in an error).
 */
export async function loadDefinition(file: string, text: string, timeoutMs = 2000): Promise<LoadResult> {
  const bundled = await bundle(file, text);
  if ('problems' in bundled) return { ok: false, problems: bundled.problems };
  // A distinct name per load keeps stack frames of older versions apart.
  const bundleName = `${path.basename(file)}.${Date.now().toString(36)}${(loads++).toString(36)}.${BUNDLE_NAME}`;
  // Load-time errors without a usable frame go to the top of the file; errors later (the dry run,
  // training) can only come from the loss, so they go to its field.
  const locateAtLoad = createLocator(file, bundleName, bundled.map, FILE_START);
  const locate = createLocator(file, bundleName, bundled.map, findFieldPosition(text, 'loss') ?? FILE_START);
  const module = { exports: {} as unknown };
  const slot = '__ganLensLoad';
  const scope = globalThis as unknown as Record<string, unknown>;
  let stage: 'top level' | 'validation' = 'top level';
  try {
    scope[slot] = { module, require: sandboxRequire };
    const script = new vm.Script(
      `(function (exports, require, module) {${bundled.code}\n})(globalThis.${slot}.module.exports, globalThis.${slot}.require, globalThis.${slot}.module);`,
      { filename: bundleName },
    );
    try {
      script.runInThisContext({ timeout: timeoutMs });
    } finally {
      delete scope[slot];
    }
    stage = 'validation';
    const definition = bounded(() => validateDefinition(exportOf(module)), timeoutMs);
    return { ok: true, definition, locate, text };
  } catch (e) {
    if (isDefinitionError(e)) return { ok: false, problems: [fieldProblem(e, file, text, locateAtLoad)] };
    const problem = locateAtLoad(e);
    if (!isTimeout(e)) return { ok: false, problems: [problem] };
    const message = stage === 'top level'
      ? `the file's top-level code did not finish within ${timeoutMs} ms (an endless loop?)`
      : `reading the exported definition did not finish within ${timeoutMs} ms (an endless loop in a getter or Proxy?)`;
    return { ok: false, problems: [{ ...problem, message }] };
  }
}

/** A validation error points at the field it names when the field can be found in the text. */
function fieldProblem(e: DefinitionError, file: string, text: string, locate: (error: unknown) => Problem): Problem {
  const at = findFieldPosition(text, e.field);
  if (at) return { severity: 'error', message: clip(e.message), file, line: at.line, column: at.column };
  // Not written as a field (built in a variable, or no field at all): where defineGan was called.
  return locate(e);
}
