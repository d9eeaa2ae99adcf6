/**
 * Loads a loss definition file: bundles it and its relative imports with esbuild in memory,
 * evaluates it with `gan-lens` resolved to our own runtime, and validates the default export.
 * Every failure becomes a Problem positioned in the person's file (through the source map),
 * never an exception.
 */
import * as path from 'node:path';
import * as vm from 'node:vm';
import { SourceMap } from 'node:module';
import type { BuildFailure, Message } from 'esbuild';
import type { Problem } from '../protocol';
import * as api from './api';
import type { GanDefinition } from './types';
import { DefinitionError, validateDefinition } from './validate';
import { findFieldPosition } from './fieldPosition';

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

/** esbuild reports files relative to the bundle's working folder, the definition's own. */
function esbuildProblem(m: Message, severity: Problem['severity'], dir: string): Problem {
  return {
    severity,
    message: m.text,
    ...(m.location ? { file: path.resolve(dir, m.location.file), line: m.location.line, column: m.location.column + 1 } : {}),
  };
}

async function bundle(file: string, text: string): Promise<{ code: string; map: string } | { problems: Problem[] }> {
  // Resolved at run time: esbuild ships a native binary and stays outside our bundles.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
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
          ...failure.errors.map((m) => esbuildProblem(m, 'error', dir)),
          ...(failure.warnings ?? []).map((m) => esbuildProblem(m, 'warning', dir)),
        ],
      };
    }
    return { problems: [{ severity: 'error', message: `could not bundle: ${String(e)}`, file }] };
  }
}

/** Positions in the generated bundle → positions in the person's sources. */
function createLocator(file: string, bundleName: string, mapText: string): (error: unknown) => Problem {
  const map = new SourceMap(JSON.parse(mapText) as ConstructorParameters<typeof SourceMap>[0]);
  const dir = path.dirname(file);
  return (error) => {
    const message = error instanceof Error ? error.message : `threw ${String(error)}`;
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    const frame = new RegExp(`${escapeRegExp(bundleName)}:(\\d+):(\\d+)`).exec(stack);
    if (frame) {
      const entry = map.findEntry(Number(frame[1]) - 1, Number(frame[2]) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
      if (entry.originalSource !== undefined && entry.originalLine !== undefined) {
        const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : path.resolve(dir, entry.originalSource);
        return { severity: 'error', message, file: source, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
      }
    }
    return { severity: 'error', message, file };
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The `require` a definition file sees: our runtime, nothing from the host. */
function sandboxRequire(id: string): unknown {
  if (id === RUNTIME_MODULE) return api;
  throw new Error(`'${id}' cannot be imported in a loss definition file: use 'gan-lens' and relative imports`);
}

/**
 * @param timeoutMs bound on the file's top-level code (an endless loop there ends in an error).
 */
export async function loadDefinition(file: string, text: string, timeoutMs = 2000): Promise<LoadResult> {
  const bundled = await bundle(file, text);
  if ('problems' in bundled) return { ok: false, problems: bundled.problems };
  // A distinct name per load keeps stack frames of older versions apart.
  const bundleName = `${path.basename(file)}.${Date.now().toString(36)}.${BUNDLE_NAME}`;
  const locate = createLocator(file, bundleName, bundled.map);
  const module = { exports: {} as Record<string, unknown> };
  const slot = '__ganLensLoad';
  const scope = globalThis as unknown as Record<string, unknown>;
  let exported: unknown;
  try {
    scope[slot] = { module, require: sandboxRequire };
    const script = new vm.Script(
      `(function (exports, require, module) {${bundled.code}\n})(globalThis.${slot}.module.exports, globalThis.${slot}.require, globalThis.${slot}.module);`,
      { filename: bundleName },
    );
    script.runInThisContext({ timeout: timeoutMs });
    exported = module.exports['default'] ?? module.exports;
  } catch (e) {
    if (e instanceof DefinitionError) return { ok: false, problems: [fieldProblem(e, file, text, locate)] };
    const timedOut = e instanceof Error && /timed out/.test(e.message);
    const problem = locate(e);
    return { ok: false, problems: [timedOut ? { ...problem, message: `the file's top-level code did not finish within ${timeoutMs} ms (an endless loop?)` } : problem] };
  } finally {
    delete scope[slot];
  }
  try {
    return { ok: true, definition: validateDefinition(exported), locate, text };
  } catch (e) {
    if (e instanceof DefinitionError) return { ok: false, problems: [fieldProblem(e, file, text, locate)] };
    return { ok: false, problems: [locate(e)] };
  }
}

/** A validation error points at the field it names when the field can be found in the text. */
function fieldProblem(e: DefinitionError, file: string, text: string, locate: (error: unknown) => Problem): Problem {
  const at = findFieldPosition(text, e.field);
  if (at) return { severity: 'error', message: e.message, file, line: at.line, column: at.column };
  const located = locate(e);
  return located.line !== undefined ? located : { severity: 'error', message: e.message, file, line: 1, column: 1 };
}
