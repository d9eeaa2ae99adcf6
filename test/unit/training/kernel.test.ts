/** The fused kernel's constants against the engines': checked when the kernel loads. */
import assert from 'node:assert/strict';
import { Arena, kernelMismatch } from '../../../src/training/fused/kernel';
import { LEAKY_SLOPE } from '../../../src/training/networkShapes';

describe('fused kernel constants', () => {
  it('the built kernel exports the leaky ReLU slope the engines use', () => {
    const k = new Arena().k;
    assert.equal(k.LEAKY_SLOPE.value, Math.fround(LEAKY_SLOPE));
    assert.equal(kernelMismatch(k), undefined);
  });

  it('names a kernel whose slope differs, or that lacks a constant', () => {
    const k = new Arena().k;
    assert.match(kernelMismatch({ ...k, LEAKY_SLOPE: { value: Math.fround(0.1) } }) ?? '', /leaky ReLU slope is 0\.1/);
    const withoutTanh = Object.fromEntries(Object.entries(k).filter(([name]) => name !== 'TANH'));
    assert.match(kernelMismatch(withoutTanh) ?? '', /exports no TANH/);
  });
});
