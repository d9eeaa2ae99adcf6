import type { ResourceLimits } from 'node:worker_threads';
import { findBundledFile } from '../bundledFile';

/** dist/worker.js, the training worker's bundle. */
export function bundledWorkerPath(): string {
  const found = findBundledFile('worker.js');
  if (!found) throw new Error(`the training worker is not built (no worker.js above ${__dirname}): run npm run build`);
  return found;
}

/**
 * Heap limits for training and check workers. Without them a loss file that allocates without
 * end grows the worker's heap to V8's default limit (several GB, taken from the whole process's
 * memory) before the worker dies; with them it dies at 1 GB with ERR_WORKER_OUT_OF_MEMORY and the
 * host carries on. Training itself keeps its tensors outside the JS heap (wasm memory, typed
 * arrays), so 1 GB is far above what a run needs.
 */
export const WORKER_RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 1024 };
