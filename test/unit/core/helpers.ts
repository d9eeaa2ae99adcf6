/** Shared by the core tests: tolerances and the reference file. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../paths';
import type { MixedPart, MixtureComponent } from '../../../src/core/targets';

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

function readReference<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'reference', name), 'utf8')) as T;
}

/** The project's reference values (a copy of shared/reference/divergences.json, computed by adaptive quadrature). */
export function referenceCases(): ReferenceCase[] {
  return readReference('divergences.json');
}

export interface UniformReferenceCase extends Omit<ReferenceCase, 'p' | 'q'> {
  readonly p: MixedPart[];
  readonly q: MixedPart[];
}

/** Targets with uniform parts, by scipy quadrature split at the edges (make_uniform_divergences.py beside the file). */
export function uniformReferenceCases(): UniformReferenceCase[] {
  return readReference('uniform-divergences.json');
}

/** One value against the reference: "inf" exactly, values that are zero up to rounding (GAN of disjoint supports) to 1e-12 absolute, the rest relative. */
export function assertReference(actual: number, expected: number | 'inf', tolerance: number, what: string): void {
  if (expected === 'inf') assert.equal(actual, Infinity, `${what} should be infinite`);
  else if (Math.abs(expected) < 1e-12) assertNear(actual, expected, 1e-12, what);
  else assertClose(actual, expected, tolerance, what);
}

/** χ² values are held to 1e-4, everything else to 1e-6 (theory.md §5). */
export function referenceTolerance(key: string): number {
  return key === 'pearson' || key === 'neyman' ? 1e-4 : 1e-6;
}
