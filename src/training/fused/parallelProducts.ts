/**
 * The fused kernel on two threads: this thread and a helper thread (./productWorker.ts, running
 * the same module on the same shared memory). Two kinds of job:
 * - halves of a network's pass (../fusedNetwork.ts): the helper's half is recorded as a list of
 *   kernel calls, which it replays while this thread runs its own half;
 * - a product whose rows of C are cut into chunks that the two threads claim in turn (passes
 *   with a gradient penalty's tangent rows, which do not split into halves). Each row of C is
 *   computed by one thread exactly as one thread alone computes it, so the results do not depend
 *   on the split.
 *
 * A chunk is claimed by a compare-and-swap on one word holding the job's number and the next
 * chunk's index: a helper that wakes late finds the job over and claims nothing, and a helper
 * that is not scheduled at all (a busy machine) leaves every chunk to this thread, which never
 * waits for it except to finish a chunk it has begun.
 *
 * Waking a sleeping thread costs tens of microseconds, more than a small network's product
 * takes, so after each job the helper stays hot (polls for the next) for about a millisecond
 * before it sleeps. Mid-sized products are split only while it is hot; one that finds it asleep
 * wakes it for the products after and runs alone. Large products wake it as they always did.
 */
import { Worker } from 'node:worker_threads';
import { findBundledFile } from '../../bundledFile';

/** The kernel's matmul (assembly/index.ts). */
export type Matmul = (a: number, rowStep: number, colStep: number, b: number, c: number, m: number, k: number, n: number, bias: number, h: number, slope: number, accumulate: boolean) => void;

/** The kernel's calls a network's pass makes (assembly/index.ts), which a helper thread can replay. */
export interface KernelCalls {
  readonly matmul: Matmul;
  activate(z: number, h: number, len: number, kind: number): void;
  activationBackward(z: number, h: number, d: number, len: number, kind: number): void;
  columnSums(src: number, out: number, rows: number, cols: number): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
}

/** Products run by one thread or two. */
export interface Products {
  readonly threads: number;
  readonly matmul: Matmul;
  /**
   * Two halves of a pass: `own` runs here; `other` makes its calls on the helper thread (or
   * here, if the helper has not begun them when `own` is done). Both are done on return.
   */
  halves(own: () => void, other: (calls: KernelCalls) => void): void;
  /** Chunks of products and halves the helper thread has run (0 on one thread): that a second thread works. */
  helperChunks(): number;
  dispose(): void;
}

export function serialProducts(calls: KernelCalls): Products {
  return {
    threads: 1, matmul: calls.matmul, helperChunks: () => 0, dispose: () => undefined,
    halves: (own, other) => {
      own();
      other(calls);
    },
  };
}

const OPS = ['matmul', 'activate', 'activationBackward', 'columnSums', 'transpose'] as const;
/** Arguments each call takes. */
const ARITY: Readonly<Record<(typeof OPS)[number], number>> = { matmul: 12, activate: 4, activationBackward: 5, columnSums: 4, transpose: 4 };
/** Float64 slots of the command buffer: a backward pass of a few layers takes about a hundred. */
const COMMAND_SLOTS = 8192;

/** Records calls as opcodes and arguments (pointers, sizes, the slope and flags are all exact in a float64). */
class CommandRecorder implements KernelCalls {
  length = 0;
  constructor(readonly commands: Float64Array) {}

  private put(op: number, args: readonly (number | boolean)[]): void {
    if (this.length + 1 + args.length > this.commands.length) throw new Error(`a network pass needs more than ${COMMAND_SLOTS} command slots`);
    this.commands[this.length++] = op;
    for (const a of args) this.commands[this.length++] = Number(a);
  }

  readonly matmul: Matmul = (...args) => this.put(0, args);
  activate(...args: Parameters<KernelCalls['activate']>): void {
    this.put(1, args);
  }
  activationBackward(...args: Parameters<KernelCalls['activationBackward']>): void {
    this.put(2, args);
  }
  columnSums(...args: Parameters<KernelCalls['columnSums']>): void {
    this.put(3, args);
  }
  transpose(...args: Parameters<KernelCalls['transpose']>): void {
    this.put(4, args);
  }
}

/** Makes the recorded calls on `calls`, in order. */
function replay(calls: KernelCalls, c: Float64Array, length: number): void {
  for (let i = 0; i < length;) {
    const op = OPS[c[i]!]!;
    const a = (k: number): number => c[i + 1 + k]!;
    switch (op) {
      case 'matmul':
        calls.matmul(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), a(11) !== 0);
        break;
      case 'activate':
        calls.activate(a(0), a(1), a(2), a(3));
        break;
      case 'activationBackward':
        calls.activationBackward(a(0), a(1), a(2), a(3), a(4));
        break;
      case 'columnSums':
        calls.columnSums(a(0), a(1), a(2), a(3));
        break;
      case 'transpose':
        calls.transpose(a(0), a(1), a(2), a(3));
        break;
    }
    i += 1 + ARITY[op];
  }
}

// The control block: Int32 words in a SharedArrayBuffer.
// Words one thread polls while the other writes sit on cache lines of their own (16 words apart).
const SEQ = 0;
const HOT = 16;
const CLAIM = 32;
const FINISHED = 48;
const STOP = 64;
const HELPER_CHUNKS = 80;
const ARGS = 96;
const [A, ROW_STEP, COL_STEP, B, C, M, K, N, BIAS, H, SLOPE, ACCUMULATE, CHUNKS, CHUNK_ROWS, PROGRAM] = Array.from({ length: 15 }, (_, i) => ARGS + i);
const CONTROL_BYTES = 4 * (ARGS + 15);
/** Job numbers live in the claim word's upper half, the next chunk in its lower. */
const JOB_MASK = 0x7fff;

/** Products of this many multiply-adds (~0.2 ms on one core) are worth waking a sleeping helper for. */
const PARALLEL_WORK = 1 << 22;
/**
 * Products of this many (~35 µs) are split while the helper is hot: 1.4× on two threads for a
 * 256×64×64 product here, while a 256×32×32 one (9 µs) gained nothing (the chunks' cache
 * traffic between cores costs what the second core saves).
 */
const HOT_WORK = 1 << 20;
/** How long the helper polls for the next job before it sleeps. */
const HOT_MS = 1;
/** Chunks per product: enough for the threads to even out, few enough that each reuses its panels of B. */
const CHUNKS_PER_PRODUCT = 8;
/** Rows per chunk at least: a chunk of fewer is mostly the cost of claiming it. */
const MIN_CHUNK_ROWS = 16;
/** How long this thread waits for the helper to finish a chunk it has begun before calling it hung. */
const CHUNK_TIMEOUT_MS = 30_000;

/** The control block as both threads see it. */
export class ProductControl {
  private readonly words: Int32Array;
  private readonly floats: Float32Array;

  readonly commands: Float64Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(CONTROL_BYTES), readonly commandBuffer: SharedArrayBuffer = new SharedArrayBuffer(8 * COMMAND_SLOTS)) {
    this.words = new Int32Array(buffer);
    this.floats = new Float32Array(buffer);
    this.commands = new Float64Array(commandBuffer);
  }

  /** Runs chunks of job `job` until none is left to claim; returns how many this thread ran. */
  runChunks(calls: KernelCalls, job: number): number {
    const w = this.words;
    let ran = 0;
    for (;;) {
      const claim = Atomics.load(w, CLAIM);
      const chunk = claim & 0xffff;
      if (claim >>> 16 !== (job & JOB_MASK) || chunk >= w[CHUNKS]!) return ran;
      if (Atomics.compareExchange(w, CLAIM, claim, claim + 1) !== claim) continue;
      // The job's arguments hold until every chunk is finished, this one included.
      const program = w[PROGRAM]!;
      if (program > 0) {
        // A half of a pass: one chunk, the recorded calls.
        replay(calls, this.commands, program);
        ran++;
        if (Atomics.add(w, FINISHED, 1) + 1 === w[CHUNKS]) Atomics.notify(w, FINISHED);
        continue;
      }
      const rows = w[CHUNK_ROWS]!;
      const from = chunk * rows;
      const count = Math.min(rows, w[M]! - from);
      const [n, rowStep, h] = [w[N]!, w[ROW_STEP]!, w[H]!];
      calls.matmul(w[A]! + 4 * from * rowStep, rowStep, w[COL_STEP]!, w[B]!, w[C]! + 4 * from * n, count, w[K]!, n, w[BIAS]!, h ? h + 4 * from * n : 0, this.floats[SLOPE]!, w[ACCUMULATE] !== 0);
      ran++;
      if (Atomics.add(w, FINISHED, 1) + 1 === w[CHUNKS]) Atomics.notify(w, FINISHED);
    }
  }

  /** The helper's loop: waits for jobs and runs their chunks until stopped. */
  serve(calls: KernelCalls): void {
    const w = this.words;
    let seen = Atomics.load(w, SEQ);
    for (;;) {
      if (!pollFor(w, seen)) {
        Atomics.store(w, HOT, 0);
        // A job published after the poll changed SEQ: the wait returns at once, nothing is lost.
        Atomics.wait(w, SEQ, seen);
      }
      Atomics.store(w, HOT, 1);
      if (Atomics.load(w, STOP) !== 0) return;
      seen = Atomics.load(w, SEQ);
      Atomics.add(w, HELPER_CHUNKS, this.runChunks(calls, seen));
    }
  }

  helperChunks(): number {
    return Atomics.load(this.words, HELPER_CHUNKS);
  }

  helperHot(): boolean {
    return Atomics.load(this.words, HOT) === 1;
  }

  /** Publishes a product as job `job` in `chunks` chunks of `chunkRows` rows and wakes the helper. */
  publish(job: number, args: Parameters<Matmul>, chunks: number, chunkRows: number): void {
    const w = this.words;
    const [a, rowStep, colStep, b, c, m, k, n, bias, h, slope, accumulate] = args;
    w[A] = a;
    w[ROW_STEP] = rowStep;
    w[COL_STEP] = colStep;
    w[B] = b;
    w[C] = c;
    w[M] = m;
    w[K] = k;
    w[N] = n;
    w[BIAS] = bias;
    w[H] = h;
    this.floats[SLOPE] = slope;
    w[ACCUMULATE] = accumulate ? 1 : 0;
    w[CHUNKS] = chunks;
    w[CHUNK_ROWS] = chunkRows;
    w[PROGRAM] = 0;
    this.start(job);
  }

  /** Publishes the `length` recorded command slots as job `job`, one chunk, and wakes the helper. */
  publishProgram(job: number, length: number): void {
    const w = this.words;
    w[CHUNKS] = 1;
    w[PROGRAM] = length;
    this.start(job);
  }

  private start(job: number): void {
    const w = this.words;
    Atomics.store(w, FINISHED, 0);
    Atomics.store(w, CLAIM, (job & JOB_MASK) << 16);
    Atomics.store(w, SEQ, job);
    // A hot helper sees the job by polling; notify only if it sleeps (a system call otherwise wasted).
    if (Atomics.load(w, HOT) === 0) Atomics.notify(w, SEQ);
  }

  /** Waits until all `chunks` chunks of the current job are finished. */
  awaitFinished(chunks: number): void {
    const w = this.words;
    // The helper is finishing a chunk of microseconds: poll before sleeping.
    for (let spin = 0; spin < FINISH_SPINS && Atomics.load(w, FINISHED) < chunks; spin++);
    for (let finished = Atomics.load(w, FINISHED); finished < chunks; finished = Atomics.load(w, FINISHED)) {
      if (Atomics.wait(w, FINISHED, finished, CHUNK_TIMEOUT_MS) === 'timed-out') throw new Error(`the fused kernel's second thread has not finished its share of a product in ${CHUNK_TIMEOUT_MS / 1000} s`);
    }
  }

  stop(): void {
    Atomics.store(this.words, STOP, 1);
    Atomics.add(this.words, SEQ, 1);
    Atomics.notify(this.words, SEQ);
  }
}

/** Polls of FINISHED before sleeping on it: some tens of microseconds. */
const FINISH_SPINS = 20_000;

/** Polls SEQ for a job after `seen` for HOT_MS; whether one came. */
function pollFor(w: Int32Array, seen: number): boolean {
  const until = performance.now() + HOT_MS;
  do {
    for (let i = 0; i < 256; i++) if (Atomics.load(w, SEQ) !== seen) return true;
  } while (performance.now() < until);
  return false;
}

/** What the helper thread gets: the compiled kernel, its memory, the control block and the command buffer. */
export interface HelperData {
  readonly module: object;
  readonly memory: object;
  readonly control: SharedArrayBuffer;
  readonly commands: SharedArrayBuffer;
}

class ParallelProducts implements Products {
  readonly threads = 2;
  private readonly control = new ProductControl();
  private helper: Worker | undefined;
  private job = 0;

  private readonly own: Matmul;
  private readonly recorder = new CommandRecorder(this.control.commands);

  constructor(private readonly calls: KernelCalls, private readonly data: Omit<HelperData, 'control' | 'commands'>) {
    this.own = calls.matmul;
  }

  halves(own: () => void, other: (calls: KernelCalls) => void): void {
    this.helper ??= this.startHelper();
    this.recorder.length = 0;
    other(this.recorder);
    this.job++;
    this.control.publishProgram(this.job, this.recorder.length);
    own();
    // The other half too, unless the helper has begun it.
    this.control.runChunks(this.calls, this.job);
    this.control.awaitFinished(1);
  }

  // Named parameters, not a rest array: small products are most calls of a step and allocate nothing here.
  readonly matmul: Matmul = (a, rowStep, colStep, b, c, m, k, n, bias, h, slope, accumulate) => {
    const work = m * k * n;
    if (work < HOT_WORK || m < 2 * MIN_CHUNK_ROWS) {
      this.own(a, rowStep, colStep, b, c, m, k, n, bias, h, slope, accumulate);
      return;
    }
    // Started with the first product worth it, so runs of tiny networks never start one.
    this.helper ??= this.startHelper();
    const args: Parameters<Matmul> = [a, rowStep, colStep, b, c, m, k, n, bias, h, slope, accumulate];
    if (work < PARALLEL_WORK && !this.control.helperHot()) {
      // Wake it for the products that follow (a job of no chunks), and run this one alone.
      this.control.publish(++this.job, args, 0, 0);
      this.own(a, rowStep, colStep, b, c, m, k, n, bias, h, slope, accumulate);
      return;
    }
    const chunkRows = 4 * Math.ceil(Math.max(MIN_CHUNK_ROWS, m / CHUNKS_PER_PRODUCT) / 4);
    const chunks = Math.ceil(m / chunkRows);
    this.job++;
    this.control.publish(this.job, args, chunks, chunkRows);
    this.control.runChunks(this.calls, this.job);
    this.control.awaitFinished(chunks);
  };

  private startHelper(): Worker {
    const file = findBundledFile('productWorker.js');
    if (!file) throw new Error(`the fused kernel's helper thread is not built (no productWorker.js above ${__dirname}): run npm run build`);
    const helper = new Worker(file, { workerData: { ...this.data, control: this.control.buffer, commands: this.control.commandBuffer } satisfies HelperData });
    // A helper that cannot start leaves the products to this thread, which does not wait for it.
    helper.on('error', () => undefined);
    helper.unref();
    return helper;
  }

  helperChunks(): number {
    return this.control.helperChunks();
  }

  dispose(): void {
    this.control.stop();
    void this.helper?.terminate();
    this.helper = undefined;
  }
}

/** Products on two threads over a shared memory the kernel module imports. */
export function parallelProducts(calls: KernelCalls, module: object, memory: object): Products {
  return new ParallelProducts(calls, { module, memory });
}
