/** An optimiser's state in kernel memory, updated as tfjs's and saved under its slot names and order. */
import type { OptimizerConfig } from '../../definition/types';
import type { SavedTensor } from '../engine';
import type { FusedNetwork } from './fusedNetwork';
import type { Arena, Buffer } from './kernel';

/** tfjs's epsilon for float32 backends, which its Adam and RMSprop use by default. */
const EPSILON = 1e-7;
const RMSPROP_DECAY = 0.9;

export class FusedOptimizer {
  private readonly slots: Buffer[];
  private iterations = 0;
  private acc1: number;
  private acc2: number;

  constructor(private readonly arena: Arena, private readonly config: Required<OptimizerConfig>, private readonly network: FusedNetwork) {
    const size = network.params.length;
    this.slots = config.kind === 'sgd' ? [] : [arena.alloc(size), arena.alloc(size)];
    this.acc1 = Math.fround(config.beta1);
    this.acc2 = Math.fround(config.beta2);
  }

  apply(): void {
    const k = this.arena.k;
    const { params, grad } = this.network;
    const c = this.config;
    if (c.kind === 'adam') {
      // 1 − β in float64, rounded once, as tfjs computes it.
      k.adam(params.ptr, grad.ptr, this.slots[0]!.ptr, this.slots[1]!.ptr, params.length, c.lr, c.beta1, c.beta2, 1 - c.beta1, 1 - c.beta2, Math.fround(1 - this.acc1), Math.fround(1 - this.acc2), EPSILON);
      this.acc1 = Math.fround(this.acc1 * Math.fround(c.beta1));
      this.acc2 = Math.fround(this.acc2 * Math.fround(c.beta2));
    } else if (c.kind === 'rmsprop') {
      k.rmsprop(params.ptr, grad.ptr, this.slots[0]!.ptr, this.slots[1]!.ptr, params.length, c.lr, RMSPROP_DECAY, 1 - RMSPROP_DECAY, EPSILON);
    } else {
      k.sgd(params.ptr, grad.ptr, params.length, c.lr);
    }
    this.iterations++;
  }

  /** [iter, first slot, second slot] as tfjs's getWeights lists them (slots named `<network>/m`). */
  save(network: string): SavedTensor[] {
    const names = this.config.kind === 'adam' ? ['m', 'v'] : ['rms', 'momentum'];
    return [
      { name: 'iter', shape: [], data: Float32Array.of(this.iterations) },
      ...this.slots.map((s, i) => ({ name: `${network}/${names[i]}`, shape: [s.length], data: this.arena.view(s).slice() })),
    ];
  }

  restore(saved: readonly SavedTensor[]): void {
    const [iter, ...slots] = saved;
    // tfjs saves no moments before its first update.
    const fresh = slots.length === 0;
    if (!iter || (!fresh && slots.length !== this.slots.length) || slots.some((s) => s.data.length !== this.network.params.length)) throw new Error('checkpoint does not match the optimiser');
    this.iterations = iter.data[0]!;
    this.slots.forEach((b, i) => (fresh ? this.arena.view(b).fill(0) : this.arena.view(b).set(slots[i]!.data)));
    // As tfjs's setWeights: β^(iterations + 1).
    this.acc1 = Math.fround(Math.fround(this.config.beta1) ** (this.iterations + 1));
    this.acc2 = Math.fround(Math.fround(this.config.beta2) ** (this.iterations + 1));
  }
}
