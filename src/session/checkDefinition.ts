/**
 * Loads, validates and dry-runs a definition in a worker thread of its own, with a time limit,
 * without training: `gan-lens check`, and the check a comparison makes of each definition before
 * it trains anything (its dimension, and errors that would fail every seed alike).
 */
import { Worker } from 'node:worker_threads';
import type { DataDim } from '../core/dataTarget';
import { describeThrown } from '../errors';
import type { BackendPreference, DefinitionSource, HostToWorker, Problem, WorkerToHost } from '../protocol';
import { WORKER_RESOURCE_LIMITS } from './workerPath';

/** Starting the worker (loading a TensorFlow.js backend) is not the file's time. */
const STARTUP_LIMIT_MS = 60_000;

export interface CheckResult {
  /** Warnings only when the definition is valid. */
  readonly problems: readonly Problem[];
  /** The definition's dimension, when it loaded. */
  readonly dataDim?: DataDim;
}

/**
 * Never throws and always settles: a file that hangs, exits the thread or crashes it comes back
 * as an error at the top of the file. `timeoutMs` counts from the moment the definition is
 * handed to the started worker.
 */
export async function checkDefinition(source: DefinitionSource, workerPath: string, backend: BackendPreference, timeoutMs: number, signal?: AbortSignal): Promise<CheckResult> {
  const at = source.kind === 'file' ? { file: source.path, line: 1, column: 1 } : {};
  // Limits on the worker's heap: a file that allocates without end kills its worker, not the
  // process (V8 would otherwise grow the heap to its process-wide limit first).
  const worker = new Worker(workerPath, { workerData: { backend }, resourceLimits: WORKER_RESOURCE_LIMITS });
  let timer: NodeJS.Timeout | undefined;
  let stop: (() => void) | undefined;
  try {
    return await new Promise<CheckResult>((resolve) => {
      const fail = (message: string): void => resolve({ problems: [{ severity: 'error', message, ...at }] });
      timer = setTimeout(() => fail(`the training worker did not start within ${STARTUP_LIMIT_MS / 1000} s`), STARTUP_LIMIT_MS);
      worker.on('message', (m: WorkerToHost) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          timer = setTimeout(() => fail(`loading did not finish within ${timeoutMs / 1000} s (an endless loop in the file or its loss functions?)`), timeoutMs);
          worker.postMessage({ type: 'check', requestId: 1, source } satisfies HostToWorker);
        }
        if (m.type === 'checked') resolve({ problems: m.problems, ...(m.dataDim !== undefined ? { dataDim: m.dataDim } : {}) });
      });
      worker.on('error', (e) => fail(`the loader crashed: ${describeThrown(e)}`));
      // A file can end the thread itself (process.exit in a worker ends the worker): that is a
      // problem of the file, not a reason for the check to throw.
      worker.on('exit', (code) => fail(`the loader exited with code ${code} before finishing (process.exit in the file?)`));
      stop = () => fail(String(signal?.reason ?? 'stopped'));
      if (signal?.aborted) stop();
      else signal?.addEventListener('abort', stop, { once: true });
    });
  } finally {
    clearTimeout(timer);
    if (stop) signal?.removeEventListener('abort', stop);
    await worker.terminate();
  }
}
