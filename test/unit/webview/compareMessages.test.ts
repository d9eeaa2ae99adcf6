/**
 * The compare panel's checks of what the host posts (webview/compare/messages.ts), what the host
 * accepts from the panel (parseCompareMessage), and the panel's model of the comparison: stale
 * and out-of-range messages are dropped, replays do not duplicate points.
 */
import assert from 'node:assert/strict';
import { parseCompareMessage, type CellFinal, type HostToCompare } from '../../../src/compareProtocol';
import { encodeNonFinite } from '../../../src/protocol';
import { parseCompareHostMessage } from '../../../webview/compare/messages';
import { CompareModel } from '../../../webview/compare/model';

const KEYS = ['step', 'analytic', 'jsd', 'kl', 'reverseKl', 'wasserstein1'] as const;
const curves = (steps: number[]): Record<(typeof KEYS)[number], number[]> => Object.fromEntries(KEYS.map((k) => [k, steps.map((s) => (k === 'step' ? s : 0.5 - s / 1000))])) as Record<(typeof KEYS)[number], number[]>;
const final1d: CellFinal = { dataDim: 1, x: Float32Array.of(-1, 0, 1), p: Float32Array.of(0.1, 0.4, 0.1), q: Float32Array.of(0.2, 0.3, 0.2) };
const row = {
  definition: 'a.gan.ts', loss: 'non-saturating GAN', target: 't', divergenceName: 'JSD',
  seeds: [{ seed: 1, divergence: 0.1, jsd: 0.1, kl: Infinity, reverse_kl: 0.2, wasserstein1: 0.3, generator: { mean: 0, std: 1 }, stepsPerSecond: 900, weightsChecksum: '0123456789abcdef' }],
  failed: [{ seed: 2, error: 'a.gan.ts:3:1: error: bad' }],
  summary: { jsd: { mean: 0.1, sd: 0, n: 1 }, kl: { mean: Infinity, sd: NaN, n: 1 } },
};

/** A 'compare' replay of 2 definitions × 1 seed, as the host sends it: through JSON with non-finite numbers encoded (typed arrays travel beside). */
function replay(change: (m: Record<string, unknown>) => void = () => undefined): unknown {
  const m: Record<string, unknown> = {
    type: 'compare',
    compare: { id: 3, kind: 'runs', title: 't', steps: 100, seeds: [1], state: 'running', dataDim: 1, definitions: ['a.gan.ts', 'preset minimax'] },
    cells: [{ definition: 0, seed: 1, state: 'finished', step: 100 }, { definition: 1, seed: 1, state: 'running', step: 40 }],
    curves: [curves([0, 50, 100]), curves([0, 40])],
    finals: [final1d, null],
    rows: [row],
  };
  change(m);
  return encodeNonFinite(m);
}

describe('compare panel messages', () => {
  const warn = console.warn;
  before(() => { console.warn = () => undefined; });
  after(() => { console.warn = warn; });

  it('accepts a replay as the host sends it, infinities included', () => {
    const m = parseCompareHostMessage(replay());
    assert.equal(m?.type, 'compare');
    assert.equal(m?.type === 'compare' ? m.rows[0]!.seeds[0]!.kl : undefined, Infinity);
  });

  it('drops malformed replays', () => {
    const broken: ((m: Record<string, unknown>) => void)[] = [
      (m) => { m['compare'] = { ...(m['compare'] as object), kind: 'sweep' }; },
      (m) => { m['compare'] = { ...(m['compare'] as object), state: 'exploded' }; },
      (m) => { m['compare'] = { ...(m['compare'] as object), steps: 0 }; },
      (m) => { m['compare'] = { ...(m['compare'] as object), dataDim: 3 }; },
      (m) => { m['cells'] = [{ definition: 2, seed: 1, state: 'running', step: 0 }, { definition: 1, seed: 1, state: 'running', step: 0 }]; },
      (m) => { m['curves'] = [curves([0])]; },
      (m) => { m['curves'] = [{ ...curves([0, 1]), jsd: [0] }, curves([0])]; },
      (m) => { m['finals'] = [{ ...final1d, q: Float32Array.of(1) }, null]; },
      (m) => { m['finals'] = [{ dataDim: 2, x: { lo: 0, hi: 1, count: 2 }, y: { lo: 0, hi: 1, count: 2 }, p: new Float32Array(4), q: new Float32Array(3) }, null]; },
      (m) => { m['rows'] = [{ ...row, summary: { median: { mean: 1, sd: 0, n: 1 } } }]; },
      (m) => { m['rows'] = [{ ...row, seeds: [{ ...row.seeds[0], weightsChecksum: 7 }] }]; },
      (m) => { m['rows'] = [{ ...row, failed: [{ seed: 2 }] }]; },
    ];
    for (const [i, change] of broken.entries()) assert.equal(parseCompareHostMessage(replay(change)), undefined, `case ${i}`);
  });

  it('checks the streamed messages', () => {
    const point = { step: 60, analytic: 0.3, jsd: 0.3, kl: Infinity, reverseKl: 0.2, wasserstein1: 0.1 };
    assert.ok(parseCompareHostMessage(encodeNonFinite({ type: 'point', id: 3, index: 1, point })));
    assert.equal(parseCompareHostMessage({ type: 'point', id: 3, index: -1, point }), undefined);
    assert.equal(parseCompareHostMessage({ type: 'point', id: 3, index: 1, point: { ...point, jsd: 'x' } }), undefined);
    assert.ok(parseCompareHostMessage({ type: 'cell', id: 3, index: 1, cell: { definition: 1, seed: 1, state: 'failed', step: 3, error: 'why' } }));
    assert.equal(parseCompareHostMessage({ type: 'cell', id: 3, index: 1, cell: { definition: 1, seed: 1, state: 'failed', step: 3, error: 4 } }), undefined);
    assert.ok(parseCompareHostMessage({ type: 'state', id: 3, state: 'refused', message: 'a is 2-D but b is 1-D' }));
    assert.equal(parseCompareHostMessage({ type: 'state', id: 3, state: 'paused' }), undefined);
    assert.ok(parseCompareHostMessage({ type: 'final', id: 3, index: 0, final: final1d }));
    assert.equal(parseCompareHostMessage({ type: 'rows', id: 3, rows: 'none' }), undefined);
    assert.equal(parseCompareHostMessage({ type: 'requestExport', format: 'png' }), undefined);
    assert.equal(parseCompareHostMessage('compare'), undefined);
  });

  it('the host accepts only the panel\'s own messages', () => {
    assert.deepEqual(parseCompareMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseCompareMessage({ type: 'stop', extra: 1 }), { type: 'stop' });
    assert.deepEqual(parseCompareMessage({ type: 'command', command: 'compareFganFits' }), { type: 'command', command: 'compareFganFits' });
    for (const bad of [null, [], 'stop', { type: 'command', command: 'train' }, { type: 'command' }, { type: 'export', format: 'png', name: 'x', data: '' }]) {
      assert.equal(parseCompareMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('compare panel model', () => {
  const apply = (model: CompareModel, raw: unknown) => model.apply(parseCompareHostMessage(raw) as HostToCompare);

  it('keeps a replay, appends streamed points in order, drops stale and out-of-range messages', () => {
    const model = new CompareModel();
    assert.deepEqual(apply(model, replay()), { all: true });
    assert.equal(model.cells.length, 2);
    assert.deepEqual(model.cellsOf(1).map((c) => c.curves.step), [[0, 40]]);
    const point = (step: number) => ({ type: 'point', id: 3, index: 1, point: { step, analytic: 0.3, jsd: 0.3, kl: 1, reverseKl: 0.2, wasserstein1: 0.1 } });
    assert.ok(apply(model, point(60))?.curves);
    // The same point again (after a replay) and one from before it: not appended.
    assert.deepEqual(apply(model, point(60)), {});
    apply(model, point(50));
    assert.deepEqual(model.cells[1]!.curves.step, [0, 40, 60]);
    assert.equal(model.cells[1]!.info.step, 60);
    assert.equal(apply(model, { ...point(70), id: 2 }), null, 'a message of another comparison');
    assert.equal(apply(model, { ...point(70), index: 5 }), null, 'a cell that does not exist');
    assert.equal(apply(model, { type: 'cell', id: 3, index: 1, cell: { definition: 0, seed: 1, state: 'finished', step: 100 } }), null, 'a cell of another definition');
    assert.equal(apply(model, { type: 'final', id: 3, index: 1, final: { dataDim: 2, x: { lo: 0, hi: 1, count: 2 }, y: { lo: 0, hi: 1, count: 2 }, p: new Float32Array(4), q: new Float32Array(4) } }), null, 'a 2-D final in a 1-D comparison');
    assert.ok(apply(model, { type: 'final', id: 3, index: 1, final: final1d })?.finals);
    assert.ok(apply(model, { type: 'state', id: 3, state: 'stopped', message: 'Stopped.' })?.header);
    assert.equal(model.info?.state, 'stopped');
    assert.equal(model.info?.message, 'Stopped.');
    apply(model, { type: 'state', id: 3, state: 'finished' });
    assert.equal(model.info?.message, undefined, 'a state without a message clears the old one');
    apply(model, { type: 'empty', message: 'No comparison yet.' });
    assert.equal(model.info, null);
    assert.equal(model.empty, 'No comparison yet.');
  });
});
