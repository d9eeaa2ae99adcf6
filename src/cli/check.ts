/**
 * `gan-lens check`: loads, validates and dry-runs a file in a worker thread with a time limit,
 * so an endless loop in the file ends in a message instead of a hung terminal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BackendPreference, Problem } from '../protocol';
import { checkDefinition } from '../session/checkDefinition';
import { bundledWorkerPath } from '../session/workerPath';
import { formatProblem } from '../session/problemLine';

export interface CheckOptions {
  readonly file: string;
  readonly backend: BackendPreference;
  readonly timeoutMs?: number;
}

/** Problems of a file (warnings only when it is valid); never throws (session/checkDefinition.ts). */
export async function checkFile(file: string, backend: BackendPreference, timeoutMs: number): Promise<readonly Problem[]> {
  return (await checkDefinition({ kind: 'file', path: file, version: 1 }, bundledWorkerPath(), backend, timeoutMs)).problems;
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
