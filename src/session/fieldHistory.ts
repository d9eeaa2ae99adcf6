/**
 * What the host keeps of a run besides its scalars, in fixed memory, for going back in time:
 * downsampled 1-D fields (p, q, the critic, forces, G) of some snapshots, and some checkpoints
 * to branch from. Both thin out like the scalar history: when full, every other item goes and
 * only every `stride`-th new one is kept, so a long run keeps frames from its whole length.
 */
import type { Checkpoint, Snapshot } from '../protocol';

/** Items ordered by step, at most `capacity` of them, evenly thinned. */
export class ThinnedSteps<T extends { readonly step: number }> {
  private items: T[] = [];
  private stride = 1;
  private seen = 0;

  constructor(private readonly capacity: number) {
    if (!(capacity >= 2)) throw new RangeError(`capacity must be at least 2, got ${capacity}`);
  }

  /** Offers an item; `make` runs only when it is kept (building a frame costs more than skipping it). */
  offer(make: () => T | undefined): void {
    const keep = this.seen % this.stride === 0;
    this.seen++;
    if (!keep) return;
    const item = make();
    if (item) this.push(item);
  }

  private push(item: T): void {
    const last = this.items[this.items.length - 1];
    if (last && last.step >= item.step) this.truncateFrom(item.step);
    this.items.push(item);
    if (this.items.length >= this.capacity) {
      this.items = this.items.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }

  /** The item nearest to `step` (the earlier one on a tie), or undefined when empty. */
  nearest(step: number): T | undefined {
    let best: T | undefined;
    for (const it of this.items) if (!best || Math.abs(it.step - step) < Math.abs(best.step - step)) best = it;
    return best;
  }

  /** The last item at or before `step`. */
  atOrBefore(step: number): T | undefined {
    let found: T | undefined;
    for (const it of this.items) if (it.step <= step) found = it;
    return found;
  }

  /** Drops the items from `step` on (those steps are trained again). */
  truncateFrom(step: number): void {
    this.items = this.items.filter((it) => it.step < step);
  }

  clear(): void {
    this.items = [];
    this.stride = 1;
    this.seen = 0;
  }

  get steps(): number[] {
    return this.items.map((it) => it.step);
  }

  get length(): number {
    return this.items.length;
  }
}

/** Points a kept frame's grid is reduced to. */
export const FRAME_POINTS = 128;
/** Frames kept per run: about 256 × 3.5 kB. */
export const FRAME_CAPACITY = 256;
/** Checkpoints kept per run to branch from. */
export const CHECKPOINT_CAPACITY = 24;

/** Block means of `a` over `blocks` blocks of `size` points (masses stay where they were). */
function blockMean(a: Float32Array, size: number, blocks: number): Float32Array {
  const out = new Float32Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let sum = 0;
    for (let i = b * size; i < (b + 1) * size; i++) sum += a[i]!;
    out[b] = sum / size;
  }
  return out;
}

/** Every `stride`-th of `a` (a thinned subsample of values along a sorted axis). */
function every(a: Float32Array, stride: number): Float32Array {
  return a.filter((_, i) => i % stride === 0);
}

/**
 * A 1-D snapshot reduced for the history: the grid to FRAME_POINTS block means (densities as
 * cell averages, so spikes keep their mass; the critic as its mean over the block), the forces
 * and G's map to a quarter. Undefined for 2-D snapshots, which are not kept.
 */
export function frameOf(s: Snapshot): Snapshot | undefined {
  if (s.dataDim !== 1 || s.x.length < 2) return undefined;
  const size = Math.max(1, Math.floor(s.x.length / FRAME_POINTS));
  const blocks = Math.floor(s.x.length / size);
  const reduce = (a: Float32Array): Float32Array => (a.length === s.x.length ? blockMean(a, size, blocks) : new Float32Array(0));
  const forces = s.forces;
  const map = s.generatorMap;
  const frame: Snapshot = {
    ...s,
    x: reduce(s.x),
    p: reduce(s.p),
    q: reduce(s.q),
    critic: reduce(s.critic),
    optimalCritic: reduce(s.optimalCritic),
    ...(forces ? { forces: { x: every(forces.x, 4), critic: every(forces.critic, 4), exact: every(forces.exact, 4) } } : {}),
    ...(map ? { generatorMap: { z: every(map.z, 4), x: every(map.x, 4) } } : {}),
  };
  delete (frame as { plane?: unknown }).plane;
  return frame;
}

export type FrameHistory = ThinnedSteps<{ readonly step: number; readonly snapshot: Snapshot }>;
export type CheckpointHistory = ThinnedSteps<Checkpoint>;
