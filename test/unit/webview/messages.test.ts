/** The panel's checks of what the host posts (webview/messages.ts), for the critic's chance value. */
import assert from 'node:assert/strict';
import { encodeNonFinite, emptyHistory, type DefinitionSummary } from '../../../src/protocol';
import { parseHostMessage } from '../../../webview/messages';

const summary: DefinitionSummary = {
  lossName: 'non-saturating GAN', estimating: 'JSD', divergence: 'jsd', effectiveObjective: 'KL(Q‖P) − 2·JSD', criticOutput: 'discriminator',
  target: 'bimodal', dataDim: 1, generator: 'MLP', critic: 'MLP', structureKey: 's', lossKey: 'l',
};
/** A 'run' message as the host sends it: through JSON, with non-finite numbers encoded. */
const runMessage = (s: unknown): unknown => JSON.parse(JSON.stringify(encodeNonFinite({
  type: 'run', run: { runId: 1, title: 't', version: 1, state: 'running', summary: s }, history: emptyHistory(), markers: [],
})));

describe('webview messages: the critic chance value', () => {
  const warn = console.warn;
  // The parser logs what it drops; the assertions say what was dropped.
  before(() => { console.warn = () => undefined; });
  after(() => { console.warn = warn; });

  it('passes a summary without one or with a well-formed one', () => {
    assert.ok(parseHostMessage(runMessage(summary)));
    const m = parseHostMessage(runMessage({ ...summary, chance: { loss: Math.log(4), label: 'log 4', estimate: 0, lossPerUnit: 2 } }));
    assert.equal(m?.type === 'run' ? m.run.summary?.chance?.label : undefined, 'log 4');
  });

  it('drops a message whose chance value is malformed', () => {
    for (const chance of [null, 1, { loss: 'x', label: 'a', estimate: 0, lossPerUnit: 1 }, { loss: Infinity, label: 'a', estimate: 0, lossPerUnit: 1 },
      { loss: 0, label: 3, estimate: 0, lossPerUnit: 1 }, { loss: 0, label: '0', estimate: 0, lossPerUnit: 0 }, { loss: 0, label: '0', estimate: NaN, lossPerUnit: 1 }]) {
      assert.equal(parseHostMessage(runMessage({ ...summary, chance })), undefined, JSON.stringify(chance));
    }
  });
});
