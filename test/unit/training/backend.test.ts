import assert from 'node:assert/strict';
import { defaultWasmDir, loadBackend } from '../../../src/training/backend';

describe('backend loader', () => {
  it('picks tfjs-node when it loads, else wasm — never silently the slow cpu backend', async () => {
    let native = true;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@tensorflow/tfjs-node');
    } catch {
      native = false;
    }
    const { backend, notes } = await loadBackend('auto', defaultWasmDir());
    assert.equal(backend, native ? 'tensorflow' : 'wasm', notes.join('; '));
    if (!native) assert.match(notes.join('; '), /tfjs-node unavailable/);
  });
});
