/**
 * The generator and critic on the fused kernel: forward passes that keep what the backward
 * pass needs, and backward passes that write the parameter gradient and, when asked, the
 * gradient with respect to the input (the generator's step goes back through the critic).
 * The weight gradient Xᵀ·dZ reads X through transposed strides; dZ·Wᵀ uses a transposed copy
 * of W, which is small.
 */
import type { Activation } from '../../definition/types';
import { mlpWidths, type AffineShape, type MlpShape } from '../networkShapes';
import type { PackedParameters, Slot } from '../parameters';
import { activationCode, Arena, STORED_WITH_PRODUCT, type Buffer } from './kernel';
import type { KernelCalls } from './parallelProducts';

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

/** An MLP, which can also carry input tangents: the gradient penalty's ∂f/∂x and its double backward pass. */
export interface FusedMlp extends FusedNetwork {
  /**
   * forward() that also computes ∂output/∂x at the last `points` of the rows by forward-mode
   * tangents, one row per point and input axis appended after the rows (input(rows +
   * points·inputs) gives room; forward writes them): returns [rows + points·inputs, outputs],
   * the outputs, then ∂output/∂x_k at the points for k = 0, 1, … in turn. backward() then takes
   * ∂L/∂ of all of them, so a loss of the input gradients (the penalty) gets its exact
   * parameter gradient, through both the tangents and the slopes they were multiplied by.
   */
  forwardWithSlopes(input: Buffer, rows: number, points: number): Buffer;
}

/** Rows kept in the workspace at least: evaluation on the plotting grid runs in chunks of this. */
export const MIN_ROWS = 4096;

/**
 * Passes over at least this many rows run in two halves, the second on the helper thread where
 * there is one: each thread keeps its rows through every layer (a layer's rows are where the
 * last layer left them, in that core's cache), and the halves meet only at the end of the pass.
 * The weight gradient is the first half's plus the second's on one thread too, so a run's
 * results do not depend on the thread count.
 */
const HALVED_ROWS = 64;

/** Where a pass of `rows` rows splits (a multiple of four), or undefined for one piece. */
function halfway(rows: number): number | undefined {
  return rows >= HALVED_ROWS ? 4 * Math.ceil(rows / 8) : undefined;
}

interface Layer {
  readonly inputs: number;
  readonly width: number;
  readonly w: number;
  readonly b: number;
}

/** Activations whose second derivative is 0 wherever it exists: their slopes have no weight gradient. */
const PIECEWISE_LINEAR: ReadonlySet<Activation> = new Set(['leakyRelu', 'relu', 'linear']);

/** The byte offset of row `row` of a row-major array of `width` float32 columns at `ptr`. */
function rowAt(ptr: number, row: number, width: number): number {
  return ptr + 4 * row * width;
}

class Mlp implements FusedMlp {
  readonly params: Buffer;
  readonly grad: Buffer;
  private readonly layers: Layer[];
  private readonly kind: number;
  /** Slope below 0 when the product applies the activation as it stores, else undefined. */
  private readonly storedSlope: number | undefined;
  private readonly curved: boolean;
  private readonly maxWidth: number;
  private capacity = 0;
  private pointCapacity = 0;
  private z: Buffer[] = [];
  private h: Buffer[] = [];
  /** activation′ of each hidden layer at the points whose tangents run, [points, width]. */
  private slopes: Buffer[] = [];
  /** The adjoint of one layer's slopes, [points, width]. */
  private slopeAdjoint!: Buffer;
  private ownInput!: Buffer;
  private ping!: Buffer;
  private pong!: Buffer;
  /**
   * The second half's own ping and pong: a half's gradient narrows from layer to layer, and in a
   * shared buffer its rows at one width would overlap the other half's at another, which that
   * half may still be reading.
   */
  private secondPing!: Buffer;
  private secondPong!: Buffer;
  /** ∂L/∂input of a pass in halves, [rows, inputs]: each half writes its own rows. */
  private inputGradient!: Buffer;
  /** Wᵀ of the layer in hand, one per half of a pass. */
  private readonly transposedWeight: readonly [Buffer, Buffer];
  /** The second half's weight gradient, added into `grad`. */
  private readonly secondGrad: Buffer;
  private lastInput: Buffer | undefined;
  /** Tangent points of the last forward pass (0: none). */
  private lastPoints = 0;
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
    this.curved = !PIECEWISE_LINEAR.has(shape.activation);
    this.maxWidth = Math.max(...this.layers.map((l) => Math.max(l.inputs, l.width)));
    const largest = Math.max(...this.layers.map((l) => l.inputs * l.width));
    this.transposedWeight = [arena.alloc(largest), arena.alloc(largest)];
    this.secondGrad = arena.alloc(initial.values.length);
    this.reserve(MIN_ROWS, 0);
  }

  readonly layout: readonly Slot[];

  /** Grows the workspace; the old one stays in the arena (batch sizes change rarely). */
  private reserve(rows: number, points: number): void {
    const a = this.arena;
    if (rows > this.capacity) {
      this.capacity = rows;
      this.z = this.layers.map((l) => a.alloc(rows * l.width));
      this.h = this.layers.slice(0, -1).map((l) => a.alloc(rows * l.width));
      this.ownInput = a.alloc(rows * this.inputs);
      this.ping = a.alloc(rows * this.maxWidth);
      this.pong = a.alloc(rows * this.maxWidth);
      this.secondPing = a.alloc(rows * this.maxWidth);
      this.secondPong = a.alloc(rows * this.maxWidth);
      this.inputGradient = a.alloc(rows * this.inputs);
    }
    if (points > this.pointCapacity) {
      this.pointCapacity = points;
      this.slopes = this.layers.slice(0, -1).map((l) => a.alloc(points * l.width));
      this.slopeAdjoint = a.alloc(points * this.maxWidth);
    }
  }

  input(rows: number): Buffer {
    this.reserve(rows, 0);
    return { ptr: this.ownInput.ptr, length: rows * this.inputs };
  }

  forward(input: Buffer, rows: number): Buffer {
    this.reserve(rows, 0);
    const split = halfway(rows);
    if (split === undefined) this.forwardRows(this.arena.k, input.ptr, 0, rows);
    else this.arena.products.halves(() => this.forwardRows(this.arena.k, input.ptr, 0, split), (calls) => this.forwardRows(calls, input.ptr, split, rows - split));
    this.lastInput = input;
    this.lastPoints = 0;
    return { ptr: this.z[this.layers.length - 1]!.ptr, length: rows * this.outputs };
  }

  /** The forward pass over rows [from, from + count), with its calls made on `calls`. */
  private forwardRows(calls: KernelCalls, input: number, from: number, count: number): void {
    let x = rowAt(input, from, this.inputs);
    const slope = this.storedSlope;
    this.layers.forEach((l, i) => {
      const z = rowAt(this.z[i]!.ptr, from, l.width);
      const hidden = i < this.layers.length - 1;
      const h = hidden ? rowAt(this.h[i]!.ptr, from, l.width) : 0;
      calls.matmul(x, l.inputs, 1, l.w, z, count, l.inputs, l.width, l.b, slope === undefined ? 0 : h, slope ?? 0, false);
      if (hidden) {
        if (slope === undefined) calls.activate(z, h, count * l.width, this.kind);
        x = h;
      }
    });
  }

  /**
   * The backward pass over rows [from, from + count) from ∂L/∂output at `dOutput` ([rows,
   * outputs]): the weight gradient of these rows into `grad` when `params`, and ∂L/∂input into
   * these rows of `inputGradient` when `input`. Between layers the half works in its own buffers.
   */
  private backwardRows(calls: KernelCalls, dOutput: number, from: number, count: number, want: { readonly params: boolean; readonly input: boolean }, grad: Buffer, half: 0 | 1): void {
    const [ping, pong] = half === 0 ? [this.ping, this.pong] : [this.secondPing, this.secondPong];
    // The pass's gradient: at first this half's rows of dOutput, then rows 0… of its own buffers.
    let d = rowAt(dOutput, from, this.outputs);
    let spare = ping;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i]!;
      const x = rowAt(i === 0 ? this.lastInput!.ptr : this.h[i - 1]!.ptr, from, l.inputs);
      if (want.params) {
        calls.matmul(x, 1, l.inputs, d, Arena.at(grad, this.layout[2 * i]!.offset), l.inputs, count, l.width, 0, 0, 0, false);
        calls.columnSums(d, Arena.at(grad, this.layout[2 * i + 1]!.offset), count, l.width);
      }
      if (i === 0 && !want.input) return;
      const wt = this.transposedWeight[half].ptr;
      calls.transpose(l.w, wt, l.inputs, l.width);
      const out = i === 0 ? rowAt(this.inputGradient.ptr, from, l.inputs) : spare.ptr;
      calls.matmul(d, l.width, 1, wt, out, count, l.width, l.inputs, 0, 0, 0, false);
      if (i > 0) {
        const w = l.inputs;
        calls.activationBackward(rowAt(this.z[i - 1]!.ptr, from, w), rowAt(this.h[i - 1]!.ptr, from, w), out, count * w, this.kind);
      }
      d = out;
      spare = spare === ping ? pong : ping;
    }
  }

  forwardWithSlopes(input: Buffer, rows: number, points: number): Buffer {
    return this.run(input, rows, points);
  }

  /** The forward pass with tangent rows for the last `points` rows (forwardWithSlopes), on this thread's products. */
  private run(input: Buffer, rows: number, points: number): Buffer {
    const tangents = points * this.inputs;
    this.reserve(rows + tangents, points);
    const k = this.arena.k;
    const matmul = this.arena.products.matmul;
    if (tangents > 0) {
      // Tangent rows for axis j are the unit vector e_j: their first product is row j of W.
      const unit = this.arena.view(input, tangents * this.inputs, rows * this.inputs).fill(0);
      for (let j = 0; j < this.inputs; j++) {
        for (let i = 0; i < points; i++) unit[(j * points + i) * this.inputs + j] = 1;
      }
    }
    const first = rows - points;
    let x = input.ptr;
    this.layers.forEach((l, i) => {
      const z = this.z[i]!.ptr;
      const hidden = i < this.layers.length - 1;
      const h = hidden ? this.h[i]!.ptr : 0;
      const slope = this.storedSlope;
      matmul(x, l.inputs, 1, l.w, z, rows, l.inputs, l.width, l.b, slope === undefined ? 0 : h, slope ?? 0, false);
      // Tangents are linear in the input: no bias.
      if (tangents > 0) matmul(rowAt(x, rows, l.inputs), l.inputs, 1, l.w, rowAt(z, rows, l.width), tangents, l.inputs, l.width, 0, 0, 0, false);
      if (hidden) {
        if (slope === undefined) k.activate(z, h, rows * l.width, this.kind);
        if (tangents > 0) {
          const s = this.slopes[i]!.ptr;
          k.activationSlope(rowAt(z, first, l.width), rowAt(h, first, l.width), s, points * l.width, this.kind);
          for (let j = 0; j < this.inputs; j++) {
            const row = rows + j * points;
            k.multiply(s, rowAt(z, row, l.width), rowAt(h, row, l.width), points * l.width, false);
          }
        }
        x = h;
      }
    });
    this.lastInput = input;
    this.lastPoints = points;
    return { ptr: this.z[this.layers.length - 1]!.ptr, length: (rows + tangents) * this.outputs };
  }

  backward(dOutput: Buffer, rows: number, want: { readonly params: boolean; readonly input: boolean }): Buffer | undefined {
    if (this.lastPoints > 0) return this.backwardWithTangents(dOutput, rows, want);
    const k = this.arena.k;
    const split = halfway(rows);
    if (split === undefined) {
      this.backwardRows(k, dOutput.ptr, 0, rows, want, this.grad, 0);
    } else {
      this.arena.products.halves(
        () => this.backwardRows(k, dOutput.ptr, 0, split, want, this.grad, 0),
        (calls) => this.backwardRows(calls, dOutput.ptr, split, rows - split, want, this.secondGrad, 1),
      );
      if (want.params) k.addInto(this.grad.ptr, this.secondGrad.ptr, this.grad.length);
    }
    return want.input ? { ptr: this.inputGradient.ptr, length: rows * this.inputs } : undefined;
  }

  /** backward() after forwardWithSlopes: the tangent rows' adjoints reach the weights through the slopes too. */
  private backwardWithTangents(dOutput: Buffer, rows: number, want: { readonly params: boolean; readonly input: boolean }): Buffer | undefined {
    const k = this.arena.k;
    const matmul = this.arena.products.matmul;
    const points = this.lastPoints;
    const tangents = points * this.inputs;
    const total = rows + tangents;
    const first = rows - points;
    if (want.input && tangents > 0) throw new Error('no input gradient through the tangent rows');
    // With piecewise-linear activations the interpolates' own rows [first, rows) carry no
    // adjoint (f(x̂) is not in the loss, and the slopes have no derivative): they are skipped.
    const primal = tangents > 0 && !this.curved ? first : rows;
    const spans: readonly (readonly [from: number, count: number])[] = primal === rows ? [[0, total]] : [[0, primal], [rows, tangents]];
    let d = dOutput.ptr;
    let spare = this.ping;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i]!;
      const x = i === 0 ? this.lastInput!.ptr : this.h[i - 1]!.ptr;
      if (want.params) {
        // Xᵀ·dZ, reading X through transposed strides: over the tangent rows too, which is the
        // tangents' share of the weight gradient (for the first layer, its rows e_j pick row j).
        const gw = Arena.at(this.grad, this.layout[2 * i]!.offset);
        spans.forEach(([from, count], s) => matmul(rowAt(x, from, l.inputs), 1, l.inputs, rowAt(d, from, l.width), gw, l.inputs, count, l.width, 0, 0, 0, s > 0));
        k.columnSums(d, Arena.at(this.grad, this.layout[2 * i + 1]!.offset), primal, l.width);
      }
      if (i === 0 && !want.input) return undefined;
      k.transpose(l.w, this.transposedWeight[0].ptr, l.inputs, l.width);
      for (const [from, count] of spans) matmul(rowAt(d, from, l.width), l.width, 1, this.transposedWeight[0].ptr, rowAt(spare.ptr, from, l.inputs), count, l.width, l.inputs, 0, 0, 0, false);
      if (i > 0) {
        const w = l.inputs;
        const z = this.z[i - 1]!.ptr;
        const h = this.h[i - 1]!.ptr;
        const dh = spare.ptr;
        // Each tangent row was slope ⊙ ż: its adjoint reaches the slope (Σ over the axes) and ż.
        const sBar = tangents > 0 && this.curved ? this.slopeAdjoint.ptr : 0;
        if (sBar) {
          for (let j = 0; j < this.inputs; j++) k.multiply(rowAt(z, rows + j * points, w), rowAt(dh, rows + j * points, w), sBar, points * w, j > 0);
        }
        k.activationBackward(z, h, dh, primal * w, this.kind);
        if (tangents > 0) {
          if (sBar) k.curvatureBackward(rowAt(z, first, w), rowAt(h, first, w), sBar, rowAt(dh, first, w), points * w, this.kind);
          for (let j = 0; j < this.inputs; j++) k.multiply(rowAt(dh, rows + j * points, w), this.slopes[i - 1]!.ptr, rowAt(dh, rows + j * points, w), points * w, false);
        }
      }
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

export function fusedMlp(arena: Arena, initial: PackedParameters, shape: MlpShape): FusedMlp {
  return new Mlp(arena, initial, shape);
}

export function fusedAffine(arena: Arena, initial: PackedParameters, shape: AffineShape): FusedNetwork {
  return new Affine(arena, initial, shape);
}
