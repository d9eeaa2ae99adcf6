/** Shared set-up for training tests: one backend per process, as the worker has. */
import { defaultWasmDir, loadBackend, type LoadedBackend } from '../../../src/training/backend';

let backend: Promise<LoadedBackend> | undefined;

/** The backend the worker would pick here (tfjs-node if installed, else wasm). */
export function testBackend(): Promise<LoadedBackend> {
  backend ??= loadBackend('auto', defaultWasmDir());
  return backend;
}
