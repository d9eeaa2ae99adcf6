// The webview repeats `ready` until the host answers, so a lost first `ready` cannot leave the
// panel empty; it stops at the first answer and never repeats after one.
import assert from 'node:assert/strict';
import { READY_RETRY_FIRST_MS, READY_RETRY_MAX_MS, ReadyHandshake } from '../../../webview/handshake';

/** Timers run by hand: `advance(ms)` fires what is due, in order. */
function manualTimers() {
  let now = 0;
  let nextId = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    timers: {
      setTimeout: (fn: () => void, ms: number) => { due.set(nextId, { at: now + ms, fn }); return nextId++; },
      clearTimeout: (id: number) => { due.delete(id); },
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const next = [...due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        due.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = end;
    },
    pending: () => due.size,
  };
}

describe('ReadyHandshake (webview start-up)', () => {
  it('says ready at once, and again with growing gaps while the host does not answer', () => {
    const clock = manualTimers();
    const posted: number[] = [];
    let t = 0;
    const h = new ReadyHandshake(() => posted.push(t), clock.timers);
    h.start();
    assert.equal(h.sent, 1);
    for (let i = 0; i < 60; i++) {
      t += 500;
      clock.advance(500);
    }
    const gaps = posted.slice(1).map((at, i) => at - posted[i]!);
    assert.ok(gaps.length >= 4, `only ${posted.length} readies in 30 s`);
    assert.ok(gaps[0]! >= READY_RETRY_FIRST_MS, `the first repeat came after ${gaps[0]} ms`);
    assert.ok(gaps.every((g, i) => i === 0 || g >= gaps[i - 1]!), `gaps shrink: ${gaps.join(', ')}`);
    assert.ok(gaps.every((g) => g <= READY_RETRY_MAX_MS + 500), `a gap exceeds the maximum: ${gaps.join(', ')}`);
  });

  it('stops at the host\'s first answer (run or empty) and ignores other messages', () => {
    for (const answer of ['run', 'empty']) {
      const clock = manualTimers();
      const h = new ReadyHandshake(() => undefined, clock.timers);
      h.start();
      // Snapshots posted before the webview asked are no answer: the replay is still owed.
      h.received('snapshot');
      h.received('banner');
      clock.advance(READY_RETRY_FIRST_MS * 4);
      const before = h.sent;
      assert.ok(before >= 2, 'a snapshot stopped the handshake');
      h.received(answer);
      clock.advance(60_000);
      assert.equal(h.sent, before, `ready was repeated after the host answered with ${answer}`);
      assert.equal(clock.pending(), 0, 'a timer was left running');
    }
  });

  it('says ready only once when the host answers at once', () => {
    const clock = manualTimers();
    const h = new ReadyHandshake(() => undefined, clock.timers);
    h.start();
    h.received('run');
    clock.advance(60_000);
    assert.equal(h.sent, 1);
  });

  it('the compare panel waits for its own answers: a compare replay, not an inspector run', () => {
    const clock = manualTimers();
    const h = new ReadyHandshake(() => undefined, clock.timers, ['compare', 'empty']);
    h.start();
    h.received('run');
    h.received('point');
    clock.advance(READY_RETRY_FIRST_MS * 4);
    const before = h.sent;
    assert.ok(before >= 2, 'a message that is no compare replay stopped the handshake');
    h.received('compare');
    clock.advance(60_000);
    assert.equal(h.sent, before);
  });
});
