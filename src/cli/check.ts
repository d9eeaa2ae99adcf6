/**
 * `gan-lens check`: loads, validates and dry-runs a file in a worker thread with a time limit,
 * so an endless loop in the file ends in a message instead of a hung terminal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BackendPreference, HostToWorker, Problem, WorkerToHost } from '../protocol';
import { WORKER_RESOURCE_LIMITS, bundledWorkerPath } from '../session/workerPath';
import { formatProblem } from './format';
import { describeThrown } from '../errors';

export interface CheckOptions {
  readonly file: string;
  readonly backend: BackendPreference;
  readonly timeoutMs?: number;
}

/** Starting the worker (loading a TensorFlow.js backend) is not the file's time. */
const STARTUP_LIMIT_MS = 60_000;


/**
 * Problems of a file (warnings only when it is valid). Never throws and always settles: a file
 * that hangs, exits the thread or crashes it comes back as an error at the top of the file.
 * `timeoutMs` counts from the moment the file is handed to the started worker.
 */
export async function checkFile(file: string, backend: BackendPreference, timeoutMs: number): Promise<readonly Problem[]> {
  const at = { file, line: 1, column: 1 };
  // Limits on the worker's heap: a file that allocates without end kills its worker, not the
  // process (V8 would otherwise grow the heap to its process-wide limit first).
  const worker = new Worker(bundledWorkerPath(), { workerData: { backend }, resourceLimits: WORKER_RESOURCE_LIMITS });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<readonly Problem[]>((resolve) => {
      const fail = (message: string): void => resolve([{ severity: 'error', message, ...at }]);
      timer = setTimeout(() => fail(`the training worker did not start within ${STARTUP_LIMIT_MS / 1000} s`), STARTUP_LIMIT_MS);
      worker.on('message', (m: WorkerToHost) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          timer = setTimeout(() => fail(`loading did not finish within ${timeoutMs / 1000} s (an endless loop in the file or its loss functions?)`), timeoutMs);
          worker.postMessage({ type: 'check', requestId: 1, source: { kind: 'file', path: file, version: 1 } } satisfies HostToWorker);
        }
        if (m.type === 'checked') resolve(m.problems);
      });
      worker.on('error', (e) => fail(`the loader crashed: ${describeThrown(e)}`));
      // A file can end the thread itself (process.exit in a worker ends the worker): that is a
      // problem of the file, not a reason for the check to throw.
      worker.on('exit', (code) => fail(`the loader exited with code ${code} before finishing (process.exit in the file?)`));
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

export async function runCheckCommand(opts: CheckOptions): Promise<number> {
  const file = path.resolve(opts.file);
  if (!fs.existsSync(file)) {
    console.error(`gan-lens check: no such file: ${opts.file}`);
    return 2;
  }
  const problems = await checkFile(file, opts.backend, opts.timeoutMs ?? 15_000);
  for (const p of problems) console.log(formatProblem(p, file));
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (errors > 0) return 1;
  const warnings = problems.length;
  console.log(`${path.relative(process.cwd(), file)}: ok${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}`);
  return 0;
}
