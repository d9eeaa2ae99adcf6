/** metrics.csv: one writer for the CLI and the panel's export (src/metricsCsv.ts). */
import assert from 'node:assert/strict';
import { metricsCsv } from '../../../src/metricsCsv';
import { SCALAR_KEYS, type ScalarMetrics } from '../../../src/protocol';

const metrics = (step: number, v: number): ScalarMetrics => Object.fromEntries(SCALAR_KEYS.map((k) => [k, k === 'step' ? step : v])) as unknown as ScalarMetrics;

describe('metrics.csv', () => {
  it('writes the scalars, steps/s and the generator; non-finite numbers as JavaScript reads them; undefined alignments empty', () => {
    const text = metricsCsv([
      { metrics: metrics(10, 0.5), stepsPerSecond: 800, generator: [0.1, 1.2] },
      { metrics: metrics(20, Infinity), stepsPerSecond: 810, generator: [0.2, 1.1] },
      { metrics: { ...metrics(30, NaN), kl: -Infinity }, stepsPerSecond: NaN, generator: [] },
    ], 1);
    const [header, ...rows] = text.trimEnd().split('\n');
    assert.equal(header, [...SCALAR_KEYS, 'stepsPerSecond', 'generatorMean', 'generatorStd'].join(','));
    const cells = rows.map((r) => r.split(','));
    assert.ok(cells.every((r) => r.length === SCALAR_KEYS.length + 3));
    const col = (name: string): number => header!.split(',').indexOf(name);
    assert.equal(cells[1]![col('jsd')], 'Infinity');
    assert.equal(cells[1]![col('alignmentForce')], '', 'an undefined alignment is an empty cell');
    assert.equal(cells[2]![col('kl')], '-Infinity');
    assert.equal(cells[2]![col('generatorStd')], 'NaN', 'a row without the generator\'s values');
    assert.deepEqual(cells.map((r) => Number(r[col('generatorMean')])), [0.1, 0.2, NaN]);
  });

  it('names the 2-D generator columns', () => {
    assert.ok(metricsCsv([], 2).startsWith(`${SCALAR_KEYS.join(',')},stepsPerSecond,generatorMeanX,generatorMeanY,modesCovered`));
  });
});
