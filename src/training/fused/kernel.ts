/**
 * Loads the fused kernel (assembly/index.ts, compiled into dist/ by the build), checks its
 * constants against the engines', and gives each engine its own instance: its own linear
 * memory, laid out by an Arena.
 */
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import type { Activation } from '../../definition/types';
import { describeThrown } from '../../errors';
import { findBundledFile } from '../../bundledFile';
import { LEAKY_SLOPE } from '../networkShapes';

/** The build with fused multiply-add (relaxed SIMD), and the one with plain SIMD. */
const KERNEL_FILES = { fma: 'fused-kernel-fma.wasm', plain: 'fused-kernel.wasm' } as const;

// WebAssembly's types come with TypeScript's DOM library, which Node-only code does not load.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
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
  matmul(a: number, rowStep: number, colStep: number, b: number, c: number, m: number, k: number, n: number, bias: number, h: number, slope: number, accumulate: boolean): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  columnSums(src: number, out: number, rows: number, cols: number): void;
  activate(z: number, h: number, len: number, kind: number): void;
  activationBackward(z: number, h: number, d: number, len: number, kind: number): void;
  activationSlope(z: number, h: number, s: number, len: number, kind: number): void;
  curvatureBackward(z: number, h: number, sBar: number, d: number, len: number, kind: number): void;
  multiply(a: number, b: number, out: number, len: number, accumulate: boolean): void;
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

let compiled: { module: object; fma: boolean } | undefined;

function read(name: string): Uint8Array {
  const file = findBundledFile(name);
  if (!file) throw new Error(`the fused kernel ${name} is not in dist/ (looked above ${__dirname}): run npm run build`);
  return fs.readFileSync(file);
}

/**
 * Relaxed SIMD ships enabled in the V8 of VS Code's Electron and of Node 22; Node 20 has it
 * behind a flag, which only enables the instructions and can be set at run time. Fused
 * multiply-add nearly doubles the large networks' throughput; without it the plain build runs.
 */
function compileWithFma(): object | undefined {
  const compile = (bytes: Uint8Array): object | undefined => {
    try {
      return new WebAssembly.Module(bytes);
    } catch {
      return undefined;
    }
  };
  let bytes: Uint8Array;
  try {
    bytes = read(KERNEL_FILES.fma);
  } catch {
    // Without the FMA build the plain one may still be there.
    return undefined;
  }
  const module = compile(bytes);
  if (module) return module;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return compile(bytes);
}

/** Compiles the module once per thread; throws a readable error when it cannot or does not match. */
function kernelModule(): object {
  if (!compiled) {
    const fma = compileWithFma();
    const module = fma ?? new WebAssembly.Module(read(KERNEL_FILES.plain));
    const mismatch = kernelMismatch(new WebAssembly.Instance(module, {}).exports as Partial<KernelConstants>);
    if (mismatch !== undefined) throw new Error(`the fused kernel does not match the engines: ${mismatch}`);
    compiled = { module, fma: fma !== undefined };
  }
  return compiled.module;
}

/** Which build of the kernel runs, for reports. */
export function kernelVariant(): 'simd+fma' | 'simd' {
  kernelModule();
  return compiled!.fma ? 'simd+fma' : 'simd';
}

/** Whether this runtime can run the kernel (WebAssembly with SIMD, the file built). */
export function fusedKernelProblem(): string | undefined {
  try {
    kernelModule();
    return undefined;
  } catch (e) {
    return describeThrown(e);
  }
}

/** An array of float32 in kernel memory. */
export interface Buffer {
  readonly ptr: number;
  readonly length: number;
}

/**
 * One kernel instance and a bump allocator over its memory. Views are made on demand,
 * because growing the memory detaches every earlier view.
 */
export class Arena {
  readonly k: KernelExports;
  private top: number;

  constructor() {
    this.k = new WebAssembly.Instance(kernelModule(), {}).exports as unknown as KernelExports;
    // 16-byte alignment for the SIMD loads.
    this.top = align(this.k.heapBase());
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
