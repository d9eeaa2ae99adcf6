// disposeAll and Disposable release every child even when some throw (vscode is a type-only
// import there, so this runs in plain Node).
import assert from 'node:assert/strict';
import { Disposable, disposeAll } from '../../../src/extension/dispose';

const throwing = (message: string, log: string[]) => ({ dispose: () => { log.push(message); throw new Error(message); } });
const quiet = (name: string, log: string[]) => ({ dispose: () => { log.push(name); } });

class Owner extends Disposable {
  own<T extends { dispose(): void }>(d: T): T {
    return this.register(d);
  }
}

describe('disposeAll', () => {
  it('disposes every item after one throws, and rethrows that error', () => {
    const log: string[] = [];
    assert.throws(() => disposeAll([quiet('a', log), throwing('b', log), quiet('c', log)]), /^Error: b$/);
    assert.deepEqual(log, ['a', 'b', 'c']);
  });

  it('collects several errors into an AggregateError', () => {
    const log: string[] = [];
    assert.throws(() => disposeAll([throwing('x', log), quiet('y', log), throwing('z', log)]), (e: unknown) =>
      e instanceof AggregateError && e.errors.map((x: Error) => x.message).join() === 'x,z');
    assert.deepEqual(log, ['x', 'y', 'z']);
  });
});

describe('Disposable', () => {
  it('releases its children latest first, all of them even when one throws, once', () => {
    const log: string[] = [];
    const owner = new Owner();
    owner.own(quiet('first', log));
    owner.own(throwing('middle', log));
    owner.own(quiet('last', log));
    assert.throws(() => owner.dispose(), /middle/);
    assert.deepEqual(log, ['last', 'middle', 'first']);
    owner.dispose();
    assert.equal(log.length, 3, 'a second dispose disposed again');
  });

  it('disposes at once what is registered after it was disposed', () => {
    const log: string[] = [];
    const owner = new Owner();
    owner.dispose();
    owner.own(quiet('late', log));
    assert.deepEqual(log, ['late']);
  });
});
