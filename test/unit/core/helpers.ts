/** Shared by the core tests: tolerances and the reference file. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../paths';
import type { MixtureComponent } from '../../../src/core/targets';

/** |a − b| / |b|, 0 when both are equal (including both infinite). */
export function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.abs(expected);
}

export function assertClose(actual: number, expected: number, tolerance: number, what = ''): void {
  const err = relativeError(actual, expected);
  assert.ok(err <= tolerance, `${what}: got ${actual}, expected ${expected} (relative error ${err.toExponential(2)} > ${tolerance})`);
}

export function assertNear(actual: number, expected: number, absolute: number, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= absolute, `${what}: got ${actual}, expected ${expected} ± ${absolute}`);
}

export interface ReferenceCase {
  readonly name: string;
  readonly p: MixtureComponent[];
  readonly q: MixtureComponent[];
  readonly values: Readonly<Record<string, number | 'inf'>>;
}

/** The project's reference values (a copy of shared/reference/divergences.json, computed by adaptive quadrature). */
export function referenceCases(): ReferenceCase[] {
  const file = path.join(repoRoot, 'test', 'fixtures', 'reference', 'divergences.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ReferenceCase[];
}

/** χ² values are held to 1e-4, everything else to 1e-6 (theory.md §5). */
export function referenceTolerance(key: string): number {
  return key === 'pearson' || key === 'neyman' ? 1e-4 : 1e-6;
}
