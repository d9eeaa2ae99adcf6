import assert from 'node:assert/strict';
import { HistoryBuffer } from '../../../src/session/history';
import { SCALAR_KEYS, type ScalarMetrics } from '../../../src/protocol';

function point(step: number): ScalarMetrics {
  const p = Object.fromEntries(SCALAR_KEYS.map((k) => [k, step])) as unknown as ScalarMetrics;
  return p;
}

describe('HistoryBuffer', () => {
  it('keeps every point until it is full', () => {
    const h = new HistoryBuffer(100);
    for (let i = 1; i <= 99; i++) h.add(point(i));
    assert.equal(h.length, 99);
    assert.deepEqual(h.snapshot().step.slice(0, 3), [1, 2, 3]);
  });

  it('stays within its capacity over a million points and keeps the whole range', () => {
    const h = new HistoryBuffer(1000);
    for (let i = 1; i <= 1_000_000; i++) h.add(point(i));
    const steps = h.snapshot().step;
    assert.ok(steps.length <= 1000 && steps.length >= 500, `length ${steps.length}`);
    assert.equal(steps[0], 1);
    assert.ok(steps[steps.length - 1]! > 990_000, `last ${steps[steps.length - 1]}`);
    // Evenly spaced: the curve's shape is kept, not only its recent end.
    const gaps = new Set(steps.slice(1).map((s, i) => s - steps[i]!));
    assert.equal(gaps.size, 1);
  });

  it('returns copies that the caller may keep', () => {
    const h = new HistoryBuffer(10);
    h.add(point(1));
    const copy = h.snapshot();
    h.add(point(2));
    assert.equal(copy.step.length, 1);
  });

  it('clears points, stride and markers for a restarted run', () => {
    const h = new HistoryBuffer(8);
    for (let i = 0; i < 100; i++) h.add(point(i));
    h.addMarker({ step: 50, version: 2, restarted: false });
    h.clear();
    assert.equal(h.length, 0);
    assert.deepEqual(h.markers(), []);
    for (let i = 0; i < 5; i++) h.add(point(i));
    assert.deepEqual(h.snapshot().step, [0, 1, 2, 3, 4], 'every point kept again: the stride is back to 1');
  });
});
