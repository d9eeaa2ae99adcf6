/**
 * metrics.csv, one writer for `gan-lens train --out` and the panel's Export Run: one row per
 * recorded step, the scalar metrics, steps/s and the generator's columns (mean and standard
 * deviation in 1-D; the mean's coordinates and the modes covered in 2-D). Non-finite numbers
 * are written as JavaScript and Python read them back (NaN, Infinity, -Infinity); an undefined
 * alignment is an empty cell, since NaN there would read as a failed computation.
 */
import { ALIGNMENT_KEYS, SCALAR_KEYS, type ScalarMetrics, type Snapshot } from './protocol';

/** What a row holds beyond the scalar metrics. */
export interface RowExtras {
  readonly stepsPerSecond: number;
  /** In the order of generatorColumns(dataDim). */
  readonly generator: readonly number[];
}

export interface MetricsRow extends RowExtras {
  readonly metrics: ScalarMetrics;
}

export function generatorColumns(dataDim: number): readonly { readonly name: string; readonly value: (s: Snapshot) => number }[] {
  if (dataDim === 1) return [{ name: 'generatorMean', value: (s) => s.generatorMean }, { name: 'generatorStd', value: (s) => s.generatorStd }];
  return [
    { name: 'generatorMeanX', value: (s) => s.plane?.generatorMean[0] ?? NaN },
    { name: 'generatorMeanY', value: (s) => s.plane?.generatorMean[1] ?? NaN },
    { name: 'modesCovered', value: (s) => s.plane?.modes?.covered ?? NaN },
  ];
}

export function rowExtras(s: Snapshot): RowExtras {
  return { stepsPerSecond: s.stepsPerSecond, generator: generatorColumns(s.dataDim).map((c) => c.value(s)) };
}

/** What metrics.csv keeps of a snapshot: its scalars and the generator's columns, not its grids. */
export function metricsRow(s: Snapshot): MetricsRow {
  return { metrics: s.metrics, ...rowExtras(s) };
}

const ALIGNMENT = new Set<string>(ALIGNMENT_KEYS);

export function metricsCsv(rows: readonly MetricsRow[], dataDim: number): string {
  const generator = generatorColumns(dataDim);
  const lines = [[...SCALAR_KEYS, 'stepsPerSecond', ...generator.map((c) => c.name)].join(',')];
  for (const r of rows) {
    const scalars = SCALAR_KEYS.map((k) => (ALIGNMENT.has(k) && !Number.isFinite(r.metrics[k]) ? '' : String(r.metrics[k])));
    // A row without the generator's values (a history restored from an older window) has NaN there.
    lines.push([...scalars, String(r.stepsPerSecond), ...generator.map((_, i) => String(r.generator[i] ?? NaN))].join(','));
  }
  return lines.join('\n') + '\n';
}
