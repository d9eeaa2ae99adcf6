import * as path from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import type { BackendName, BackendPreference } from '../protocol';
import { firstLineOf } from '../errors';
import { findBundledFile } from '../bundledFile';
import { registerPlainMatMulGradient } from './matMulGradient';

export type Tf = typeof TfCore;

export interface LoadedBackend {
  readonly tf: Tf;
  readonly backend: BackendName;
  /** Why a preferred backend was passed over, for the run log. */
  readonly notes: readonly string[];
}

/**
 * tfjs-node brings its own copy of tfjs-core, so its backend registers there and not in the
 * bundled one: the tf namespace used for training must come from the same place as the
 * backend, hence this loader returns `tf` instead of the code importing it.
 */
function tryTensorflow(notes: string[]): Tf | undefined {
  try {
    // Resolved at run time (external to the bundle): the package is optional and native.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@tensorflow/tfjs-node') as Tf;
  } catch (e) {
    notes.push(`tfjs-node unavailable (${firstLine(e)})`);
    return undefined;
  }
}

async function tryWasm(tf: Tf, wasmDir: string, notes: string[]): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // A trailing separator makes tfjs treat it as a folder prefix, not a file name.
    wasm.setWasmPaths(wasmDir.endsWith(path.sep) ? wasmDir : wasmDir + path.sep);
    // Node's worker threads cannot host the threaded build's own workers.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    // setBackend reports failure through its result; it does not throw.
    if (await tf.setBackend('wasm')) return true;
    notes.push('wasm backend failed to initialise');
  } catch (e) {
    notes.push(`wasm backend unavailable (${firstLine(e)})`);
  }
  return false;
}

/**
 * Picks the fastest TensorFlow.js backend that works here: tfjs-node if it loads, else
 * WebAssembly, else plain JavaScript.
 *
 * @param wasmDir folder holding the tfjs-backend-wasm `.wasm` binaries (dist/ when bundled).
 */
export async function loadBackend(preference: BackendPreference, wasmDir: string): Promise<LoadedBackend> {
  const notes: string[] = [];
  if (preference === 'auto' || preference === 'tensorflow') {
    const native = tryTensorflow(notes);
    if (native && (await native.setBackend('tensorflow'))) {
      await native.ready();
      return { tf: native, backend: 'tensorflow', notes };
    }
    if (preference === 'tensorflow') notes.push('falling back from tensorflow');
  }
  const tf = await import('@tensorflow/tfjs-core');
  // tfjs-core's main entry has no gradients; the umbrella @tensorflow/tfjs package registers
  // them like this (the bundles resolve tfjs's ES modules, see esbuild.js).
  await import('@tensorflow/tfjs-core/dist/register_all_gradients');
  await import('@tensorflow/tfjs-backend-cpu');
  if (preference !== 'cpu' && (await tryWasm(tf, wasmDir, notes))) {
    await tf.ready();
    registerPlainMatMulGradient(tf);
    return { tf, backend: 'wasm', notes };
  }
  if (!(await tf.setBackend('cpu'))) throw new Error(`No TensorFlow.js backend could start: ${notes.join('; ')}`);
  await tf.ready();
  return { tf, backend: 'cpu', notes };
}

/** Folder of the wasm binaries that the build copies into dist/. */
export function defaultWasmDir(): string {
  const found = findBundledFile('tfjs-backend-wasm-simd.wasm');
  if (!found) throw new Error(`the tfjs wasm binaries are not in dist/ (looked above ${__dirname}): run npm run build`);
  return path.dirname(found);
}

function firstLine(e: unknown): string {
  return firstLineOf(e);
}
