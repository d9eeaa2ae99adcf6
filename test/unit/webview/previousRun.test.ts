/** The previous-run overlay: only the same divergence, labelled, and not setting the y range. */
import assert from 'node:assert/strict';
import { SCALAR_KEYS, previousSourceOf, type RunInfo, type ScalarMetrics } from '../../../src/protocol';
import { previousLabel, withinCurrentRange } from '../../../webview/charts/previousRun';
import { RunHistory } from '../../../webview/history';

function point(step: number, analytic: number): ScalarMetrics {
  return { ...(Object.fromEntries(SCALAR_KEYS.map((k) => [k, 0])) as unknown as ScalarMetrics), step, analytic };
}

function run(file: string, version: number, divergence: string): RunInfo {
  return {
    runId: 1, title: file, file: `examples/${file}`, version, state: 'running',
    summary: { divergence, target: 'mixture of 2 Gaussians' } as RunInfo['summary'] & object,
  };
}

describe('previous run overlay', () => {
  const bimodal = 'mixture of 2 Gaussians';
  const wgan = { divergence: 'wasserstein1', target: bimodal, label: 'examples/wgan-gp.gan.ts v1' };

  it('overlays only a run of the same divergence on the same target, named by its file and version', () => {
    assert.equal(previousLabel({ divergence: 'wasserstein1', target: bimodal }, wgan), 'previous run: examples/wgan-gp.gan.ts v1 (exact)');
    assert.equal(previousLabel({ divergence: 'jsd', target: bimodal }, wgan), null, 'W₁ is not drawn on a JSD axis');
    assert.equal(previousLabel({ divergence: 'wasserstein1', target: 'ring of 8 Gaussians' }, wgan), null, 'a run on another target is not comparable');
    assert.equal(previousLabel({ divergence: 'jsd', target: bimodal }, null), null, 'an unknown previous run is not drawn');
    assert.equal(previousLabel(undefined, wgan), null);
  });

  it("leaves out the previous run's points above the current range", () => {
    const prev = [14, 0.5, 0.3, null, undefined];
    assert.deepEqual(withinCurrentRange(prev, [[0.6, 0.4], [0.2, null]]), [null, 0.5, 0.3, null, undefined]);
    assert.deepEqual(withinCurrentRange(prev, [[null]]), prev, 'with no current values there is no range to keep to');
  });

  it('names the source of a run from its info', () => {
    assert.deepEqual(previousSourceOf(run('wgan-gp.gan.ts', 3, 'wasserstein1')), { divergence: 'wasserstein1', target: 'mixture of 2 Gaussians', label: 'examples/wgan-gp.gan.ts v3' });
    assert.equal(previousSourceOf(undefined), undefined);
  });

  it('keeps the source a restarted run began with, not the one that follows', () => {
    const h = new RunHistory();
    h.setSource(previousSourceOf(run('a.gan.ts', 1, 'wasserstein1')));
    h.reset();
    for (let s = 1; s <= 3; s++) h.append(point(s, 10 + s));
    // The host names the new version before its first steps arrive.
    h.setSource(previousSourceOf(run('a.gan.ts', 2, 'jsd')));
    h.append(point(1, 0.6));
    assert.deepEqual(h.previousFrom, { divergence: 'wasserstein1', target: 'mixture of 2 Gaussians', label: 'examples/a.gan.ts v1' });
    assert.deepEqual(h.previous?.analytic, [11, 12, 13]);
    h.append(point(1, 0.5));
    h.append(point(0, 0.7));
    assert.deepEqual(h.previousFrom, { divergence: 'jsd', target: 'mixture of 2 Gaussians', label: 'examples/a.gan.ts v2' });
  });

  it('takes the previous run and its source from a replay', () => {
    const h = new RunHistory();
    const prev = Object.fromEntries(SCALAR_KEYS.map((k) => [k, [1, 2]])) as never;
    h.reset(undefined, [], prev, wgan);
    assert.deepEqual(h.previousFrom, wgan);
    h.reset(undefined, [], undefined, wgan);
    assert.equal(h.previousFrom, null, 'no previous run, no source');
  });
});
