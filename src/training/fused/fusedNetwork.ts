/**
 * The generator and critic on the fused kernel: forward passes that keep what the backward
 * pass needs, and backward passes that write the parameter gradient and, when asked, the
 * gradient with respect to the input (the generator's step goes back through the critic).
 * The weight gradient Xᵀ·dZ reads X through transposed strides; dZ·Wᵀ uses a transposed copy
 * of W, which is small.
 */
import { mlpWidths, type AffineShape, type MlpShape } from '../networkShapes';
import type { PackedParameters, Slot } from '../parameters';
import { activationCode, Arena, STORED_WITH_PRODUCT, type Buffer } from './kernel';

export interface FusedNetwork {
  readonly layout: readonly Slot[];
  readonly params: Buffer;
  readonly grad: Buffer;
  readonly inputs: number;
  readonly outputs: number;
  /** A [rows, inputs] buffer the network owns, for callers to fill before forward(). */
  input(rows: number): Buffer;
  /** [rows, outputs] outputs, valid until the next forward(); keeps the activations for backward(). */
  forward(input: Buffer, rows: number): Buffer;
  /**
   * From ∂L/∂output ([rows, outputs]) of the last forward(): writes the parameter gradient into `grad`
   * when `params`, and returns ∂L/∂input ([rows, inputs]) when `input`.
   */
  backward(dOutput: Buffer, rows: number, want: { readonly params: boolean; readonly input: boolean }): Buffer | undefined;
}

/** Rows kept in the workspace at least: evaluation on the plotting grid runs in chunks of this. */
export const MIN_ROWS = 4096;

interface Layer {
  readonly inputs: number;
  readonly width: number;
  readonly w: number;
  readonly b: number;
}

class Mlp implements FusedNetwork {
  readonly params: Buffer;
  readonly grad: Buffer;
  private readonly layers: Layer[];
  private readonly kind: number;
  /** Slope below 0 when the product applies the activation as it stores, else undefined. */
  private readonly storedSlope: number | undefined;
  private readonly maxWidth: number;
  private capacity = 0;
  private z: Buffer[] = [];
  private h: Buffer[] = [];
  private ownInput!: Buffer;
  private ping!: Buffer;
  private pong!: Buffer;
  private readonly transposedWeight: Buffer;
  private lastInput: Buffer | undefined;
  readonly inputs: number;
  readonly outputs: number;

  constructor(private readonly arena: Arena, initial: PackedParameters, shape: MlpShape) {
    this.layout = initial.layout;
    this.params = arena.alloc(initial.values.length);
    this.grad = arena.alloc(initial.values.length);
    arena.view(this.params).set(initial.values);
    this.inputs = shape.inputs;
    this.outputs = shape.outputs;
    let fanIn = shape.inputs;
    this.layers = mlpWidths(shape).map((width, i) => {
      const layer = { inputs: fanIn, width, w: Arena.at(this.params, this.layout[2 * i]!.offset), b: Arena.at(this.params, this.layout[2 * i + 1]!.offset) };
      fanIn = width;
      return layer;
    });
    this.kind = activationCode(arena.k, shape.activation);
    this.storedSlope = STORED_WITH_PRODUCT[shape.activation];
    this.maxWidth = Math.max(...this.layers.map((l) => Math.max(l.inputs, l.width)));
    this.transposedWeight = arena.alloc(Math.max(...this.layers.map((l) => l.inputs * l.width)));
    this.reserve(MIN_ROWS);
  }

  readonly layout: readonly Slot[];

  /** Grows the workspace; the old one stays in the arena (batch sizes change rarely). */
  private reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const a = this.arena;
    this.capacity = rows;
    this.z = this.layers.map((l) => a.alloc(rows * l.width));
    this.h = this.layers.slice(0, -1).map((l) => a.alloc(rows * l.width));
    this.ownInput = a.alloc(rows * this.inputs);
    this.ping = a.alloc(rows * this.maxWidth);
    this.pong = a.alloc(rows * this.maxWidth);
  }

  input(rows: number): Buffer {
    this.reserve(rows);
    return { ptr: this.ownInput.ptr, length: rows * this.inputs };
  }

  forward(input: Buffer, rows: number): Buffer {
    this.reserve(rows);
    const k = this.arena.k;
    let x = input.ptr;
    this.layers.forEach((l, i) => {
      const z = this.z[i]!.ptr;
      const hidden = i < this.layers.length - 1;
      const h = hidden ? this.h[i]!.ptr : 0;
      const slope = this.storedSlope;
      k.matmul(x, l.inputs, 1, l.w, z, rows, l.inputs, l.width, l.b, slope === undefined ? 0 : h, slope ?? 0);
      if (hidden) {
        if (slope === undefined) k.activate(z, h, rows * l.width, this.kind);
        x = h;
      }
    });
    this.lastInput = input;
    return { ptr: this.z[this.layers.length - 1]!.ptr, length: rows * this.outputs };
  }

  backward(dOutput: Buffer, rows: number, want: { readonly params: boolean; readonly input: boolean }): Buffer | undefined {
    const k = this.arena.k;
    let d = dOutput.ptr;
    let spare = this.ping;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i]!;
      const x = i === 0 ? this.lastInput!.ptr : this.h[i - 1]!.ptr;
      if (want.params) {
        // Xᵀ·dZ, reading X through transposed strides.
        k.matmul(x, 1, l.inputs, d, Arena.at(this.grad, this.layout[2 * i]!.offset), l.inputs, rows, l.width, 0, 0, 0);
        k.columnSums(d, Arena.at(this.grad, this.layout[2 * i + 1]!.offset), rows, l.width);
      }
      if (i === 0 && !want.input) return undefined;
      k.transpose(l.w, this.transposedWeight.ptr, l.inputs, l.width);
      k.matmul(d, l.width, 1, this.transposedWeight.ptr, spare.ptr, rows, l.width, l.inputs, 0, 0, 0);
      if (i > 0) k.activationBackward(this.z[i - 1]!.ptr, this.h[i - 1]!.ptr, spare.ptr, rows * l.inputs, this.kind);
      d = spare.ptr;
      spare = spare === this.ping ? this.pong : this.ping;
    }
    return { ptr: d, length: rows * this.inputs };
  }
}

/** x = μ + A·z, in JavaScript: d + d² parameters need no kernel (1-D: A = σ). */
class Affine implements FusedNetwork {
  readonly params: Buffer;
  readonly grad: Buffer;
  readonly inputs: number;
  readonly outputs: number;
  private capacity = 0;
  private ownInput!: Buffer;
  private output!: Buffer;
  private dInput!: Buffer;
  private lastInput: Buffer | undefined;

  constructor(private readonly arena: Arena, initial: PackedParameters, shape: AffineShape) {
    this.layout = initial.layout;
    this.inputs = shape.inputs;
    this.outputs = shape.outputs;
    this.params = arena.alloc(initial.values.length);
    this.grad = arena.alloc(initial.values.length);
    arena.view(this.params).set(initial.values);
    this.reserve(MIN_ROWS);
  }

  readonly layout: readonly Slot[];

  private reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.capacity = rows;
    this.ownInput = this.arena.alloc(rows * this.inputs);
    this.output = this.arena.alloc(rows * this.outputs);
    this.dInput = this.arena.alloc(rows * this.inputs);
  }

  input(rows: number): Buffer {
    this.reserve(rows);
    return { ptr: this.ownInput.ptr, length: rows * this.inputs };
  }

  forward(input: Buffer, rows: number): Buffer {
    this.reserve(rows);
    const { inputs: m, outputs: d } = this;
    // Packed as μ ([d]) then A ([d, m], row-major).
    const p = this.arena.view(this.params);
    const z = this.arena.view(input, rows * m);
    const x = this.arena.view(this.output, rows * d);
    for (let i = 0; i < rows; i++) {
      for (let o = 0; o < d; o++) {
        let v = p[o]!;
        for (let k = 0; k < m; k++) v += p[d + o * m + k]! * z[i * m + k]!;
        x[i * d + o] = v;
      }
    }
    this.lastInput = input;
    return { ptr: this.output.ptr, length: rows * d };
  }

  backward(dOutput: Buffer, rows: number, want: { readonly params: boolean; readonly input: boolean }): Buffer | undefined {
    const { inputs: m, outputs: d } = this;
    const dx = this.arena.view(dOutput, rows * d);
    if (want.params) {
      const z = this.arena.view(this.lastInput!, rows * m);
      const g = new Float64Array(d + d * m);
      for (let i = 0; i < rows; i++) {
        for (let o = 0; o < d; o++) {
          const v = dx[i * d + o]!;
          g[o] += v;
          for (let k = 0; k < m; k++) g[d + o * m + k] += v * z[i * m + k]!;
        }
      }
      this.arena.view(this.grad).set(g);
    }
    if (!want.input) return undefined;
    const p = this.arena.view(this.params);
    const dz = this.arena.view(this.dInput, rows * m);
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < m; k++) {
        let v = 0;
        for (let o = 0; o < d; o++) v += dx[i * d + o]! * p[d + o * m + k]!;
        dz[i * m + k] = v;
      }
    }
    return { ptr: this.dInput.ptr, length: rows * m };
  }
}

export function fusedMlp(arena: Arena, initial: PackedParameters, shape: MlpShape): FusedNetwork {
  return new Mlp(arena, initial, shape);
}

export function fusedAffine(arena: Arena, initial: PackedParameters, shape: AffineShape): FusedNetwork {
  return new Affine(arena, initial, shape);
}
