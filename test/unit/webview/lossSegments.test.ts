/** After a loss swap, only the current quantity is drawn on its axis (webview/charts/lossSegments.ts). */
import assert from 'node:assert/strict';
import { likeColumns } from '../../../webview/charts/lossSegments';
import { SCALAR_KEYS, type ReloadMarker } from '../../../src/protocol';

/** Steps 0, 100, …, 500; JSD 0.5, W₁ 3 at every step; the analytic column holds JSD until the swap at 300, W₁ after. */
function history(): { [k: string]: number[] } {
  const steps = [0, 100, 200, 300, 400, 500];
  const h: { [k: string]: number[] } = Object.fromEntries(SCALAR_KEYS.map((k) => [k, steps.map(() => 0)]));
  h['step'] = steps;
  h['jsd'] = steps.map(() => 0.5);
  h['wasserstein1'] = steps.map(() => 3);
  h['analytic'] = steps.map((s) => (s < 300 ? 0.5 : 3));
  h['estimate'] = steps.map((s) => (s < 300 ? 0.4 : 2.5));
  h['minibatchEstimate'] = h['estimate'].slice();
  h['effective'] = steps.map((s) => (s < 300 ? -0.2 : 3));
  return h;
}

const swap: ReloadMarker[] = [
  { step: 0, version: 1, restarted: false, divergence: 'jsd', objective: 'KL(Q‖P) − 2·JSD(P‖Q)' },
  { step: 300, version: 2, restarted: false, divergence: 'wasserstein1', objective: 'W₁(P, Q)' },
];

describe('divergence chart after a loss swap', () => {
  it('draws the exact W₁ from the start (from the wasserstein1 column) but the JSD run\'s estimate and objective not at all', () => {
    const like = likeColumns(history() as never, swap, { divergence: 'wasserstein1', effectiveObjective: 'W₁(P, Q)' });
    assert.deepEqual(like.analytic, [3, 3, 3, 3, 3, 3]);
    assert.deepEqual(like.estimate.map((v) => (Number.isNaN(v) ? null : v)), [null, null, null, 2.5, 2.5, 2.5]);
    assert.deepEqual(like.effective.map((v) => (Number.isNaN(v) ? null : v)), [null, null, null, 3, 3, 3]);
    assert.deepEqual(like.other, { until: 200, divergence: 'jsd', exactKept: true });
  });

  it('leaves a gap in the exact curve where no column holds the current divergence', () => {
    const markers: ReloadMarker[] = [{ ...swap[0]! }, { ...swap[1]!, divergence: 'pearson', objective: 'χ²' }];
    const like = likeColumns(history() as never, markers, { divergence: 'pearson', effectiveObjective: 'χ²' });
    assert.deepEqual(like.analytic.map((v) => (Number.isNaN(v) ? null : v)), [null, null, null, 3, 3, 3]);
    assert.equal(like.other?.exactKept, false);
  });

  it('changes nothing when every version estimated the same divergence, or markers do not say', () => {
    const h = history();
    const same = likeColumns(h as never, [swap[0]!, { ...swap[1]!, divergence: 'jsd', objective: swap[0]!.objective! }], { divergence: 'jsd', effectiveObjective: swap[0]!.objective! });
    assert.equal(same.other, null);
    assert.equal(same.analytic, h['analytic']);
    const unsaid = likeColumns(h as never, [{ step: 300, version: 2, restarted: false }], { divergence: 'wasserstein1', effectiveObjective: 'W₁(P, Q)' });
    assert.equal(unsaid.estimate, h['estimate']);
  });
});
