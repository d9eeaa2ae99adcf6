/**
 * The fused kernel's matrix product against a float64 reference, over the shapes its special
 * paths take (one or two columns, one or two inner terms, fewer than four rows, A read
 * transposed) with bias, stored leaky ReLU and accumulation; and a row's bits independent of
 * which rows are computed with it, which is what makes splitting a product across threads exact.
 */
import assert from 'node:assert/strict';
import { Arena, type Buffer } from '../../../src/training/fused/kernel';

interface Case {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** A stored as [k, m] and read transposed (a weight gradient Xᵀ·dZ). */
  readonly transposed: boolean;
  readonly bias: boolean;
  readonly relu: boolean;
  readonly accumulate: boolean;
}

const SLOPE = 0.2;

function cases(): Case[] {
  const out: Case[] = [];
  for (const m of [1, 2, 3, 5, 8, 17, 37]) {
    for (const k of [1, 2, 3, 5, 64, 131]) {
      for (const n of [1, 2, 3, 4, 9, 16, 33]) {
        for (const transposed of [false, true]) {
          // The flags cycle with the shape, so every path meets each of them.
          const f = (m + k + n + (transposed ? 1 : 0)) % 4;
          out.push({ m, k, n, transposed, bias: f === 1 || f === 3, relu: f === 2 || (f === 3 && n > 2), accumulate: f === 0 });
        }
      }
    }
  }
  return out;
}

/** Deterministic values in [−1, 1), different for each buffer. */
function fill(arena: Arena, b: Buffer, salt: number): Float32Array {
  const v = arena.view(b);
  for (let i = 0; i < v.length; i++) v[i] = Math.sin(i * 0.618 + salt * 1.7) * 0.999;
  return v.slice();
}

function run(arena: Arena, c: Case, rows: readonly [number, number][] = [[0, c.m]]): { got: Float32Array; relu: Float32Array; want: Float64Array; scale: Float64Array } {
  const { m, k, n } = c;
  const a = arena.alloc(m * k);
  const b = arena.alloc(k * n);
  const bias = arena.alloc(n);
  const out = arena.alloc(m * n);
  const h = arena.alloc(m * n);
  const av = fill(arena, a, 1);
  const bv = fill(arena, b, 2);
  const biasV = fill(arena, bias, 3);
  const start = fill(arena, out, 4);
  const [rowStep, colStep] = c.transposed ? [1, m] : [k, 1];
  const at = (i: number, p: number): number => av[i * rowStep + p * colStep]!;
  const want = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = c.accumulate ? start[i * n + j]! : c.bias ? biasV[j]! : 0;
      let abs = Math.abs(s);
      for (let p = 0; p < k; p++) {
        s += at(i, p) * bv[p * n + j]!;
        abs += Math.abs(at(i, p) * bv[p * n + j]!);
      }
      want[i * n + j] = s;
      scale[i * n + j] = abs;
    }
  }
  for (const [from, to] of rows) {
    arena.products.matmul(a.ptr + 4 * from * rowStep, rowStep, colStep, b.ptr, out.ptr + 4 * from * n, to - from, k, n, c.bias && !c.accumulate ? bias.ptr : 0, c.relu ? h.ptr + 4 * from * n : 0, SLOPE, c.accumulate);
  }
  return { got: arena.view(out).slice(), relu: arena.view(h).slice(), want, scale };
}

const label = (c: Case): string => `${c.m}×${c.k}×${c.n}${c.transposed ? ' Aᵀ' : ''}${c.bias ? ' +bias' : ''}${c.relu ? ' relu' : ''}${c.accumulate ? ' +=' : ''}`;

describe('fused kernel products', () => {
  it('match a float64 product for every path and flag', () => {
    for (const c of cases()) {
      const { got, relu, want, scale } = run(new Arena(1), c);
      for (let e = 0; e < want.length; e++) {
        // float32 rounding of k terms: a few ulps of the sum of magnitudes.
        const tol = 4e-7 * (c.k + 2) * scale[e]! + 1e-30;
        assert.ok(Math.abs(got[e]! - want[e]!) <= tol, `${label(c)}: entry ${e} is ${got[e]}, expected ${want[e]}`);
        if (c.relu) {
          const x = got[e]!;
          assert.equal(relu[e], x > 0 ? x : Math.fround(x * Math.fround(SLOPE)), `${label(c)}: stored leaky ReLU at ${e}`);
        }
      }
    }
  });

  it('give each row the same bits whichever rows it is computed with', () => {
    for (const c of cases().filter((x) => x.m >= 8)) {
      const whole = run(new Arena(1), c).got;
      // Splits at multiples of four, as the threads' chunks fall, and a ragged last piece.
      const cut = 4 * Math.floor(c.m / 8);
      const pieces = run(new Arena(1), c, [[0, cut], [cut, c.m]]).got;
      assert.deepEqual(pieces, whole, label(c));
    }
  });
});
