/**
 * Resolves a DefinitionSource (a file or a preset) to a validated definition that has survived
 * a dry run: one training step on a tiny batch, so a throwing or NaN-producing loss is caught
 * before it touches the live run.
 */
import * as fs from 'node:fs';
import { loadDefinition } from '../definition/loader';
import { findFieldPosition } from '../definition/fieldPosition';
import { PRESETS, presetNames } from '../definition/presets';
import { lintDefinition } from '../definition/mathLint';
import type { GanDefinition } from '../definition/types';
import type { DefinitionSource, Problem } from '../protocol';
import type { Tf } from './backend';
import { describeThrown } from '../errors';
import { engineNamed } from './createEngine';
import { NonFiniteError, type TrainingEngine } from './engine';

export type ResolvedDefinition =
  | { readonly ok: true; readonly definition: GanDefinition; readonly warnings: readonly Problem[]; readonly locate: (error: unknown) => Problem }
  | { readonly ok: false; readonly problems: readonly Problem[] };

const DRY_RUN_BATCH = 8;

function dryRun(tf: Tf, definition: GanDefinition, locate: (e: unknown) => Problem, text: string, file?: string): Problem | undefined {
  let trainer: TrainingEngine | undefined;
  try {
    // On tfjs, which runs every loss, whichever engine the run takes.
    trainer = engineNamed(tf, { ...definition, batchSize: DRY_RUN_BATCH, criticSteps: 1 }, 'tfjs');
    trainer.trainStep();
    // Three data points in the target's dimension, row-major.
    const x = Float32Array.from({ length: 3 * definition.dataDim }, (_, i) => Math.floor(i / definition.dataDim) - 1);
    if (!Number.isFinite(trainer.estimateAt(x, x))) throw new NonFiniteError(1, 'the estimate');
    trainer.loss.plotCritic(trainer.criticAt(x));
    return undefined;
  } catch (e) {
    if (e instanceof NonFiniteError) {
      const at = findFieldPosition(text, 'loss');
      return { severity: 'error', message: `dry run: ${e.what} is NaN or infinite on a small batch`, ...(file ? { file } : {}), ...(at ?? {}) };
    }
    const p = locate(e);
    return { ...p, message: `dry run: ${p.message}` };
  } finally {
    trainer?.dispose();
  }
}

export async function resolveDefinition(tf: Tf, source: DefinitionSource, loadTimeoutMs?: number): Promise<ResolvedDefinition> {
  if (source.kind === 'preset') {
    const preset = PRESETS[source.name];
    if (!preset) return { ok: false, problems: [{ severity: 'error', message: `unknown preset '${source.name}' (known: ${presetNames().join(', ')})` }] };
    return { ok: true, definition: preset.build(), warnings: [], locate: (e) => ({ severity: 'error', message: describeThrown(e) }) };
  }
  let text = source.text;
  if (text === undefined) {
    try {
      text = fs.readFileSync(source.path, 'utf8');
    } catch (e) {
      return { ok: false, problems: [{ severity: 'error', message: `cannot read ${source.path}: ${describeThrown(e)}`, file: source.path }] };
    }
  }
  const loaded = await loadDefinition(source.path, text, loadTimeoutMs);
  if (!loaded.ok) return loaded;
  const problem = dryRun(tf, loaded.definition, loaded.locate, text, source.path);
  if (problem) return { ok: false, problems: [problem] };
  return { ok: true, definition: loaded.definition, warnings: lintDefinition(tf, loaded.definition, text, source.path), locate: loaded.locate };
}
