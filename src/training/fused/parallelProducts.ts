/**
 * The kernel's matrix products on two threads: a product's rows of C are cut into chunks that
 * this thread and a helper thread (./productWorker.ts, running the same module on the same
 * shared memory) claim in turn. Each row of C is computed by one thread exactly as one thread
 * alone computes it, so the results do not depend on the split.
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

/** Products run by one thread or two. */
export interface Products {
  readonly threads: number;
  readonly matmul: Matmul;
  /** Chunks of products the helper thread has run (0 on one thread): that a second thread works. */
  helperChunks(): number;
  dispose(): void;
}

export function serialProducts(matmul: Matmul): Products {
  return { threads: 1, matmul, helperChunks: () => 0, dispose: () => undefined };
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
const [A, ROW_STEP, COL_STEP, B, C, M, K, N, BIAS, H, SLOPE, ACCUMULATE, CHUNKS, CHUNK_ROWS] = Array.from({ length: 14 }, (_, i) => ARGS + i);
const CONTROL_BYTES = 4 * (ARGS + 14);
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

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(CONTROL_BYTES)) {
    this.words = new Int32Array(buffer);
    this.floats = new Float32Array(buffer);
  }

  /** Runs chunks of job `job` until none is left to claim; returns how many this thread ran. */
  runChunks(matmul: Matmul, job: number): number {
    const w = this.words;
    let ran = 0;
    for (;;) {
      const claim = Atomics.load(w, CLAIM);
      const chunk = claim & 0xffff;
      if (claim >>> 16 !== (job & JOB_MASK) || chunk >= w[CHUNKS]!) return ran;
      if (Atomics.compareExchange(w, CLAIM, claim, claim + 1) !== claim) continue;
      // The job's arguments hold until every chunk is finished, this one included.
      const rows = w[CHUNK_ROWS]!;
      const from = chunk * rows;
      const count = Math.min(rows, w[M]! - from);
      const [n, rowStep, h] = [w[N]!, w[ROW_STEP]!, w[H]!];
      matmul(w[A]! + 4 * from * rowStep, rowStep, w[COL_STEP]!, w[B]!, w[C]! + 4 * from * n, count, w[K]!, n, w[BIAS]!, h ? h + 4 * from * n : 0, this.floats[SLOPE]!, w[ACCUMULATE] !== 0);
      ran++;
      if (Atomics.add(w, FINISHED, 1) + 1 === w[CHUNKS]) Atomics.notify(w, FINISHED);
    }
  }

  /** The helper's loop: waits for jobs and runs their chunks until stopped. */
  serve(matmul: Matmul): void {
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
      Atomics.add(w, HELPER_CHUNKS, this.runChunks(matmul, seen));
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

/** What the helper thread gets: the compiled kernel, its memory and the control block. */
export interface HelperData {
  readonly module: object;
  readonly memory: object;
  readonly control: SharedArrayBuffer;
}

class ParallelProducts implements Products {
  readonly threads = 2;
  private readonly control = new ProductControl();
  private helper: Worker | undefined;
  private job = 0;

  constructor(private readonly own: Matmul, private readonly data: Omit<HelperData, 'control'>) {}

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
    this.control.runChunks(this.own, this.job);
    this.control.awaitFinished(chunks);
  };

  private startHelper(): Worker {
    const file = findBundledFile('productWorker.js');
    if (!file) throw new Error(`the fused kernel's helper thread is not built (no productWorker.js above ${__dirname}): run npm run build`);
    const helper = new Worker(file, { workerData: { ...this.data, control: this.control.buffer } satisfies HelperData });
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
export function parallelProducts(own: Matmul, module: object, memory: object): Products {
  return new ParallelProducts(own, { module, memory });
}
