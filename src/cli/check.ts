/**
 * `gan-lens check`: loads, validates and dry-runs a file in a worker thread with a time limit,
 * so an endless loop in the file ends in a message instead of a hung terminal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BackendPreference, HostToWorker, Problem, WorkerToHost } from '../protocol';
import { bundledWorkerPath } from '../session/workerPath';
import { formatProblem } from './format';

export interface CheckOptions {
  readonly file: string;
  readonly backend: BackendPreference;
  readonly timeoutMs?: number;
}

/** Problems of a file (warnings only when it is valid); `undefined` problems list = timed out. */
export async function checkFile(file: string, backend: BackendPreference, timeoutMs: number): Promise<readonly Problem[]> {
  const worker = new Worker(bundledWorkerPath(), { workerData: { backend } });
  try {
    return await new Promise<readonly Problem[]>((resolve, reject) => {
      const timer = setTimeout(() => resolve([{ severity: 'error', message: `loading did not finish within ${timeoutMs / 1000} s (an endless loop in the file or its loss functions?)`, file, line: 1, column: 1 }]), timeoutMs);
      worker.on('message', (m: WorkerToHost) => {
        if (m.type === 'ready') worker.postMessage({ type: 'check', requestId: 1, source: { kind: 'file', path: file, version: 1 } } satisfies HostToWorker);
        if (m.type === 'checked') {
          clearTimeout(timer);
          resolve(m.problems);
        }
      });
      worker.on('error', (e) => {
        clearTimeout(timer);
        resolve([{ severity: 'error', message: `the loader crashed: ${e.message}`, file, line: 1, column: 1 }]);
      });
      worker.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the loader exited with code ${code}`));
      });
    });
  } finally {
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
