import assert from 'node:assert/strict';
import { definitionFileName } from '../../../src/definition/fileName';

describe('definitionFileName', () => {
  const cases: [typed: string, expected: string][] = [
    ['my-first', 'my-first.gan.ts'],
    ['my-first.gan.ts', 'my-first.gan.ts'],
    ['x.gan.js', 'x.gan.js'],
    ['x.gan.mjs', 'x.gan.mjs'],
    ['my-first.ts', 'my-first.gan.ts'],
    ['x.js', 'x.gan.js'],
    // What a save dialog filtering on "gan.ts" returns for the names above.
    ['my-first.gan.ts.gan.ts', 'my-first.gan.ts'],
    ['x.gan.js.gan.ts', 'x.gan.js'],
    ['my-first.ts.gan.ts', 'my-first.gan.ts'],
    ['v1.2', 'v1.2.gan.ts'],
    ['gan', 'gan.gan.ts'],
  ];
  for (const [typed, expected] of cases) {
    it(`${typed} → ${expected}`, () => assert.equal(definitionFileName(typed), expected));
  }
});
