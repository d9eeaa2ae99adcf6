/** Figures the reliability tests produce, collected in test-results/reliability.json for docs/reliability.md. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../paths';

export const RESULTS_FILE = path.join(repoRoot, 'test-results', 'reliability.json');

/** Merges one section into the results file (each test suite writes its own section). */
export function recordResults(section: string, data: unknown): void {
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    // First section, or an unreadable file from an interrupted run: start over.
  }
  all[section] = { ...(data as object), recordedAt: new Date().toISOString(), node: process.version };
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(all, null, 2) + '\n');
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
