/**
 * Figures the reliability tests produce, one file per section in test-results/reliability/
 * (mocha may run the files in parallel processes), for docs/reliability.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../paths';

export const RESULTS_DIR = path.join(repoRoot, 'test-results', 'reliability');

export function recordResults(section: string, data: unknown): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const record = { ...(data as object), recordedAt: new Date().toISOString(), node: process.version };
  fs.writeFileSync(path.join(RESULTS_DIR, `${section}.json`), JSON.stringify(record, null, 2) + '\n');
}

export function mb(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}

/** Full GC when node runs with --expose-gc (mocha: --node-option expose-gc), else undefined. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}
