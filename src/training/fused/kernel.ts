/**
 * Loads the fused kernel (assembly/index.ts, compiled into dist/ by the build), checks its
 * constants against the engines', and gives each engine its own instance: its own linear
 * memory (shared with a helper thread for large products), laid out by an Arena.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as v8 from 'node:v8';
import type { Activation } from '../../definition/types';
import { describeThrown } from '../../errors';
import { findBundledFile } from '../../bundledFile';
import { LEAKY_SLOPE } from '../networkShapes';
import { parallelProducts, serialProducts, type Matmul, type Products } from './parallelProducts';

/**
 * The builds, best first: fused multiply-add (relaxed SIMD) or plain SIMD, each on a shared
 * memory that a second thread can work in, or on its own memory where shared memory is not
 * available.
 */
const KERNEL_BUILDS = [
  { file: 'fused-kernel-shared-fma.wasm', fma: true, shared: true },
  { file: 'fused-kernel-shared.wasm', fma: false, shared: true },
  { file: 'fused-kernel-fma.wasm', fma: true, shared: false },
  { file: 'fused-kernel.wasm', fma: false, shared: false },
] as const;

/** The shared builds' memory limits in 64 KiB pages, as esbuild.js declares them. */
const SHARED_PAGES = { initial: 1, maximum: 65536 } as const;

// WebAssembly's types come with TypeScript's DOM library, which Node-only code does not load.
interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
};

interface WasmGlobal {
  readonly value: number;
}

/** The kernel's export holding each activation's code. */
const ACTIVATION_EXPORTS = { linear: 'LINEAR', leakyRelu: 'LEAKY_RELU', relu: 'RELU', tanh: 'TANH', elu: 'ELU', sigmoid: 'SIGMOID' } as const satisfies Record<Activation, string>;

/** The kernel's constants: the activation codes and the leaky ReLU's slope. */
export type KernelConstants = Readonly<Record<(typeof ACTIVATION_EXPORTS)[Activation] | 'LEAKY_SLOPE', WasmGlobal>>;

/** The kernel's exports; pointers are byte offsets into its memory. */
export interface KernelExports extends KernelConstants {
  readonly memory: WasmMemory;
  heapBase(): number;
  /**
   * C[m, n] = A[m, k]·B[k, n] (+ bias), A[i, p] at a + 4·(i·rowStep + p·colStep); also
   * H = max(C, slope·C) when h is not 0; C += A·B with `accumulate`.
   */
  matmul: Matmul;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  columnSums(src: number, out: number, rows: number, cols: number): void;
  activate(z: number, h: number, len: number, kind: number): void;
  activationBackward(z: number, h: number, d: number, len: number, kind: number): void;
  activationSlope(z: number, h: number, s: number, len: number, kind: number): void;
  curvatureBackward(z: number, h: number, sBar: number, d: number, len: number, kind: number): void;
  multiply(a: number, b: number, out: number, len: number, accumulate: boolean): void;
  addInto(dst: number, src: number, len: number): void;
  /** The mean penalty over `points` input gradients (direction-major); ∂(scale · penalty)/∂g into dg. */
  gradientPenalty(g: number, dg: number, points: number, dims: number, scale: number, oneSided: boolean): number;
  sumOfSquares(g: number, len: number): number;
  adam(p: number, g: number, m: number, v: number, len: number, lr: number, beta1: number, beta2: number, oneMinusBeta1: number, oneMinusBeta2: number, oneMinusAcc1: number, oneMinusAcc2: number, eps: number): void;
  rmsprop(p: number, g: number, ms: number, mom: number, len: number, lr: number, decay: number, oneMinusDecay: number, eps: number): void;
  sgd(p: number, g: number, len: number, lr: number): void;
  clip(p: number, len: number, c: number): void;
}

export function activationCode(k: KernelConstants, activation: Activation): number {
  return k[ACTIVATION_EXPORTS[activation]].value;
}

/** Activations that matmul applies as it stores (max(x, slope·x)), with their slope below 0. */
export const STORED_WITH_PRODUCT: Partial<Readonly<Record<Activation, number>>> = { leakyRelu: LEAKY_SLOPE, relu: 0 };

/**
 * Where the kernel disagrees with the engines, or undefined: its own activation pass must use
 * the slope that the tfjs engine and matmul's stored activation (passed from here) use.
 */
export function kernelMismatch(k: Partial<KernelConstants>): string | undefined {
  const missing = [...Object.values(ACTIVATION_EXPORTS), 'LEAKY_SLOPE' as const].filter((name) => typeof k[name]?.value !== 'number');
  if (missing.length > 0) return `it exports no ${missing.join(', ')}`;
  const slope = k.LEAKY_SLOPE!.value;
  if (slope !== Math.fround(LEAKY_SLOPE)) return `its leaky ReLU slope is ${slope}, the engines' ${LEAKY_SLOPE}`;
  return undefined;
}

interface CompiledKernel {
  readonly module: object;
  readonly fma: boolean;
  readonly shared: boolean;
}

let compiled: CompiledKernel | undefined;

function read(name: string): Uint8Array {
  const file = findBundledFile(name);
  if (!file) throw new Error(`the fused kernel ${name} is not in dist/ (looked above ${__dirname}): run npm run build`);
  return fs.readFileSync(file);
}

/**
 * A build compiled, or undefined where this runtime cannot compile it. Relaxed SIMD ships
 * enabled in the V8 of VS Code's Electron and of Node 22; Node 20 has it behind a flag, which
 * only enables the instructions and can be set at run time. Fused multiply-add nearly doubles
 * the large networks' throughput.
 */
function compileBuild(build: (typeof KERNEL_BUILDS)[number]): object | undefined {
  if (build.shared && typeof SharedArrayBuffer !== 'function') return undefined;
  const compile = (bytes: Uint8Array): object | undefined => {
    try {
      return new WebAssembly.Module(bytes);
    } catch {
      return undefined;
    }
  };
  let bytes: Uint8Array;
  try {
    bytes = read(build.file);
  } catch {
    // Another build may still be there.
    return undefined;
  }
  const module = compile(bytes);
  if (module || !build.fma) return module;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return compile(bytes);
}

/** A shared memory for a shared build, or undefined for one with its own memory. */
function memoryFor(shared: boolean): WasmMemory | undefined {
  return shared ? new WebAssembly.Memory({ ...SHARED_PAGES, shared: true }) : undefined;
}

function instantiate(module: object, memory: WasmMemory | undefined): KernelExports {
  return new WebAssembly.Instance(module, memory ? { env: { memory } } : {}).exports as KernelExports;
}

/** Compiles the module once per thread; throws a readable error when it cannot or does not match. */
function kernel(): CompiledKernel {
  if (!compiled) {
    let found: CompiledKernel | undefined;
    for (const build of KERNEL_BUILDS) {
      const module = compileBuild(build);
      if (module) {
        found = { module, fma: build.fma, shared: build.shared };
        break;
      }
    }
    // The last build has no excuse: its own error says why.
    const last = KERNEL_BUILDS[KERNEL_BUILDS.length - 1]!;
    found ??= { module: new WebAssembly.Module(read(last.file)), fma: last.fma, shared: last.shared };
    const mismatch = kernelMismatch(instantiate(found.module, memoryFor(found.shared)));
    if (mismatch !== undefined) throw new Error(`the fused kernel does not match the engines: ${mismatch}`);
    compiled = found;
  }
  return compiled;
}

/** Which build of the kernel runs, for reports. */
export function kernelVariant(): 'simd+fma' | 'simd' {
  return kernel().fma ? 'simd+fma' : 'simd';
}

/** Whether this runtime can run the kernel (WebAssembly with SIMD, the file built). */
export function fusedKernelProblem(): string | undefined {
  try {
    kernel();
    return undefined;
  } catch (e) {
    return describeThrown(e);
  }
}

/** Threads a fused run uses by default: two where there are two cores, for large products. */
export function defaultThreads(): number {
  return Math.min(2, os.availableParallelism());
}

/** An array of float32 in kernel memory. */
export interface Buffer {
  readonly ptr: number;
  readonly length: number;
}

/**
 * One kernel instance and a bump allocator over its memory. Views are made on demand,
 * because growing the memory detaches every earlier view. With `threads` 2 and a shared build,
 * large products run on a second thread too (`products`); otherwise on this one.
 */
export class Arena {
  readonly k: KernelExports;
  readonly products: Products;
  private top: number;

  constructor(threads = 1) {
    const { module, shared } = kernel();
    const memory = memoryFor(shared);
    this.k = instantiate(module, memory);
    this.products = memory && threads > 1 ? parallelProducts(this.k, module, memory) : serialProducts(this.k);
    // 16-byte alignment for the SIMD loads.
    this.top = align(this.k.heapBase());
  }

  dispose(): void {
    this.products.dispose();
  }

  alloc(length: number): Buffer {
    const ptr = this.top;
    this.top = align(ptr + 4 * length);
    const pages = Math.ceil((this.top - this.k.memory.buffer.byteLength) / 65536);
    if (pages > 0) this.k.memory.grow(pages);
    return { ptr, length };
  }

  view(b: Buffer, length = b.length, from = 0): Float32Array {
    return new Float32Array(this.k.memory.buffer, b.ptr + 4 * from, length);
  }

  /** The byte offset of element `index` of a buffer. */
  static at(b: Buffer, index: number): number {
    return b.ptr + 4 * index;
  }
}

function align(n: number): number {
  return (n + 15) & ~15;
}
