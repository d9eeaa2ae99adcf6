import assert from 'node:assert/strict';
import { CATCH_UP_SECONDS, MIN_CAPACITY, StepPacer } from '../../../src/training/stepPacer';
import { BUSY_SHARE, SNAPSHOT_SHARE, snapshotShare } from '../../../src/training/snapshotPacing';
import { createRng } from '../../../src/core/rng';

/**
 * The run loop's use of the pacer on a simulated clock: slices of at most `sliceMs`, steps that
 * cost `stepMs`, and timers that fire at least 1 ms and up to `jitterMs` late, as Node's do.
 * Returns the steps run in `seconds`.
 */
function simulate(rate: number | null, opts: { stepMs: number; seconds: number; jitterMs: number; seed: number }): number {
  const rng = createRng(opts.seed);
  const sliceMs = 10;
  const end = opts.seconds * 1000;
  let now = 0;
  let steps = 0;
  const pacer = new StepPacer(rate, now);
  while (now < end) {
    const started = now;
    while (now < end && pacer.due(now) >= 1) {
      now += opts.stepMs;
      steps++;
      pacer.took(1);
      if (now - started > sliceMs) break;
    }
    const delay = pacer.delay(now);
    now += delay === 0 ? 0.05 : Math.max(1, delay) + rng.next() * opts.jitterMs;
  }
  return steps;
}

describe('StepPacer: the Speed control holds its rate', () => {
  for (const rate of [10, 100, 1000]) {
    it(`runs ${rate} steps/s, neither more nor (on a fast machine) fewer`, () => {
      const seconds = 10;
      const steps = simulate(rate, { stepMs: 0.2, seconds, jitterMs: 3, seed: rate });
      const capacity = Math.max(MIN_CAPACITY, rate * CATCH_UP_SECONDS);
      assert.ok(steps <= rate * seconds + capacity + 1, `${steps} steps in ${seconds} s at ${rate}/s`);
      assert.ok(steps >= rate * seconds * 0.97, `${steps} steps in ${seconds} s at ${rate}/s`);
    });
  }

  for (const rate of [10, 100]) {
    it(`holds ${rate} steps/s on a loaded machine, whose timers fire up to 60 ms late`, () => {
      const seconds = 20;
      const steps = simulate(rate, { stepMs: 0.2, seconds, jitterMs: 60, seed: 7 * rate });
      assert.ok(Math.abs(steps - rate * seconds) <= 0.03 * rate * seconds, `${steps} steps in ${seconds} s at ${rate}/s`);
    });
  }

  it('runs as fast as the steps go at Max', () => {
    const steps = simulate(null, { stepMs: 0.2, seconds: 1, jitterMs: 3, seed: 1 });
    assert.ok(steps >= 4900, `${steps} steps in 1 s of 0.2 ms steps`);
  });

  it('falls short, not into a burst, when the machine is slower than the rate', () => {
    // 2 ms steps cannot make 1000/s; after the slow stretch the rate must not overshoot.
    const pacer = new StepPacer(1000, 0);
    let now = 0;
    for (let i = 0; i < 500; i++) {
      now += 2;
      pacer.took(Math.min(1, pacer.due(now)));
    }
    assert.ok(pacer.due(now) <= 1000 * CATCH_UP_SECONDS, `${pacer.due(now)} steps due at once after the slow stretch`);
  });

  it('waits until the next step is due', () => {
    const pacer = new StepPacer(10, 0);
    assert.equal(pacer.due(0), 1, 'the first step runs at once');
    pacer.took(1);
    assert.equal(pacer.delay(0), 100);
    assert.equal(Math.round(pacer.delay(40)), 60);
    assert.equal(pacer.delay(100), 0);
  });
});

describe('snapshot share: a speed limit that leaves the worker idle draws it in more detail', () => {
  it('keeps a third at Max and for a fast limit, and gives idle time to snapshots under a slow one', () => {
    assert.equal(snapshotShare(null, 0.4), SNAPSHOT_SHARE);
    assert.equal(snapshotShare(1000, 0.4), SNAPSHOT_SHARE, 'training takes 40 %: snapshots keep their third');
    assert.ok(Math.abs(snapshotShare(200, 0.4) - (BUSY_SHARE - 0.08)) < 1e-12, 'training takes 8 %: snapshots may take the rest up to the busy share');
    assert.equal(snapshotShare(200, 0), SNAPSHOT_SHARE, 'no step timed yet');
  });
});
