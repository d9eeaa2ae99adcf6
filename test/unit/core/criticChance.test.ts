/** The at-chance rule over a history's window (src/core/criticChance.ts), on histories written by hand. */
import assert from 'node:assert/strict';
import { CHANCE_RULE, chanceNote, criticAtChance, fganChance, GAN_CHANCE, HINGE_CHANCE, type ChanceHistory } from '../../../src/core/criticChance';

const LOG4 = Math.log(4);

/** Points every 50 steps from 0; `at(step)` gives [criticLoss, estimate, exact]. */
function history(last: number, at: (step: number) => [number, number, number]): ChanceHistory {
  const h = { step: [] as number[], criticLoss: [] as number[], estimate: [] as number[], analytic: [] as number[] };
  for (let s = 0; s <= last; s += 50) {
    const [l, e, a] = at(s);
    h.step.push(s);
    h.criticLoss.push(l);
    h.estimate.push(e);
    h.analytic.push(a);
  }
  return h;
}

describe('critic at chance: the rule', () => {
  it('needs a chance value and enough points', () => {
    assert.equal(criticAtChance(history(1000, () => [LOG4, 0, 0.2]), undefined), undefined);
    assert.equal(criticAtChance(history(150, () => [LOG4, 0, 0.2]), GAN_CHANCE), undefined, 'four points');
    // The first snapshot of a run has no critic loss yet: it does not count.
    assert.equal(criticAtChance(history(200, (s) => [s === 0 ? NaN : LOG4, 0, 0.2]), GAN_CHANCE), undefined);
    assert.equal(criticAtChance(history(250, (s) => [s === 0 ? NaN : LOG4, 0, 0.2]), GAN_CHANCE)?.atChance, true);
  });

  it('reads only the newest window: a critic that went blind is at chance, one that woke up is not', () => {
    const wentBlind = criticAtChance(history(3000, (s) => (s < 2000 ? [1.2, 0.09, 0.2] : [LOG4 + 0.004, -0.001, 0.2])), GAN_CHANCE);
    assert.deepEqual([wentBlind?.atChance, wentBlind?.fromStep, wentBlind?.toStep], [true, 2550, 3000]);
    assert.equal(criticAtChance(history(3000, (s) => (s < 2000 ? [LOG4, 0, 0.2] : [1.2, 0.09, 0.2])), GAN_CHANCE)?.atChance, false);
  });

  it('takes the tolerance in units of the estimate: 0.01 of loss around log 4, 0.005 of estimate', () => {
    const { tolerance } = CHANCE_RULE;
    const at = (loss: number, estimate: number) => criticAtChance(history(1000, () => [loss, estimate, 0.2]), GAN_CHANCE)?.atChance;
    assert.equal(at(LOG4 - 1.9 * tolerance, 0), true);
    assert.equal(at(LOG4 - 2.1 * tolerance, 0), false, 'the loss is below chance by more than 2·0.005');
    assert.equal(at(LOG4, 0.006), false, 'the estimate sees 0.006 nats');
    assert.equal(criticAtChance(history(1000, () => [2.009, 0, 0.2]), HINGE_CHANCE)?.atChance, true);
  });

  it('says the gap is blindness only where there is a gap', () => {
    const blind = criticAtChance(history(1000, () => [LOG4, 0, 0.17]), GAN_CHANCE);
    assert.match(chanceNote(blind, GAN_CHANCE, 'JSD', String) ?? '', /the gap to the exact JSD \(0\.17\) is the critic's blindness, not convergence\.$/);
    const close = criticAtChance(history(1000, () => [LOG4, 0, 0.002]), GAN_CHANCE);
    assert.match(chanceNote(close, GAN_CHANCE, 'JSD', String) ?? '', /and the exact JSD \(0\.002\) says they are close\.$/);
    assert.equal(chanceNote(criticAtChance(history(1000, () => [1.2, 0.09, 0.2]), GAN_CHANCE), GAN_CHANCE, 'JSD', String), undefined);
  });

  it('writes the f-GAN chance values from f(1)', () => {
    assert.deepEqual(fganChance(0), { loss: 0, label: '0', estimate: 0, lossPerUnit: 1 });
    assert.deepEqual(fganChance(-LOG4), { loss: LOG4, label: 'log 4', estimate: -LOG4, lossPerUnit: 1 });
    assert.equal(fganChance(NaN), undefined);
  });
});
