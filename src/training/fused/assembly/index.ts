// The fused training kernel, in AssemblyScript (compiled to WebAssembly with SIMD by
// `npm run build`). It holds no state and allocates nothing: the JavaScript side lays out one
// linear memory (parameters, gradients, optimiser moments, activations) and passes byte
// offsets. Every array is float32, row-major.

// Activation codes and the leaky ReLU's slope, exported: the loader (../kernel.ts) reads the
// codes from here and checks the slope against the one the engines share.
export const LINEAR = 0;
export const LEAKY_RELU = 1;
export const RELU = 2;
export const TANH = 3;
export const ELU = 4;
export const SIGMOID = 5;

export const LEAKY_SLOPE: f32 = 0.2;

/** Where JavaScript may start placing arrays: past the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** acc + a·b: one fused multiply-add in the relaxed-SIMD build, a multiply and an add otherwise. */
@inline function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** Stores a block of C, and its (leaky) ReLU into H when h is not 0. */
@inline function put(c: usize, h: usize, offset: usize, value: v128, slope: v128): void {
  v128.store(c + offset, value);
  // max(x, a·x) is x for x > 0 and a·x below, for 0 ≤ a ≤ 1.
  if (h) v128.store(h + offset, f32x4.max(value, f32x4.mul(value, slope)));
}

@inline function putScalar(c: usize, h: usize, offset: usize, value: f32, slope: f32): void {
  store<f32>(c + offset, value);
  if (h) store<f32>(h + offset, value > 0 ? value : value * slope);
}

/**
 * C[m, n] = A[m, k] · B[k, n] (+ bias[n] when bias is not 0), with A read through strides:
 * A[i, p] is at a + 4·(i·rowStep + p·colStep), so Aᵀ·B (the weight gradient Xᵀ·dZ) runs
 * without copying X. Four rows by eight columns of C stay in registers while p runs, so each
 * load of B serves four rows. When h is not 0, H = max(C, slope·C) is stored too: a layer's
 * (leaky) ReLU without a second pass over memory. With `accumulate`, C += A·B (no bias).
 */
export function matmul(a: usize, rowStep: i32, colStep: i32, b: usize, c: usize, m: i32, k: i32, n: i32, bias: usize, h: usize, slope: f32, accumulate: bool): void {
  if (n == 1 && colStep == 1 && !h && !accumulate) {
    dotRows(a, rowStep, b, c, m, k, bias);
    return;
  }
  if (n == 2 && colStep == 1 && !h) {
    dotRowsTwo(a, rowStep, b, c, m, k, bias, accumulate);
    return;
  }
  if (n == 1 && rowStep == 1 && !h && !bias) {
    // c = Σ_p b[p] · A[:, p] for columns of A that are contiguous (A read transposed).
    combineRows(a, (<usize>colStep) << 2, b, c, m, k, accumulate);
    return;
  }
  if (n == 2 && rowStep == 1 && !h && !bias) {
    combineRowsTwo(a, (<usize>colStep) << 2, b, c, m, k, accumulate);
    return;
  }
  // A long k (the batch, in Xᵀ·dZ) runs in slices whose panels of A and B stay in cache;
  // each slice adds to C.
  for (let p0 = 0; p0 < k; p0 += K_SLICE) {
    const last = p0 + K_SLICE >= k;
    const adding = accumulate || p0 > 0;
    panel(a + <usize>p0 * ((<usize>colStep) << 2), rowStep, colStep, b + <usize>p0 * ((<usize>n) << 2), c, m, last ? k - p0 : K_SLICE, n, adding ? 0 : bias, last ? h : 0, slope, adding);
  }
}

/** Rows of B per slice of matmul (measured best of 64–512 on the large benchmark's Xᵀ·dZ). */
const K_SLICE = 64;

@inline function start(accumulate: bool, c: usize, bias: usize, o: usize): v128 {
  return accumulate ? v128.load(c + o) : bias ? v128.load(bias + o) : f32x4.splat(0);
}

function panel(a: usize, rowStep: i32, colStep: i32, b: usize, c: usize, m: i32, k: i32, n: i32, bias: usize, h: usize, slope: f32, accumulate: bool): void {
  const slopes = f32x4.splat(slope);
  const rowA = (<usize>rowStep) << 2;
  const stepA = (<usize>colStep) << 2;
  const rowB = (<usize>n) << 2;
  const dh = h - c;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = a + <usize>i * rowA;
    const a1 = a0 + rowA;
    const a2 = a1 + rowA;
    const a3 = a2 + rowA;
    const c0 = c + <usize>i * rowB;
    const c1 = c0 + rowB;
    const c2 = c1 + rowB;
    const c3 = c2 + rowB;
    const h0 = h ? c0 + dh : 0;
    const h1 = h ? c1 + dh : 0;
    const h2 = h ? c2 + dh : 0;
    const h3 = h ? c3 + dh : 0;
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const o = (<usize>j) << 2;
      let s00 = start(accumulate, c0, bias, o), s01 = start(accumulate, c0, bias, o + 16);
      let s10 = start(accumulate, c1, bias, o), s11 = start(accumulate, c1, bias, o + 16);
      let s20 = start(accumulate, c2, bias, o), s21 = start(accumulate, c2, bias, o + 16);
      let s30 = start(accumulate, c3, bias, o), s31 = start(accumulate, c3, bias, o + 16);
      let pb = b + o;
      let q: usize = 0;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        const x0 = v128.load32_splat(a0 + q);
        const x1 = v128.load32_splat(a1 + q);
        const x2 = v128.load32_splat(a2 + q);
        const x3 = v128.load32_splat(a3 + q);
        s00 = madd(s00, x0, b0); s01 = madd(s01, x0, b1);
        s10 = madd(s10, x1, b0); s11 = madd(s11, x1, b1);
        s20 = madd(s20, x2, b0); s21 = madd(s21, x2, b1);
        s30 = madd(s30, x3, b0); s31 = madd(s31, x3, b1);
        pb += rowB;
        q += stepA;
      }
      put(c0, h0, o, s00, slopes); put(c0, h0, o + 16, s01, slopes);
      put(c1, h1, o, s10, slopes); put(c1, h1, o + 16, s11, slopes);
      put(c2, h2, o, s20, slopes); put(c2, h2, o + 16, s21, slopes);
      put(c3, h3, o, s30, slopes); put(c3, h3, o + 16, s31, slopes);
    }
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      let s0 = start(accumulate, c0, bias, o), s1 = start(accumulate, c1, bias, o);
      let s2 = start(accumulate, c2, bias, o), s3 = start(accumulate, c3, bias, o);
      let pb = b + o;
      let q: usize = 0;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(pb);
        s0 = madd(s0, v128.load32_splat(a0 + q), b0);
        s1 = madd(s1, v128.load32_splat(a1 + q), b0);
        s2 = madd(s2, v128.load32_splat(a2 + q), b0);
        s3 = madd(s3, v128.load32_splat(a3 + q), b0);
        pb += rowB;
        q += stepA;
      }
      put(c0, h0, o, s0, slopes); put(c1, h1, o, s1, slopes); put(c2, h2, o, s2, slopes); put(c3, h3, o, s3, slopes);
    }
    for (; j < n; j++) {
      for (let r = 0; r < 4; r++) scalarEntry(a + <usize>(i + r) * rowA, stepA, b, c + <usize>(i + r) * rowB, h ? c + <usize>(i + r) * rowB + dh : 0, k, n, j, bias, slope, accumulate);
    }
  }
  for (; i < m; i++) {
    const ai = a + <usize>i * rowA;
    const ci = c + <usize>i * rowB;
    const hi = h ? ci + dh : 0;
    let j = 0;
    // Four independent sums, not one chain waiting on each multiply-add: the first layer's
    // weight gradient (Xᵀ·dZ with one or two input rows) is all remainder rows.
    for (; j + 16 <= n; j += 16) {
      const o = (<usize>j) << 2;
      let s0 = start(accumulate, ci, bias, o), s1 = start(accumulate, ci, bias, o + 16);
      let s2 = start(accumulate, ci, bias, o + 32), s3 = start(accumulate, ci, bias, o + 48);
      let pb = b + o;
      let q: usize = 0;
      for (let p = 0; p < k; p++) {
        const x = v128.load32_splat(ai + q);
        s0 = madd(s0, x, v128.load(pb));
        s1 = madd(s1, x, v128.load(pb, 16));
        s2 = madd(s2, x, v128.load(pb, 32));
        s3 = madd(s3, x, v128.load(pb, 48));
        pb += rowB;
        q += stepA;
      }
      put(ci, hi, o, s0, slopes); put(ci, hi, o + 16, s1, slopes); put(ci, hi, o + 32, s2, slopes); put(ci, hi, o + 48, s3, slopes);
    }
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      let s = start(accumulate, ci, bias, o);
      let pb = b + o;
      let q: usize = 0;
      for (let p = 0; p < k; p++) {
        s = madd(s, v128.load32_splat(ai + q), v128.load(pb));
        pb += rowB;
        q += stepA;
      }
      put(ci, hi, o, s, slopes);
    }
    for (; j < n; j++) scalarEntry(ai, stepA, b, ci, hi, k, n, j, bias, slope, accumulate);
  }
}

@inline function scalarEntry(ai: usize, stepA: usize, b: usize, ci: usize, hi: usize, k: i32, n: i32, j: i32, bias: usize, slope: f32, accumulate: bool): void {
  let s: f32 = accumulate ? load<f32>(ci + ((<usize>j) << 2)) : bias ? load<f32>(bias + ((<usize>j) << 2)) : 0;
  for (let p = 0; p < k; p++) s += load<f32>(ai + <usize>p * stepA) * load<f32>(b + ((<usize>(p * n + j)) << 2));
  putScalar(ci, hi, (<usize>j) << 2, s, slope);
}

/** The sum of a vector's lanes, in one fixed order. */
@inline function lanes(s: v128): f32 {
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

/**
 * c[i] = A[i, :] · b (+ bias[0]) for rows of A that are contiguous: the last layer's output.
 * Four rows at a time for four independent chains; each row is summed the same way in a group
 * or alone, so a row's value does not depend on where a split of the rows falls.
 */
function dotRows(a: usize, rowStep: i32, b: usize, c: usize, m: i32, k: i32, bias: usize): void {
  const row = (<usize>rowStep) << 2;
  const b0: f32 = bias ? load<f32>(bias) : 0;
  const k4 = k & ~3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = a + <usize>i * row;
    const a1 = a0 + row;
    const a2 = a1 + row;
    const a3 = a2 + row;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    for (let p = 0; p < k4; p += 4) {
      const o = (<usize>p) << 2;
      const x = v128.load(b + o);
      s0 = madd(s0, v128.load(a0 + o), x);
      s1 = madd(s1, v128.load(a1 + o), x);
      s2 = madd(s2, v128.load(a2 + o), x);
      s3 = madd(s3, v128.load(a3 + o), x);
    }
    store<f32>(c + ((<usize>i) << 2), dotTail(a0, b, k4, k, lanes(s0)) + b0);
    store<f32>(c + ((<usize>(i + 1)) << 2), dotTail(a1, b, k4, k, lanes(s1)) + b0);
    store<f32>(c + ((<usize>(i + 2)) << 2), dotTail(a2, b, k4, k, lanes(s2)) + b0);
    store<f32>(c + ((<usize>(i + 3)) << 2), dotTail(a3, b, k4, k, lanes(s3)) + b0);
  }
  for (; i < m; i++) {
    const ai = a + <usize>i * row;
    let s = f32x4.splat(0);
    for (let p = 0; p < k4; p += 4) s = madd(s, v128.load(ai + ((<usize>p) << 2)), v128.load(b + ((<usize>p) << 2)));
    store<f32>(c + ((<usize>i) << 2), dotTail(ai, b, k4, k, lanes(s)) + b0);
  }
}

@inline function dotTail(ai: usize, b: usize, from: i32, k: i32, t: f32): f32 {
  for (let p = from; p < k; p++) t += load<f32>(ai + ((<usize>p) << 2)) * load<f32>(b + ((<usize>p) << 2));
  return t;
}

/**
 * C[m, 2] = A·B (+ bias) (+ C with `accumulate`) for rows of A that are contiguous: a 2-D
 * generator's last layer, and the gradient reaching a 2-D critic's input. B's two columns are
 * taken apart four rows at a time by shuffles; four rows of A share them.
 */
function dotRowsTwo(a: usize, rowStep: i32, b: usize, c: usize, m: i32, k: i32, bias: usize, accumulate: bool): void {
  const row = (<usize>rowStep) << 2;
  const k4 = k & ~3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = a + <usize>i * row;
    const a1 = a0 + row;
    const a2 = a1 + row;
    const a3 = a2 + row;
    let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
    let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
    for (let p = 0; p < k4; p += 4) {
      const o = (<usize>p) << 2;
      const lo = v128.load(b + (o << 1));
      const hi = v128.load(b + (o << 1), 16);
      const b0 = v128.shuffle<f32>(lo, hi, 0, 2, 4, 6);
      const b1 = v128.shuffle<f32>(lo, hi, 1, 3, 5, 7);
      const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o), x2 = v128.load(a2 + o), x3 = v128.load(a3 + o);
      s00 = madd(s00, x0, b0); s01 = madd(s01, x0, b1);
      s10 = madd(s10, x1, b0); s11 = madd(s11, x1, b1);
      s20 = madd(s20, x2, b0); s21 = madd(s21, x2, b1);
      s30 = madd(s30, x3, b0); s31 = madd(s31, x3, b1);
    }
    putTwo(c, i, a0, b, k4, k, s00, s01, bias, accumulate);
    putTwo(c, i + 1, a1, b, k4, k, s10, s11, bias, accumulate);
    putTwo(c, i + 2, a2, b, k4, k, s20, s21, bias, accumulate);
    putTwo(c, i + 3, a3, b, k4, k, s30, s31, bias, accumulate);
  }
  for (; i < m; i++) {
    const ai = a + <usize>i * row;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
    for (let p = 0; p < k4; p += 4) {
      const o = (<usize>p) << 2;
      const lo = v128.load(b + (o << 1));
      const hi = v128.load(b + (o << 1), 16);
      const x = v128.load(ai + o);
      s0 = madd(s0, x, v128.shuffle<f32>(lo, hi, 0, 2, 4, 6));
      s1 = madd(s1, x, v128.shuffle<f32>(lo, hi, 1, 3, 5, 7));
    }
    putTwo(c, i, ai, b, k4, k, s0, s1, bias, accumulate);
  }
}

/** Row i of a two-column C from its lane sums, the tail of the row and the bias or C. */
@inline function putTwo(c: usize, i: i32, ai: usize, b: usize, from: i32, k: i32, s0: v128, s1: v128, bias: usize, accumulate: bool): void {
  let t0 = lanes(s0), t1 = lanes(s1);
  for (let p = from; p < k; p++) {
    const x = load<f32>(ai + ((<usize>p) << 2));
    t0 += x * load<f32>(b + ((<usize>p) << 3));
    t1 += x * load<f32>(b + ((<usize>p) << 3), 4);
  }
  const ci = c + ((<usize>i) << 3);
  if (accumulate) {
    t0 += load<f32>(ci);
    t1 += load<f32>(ci, 4);
  } else if (bias) {
    t0 += load<f32>(bias);
    t1 += load<f32>(bias, 4);
  }
  store<f32>(ci, t0);
  store<f32>(ci, t1, 4);
}

/**
 * C[m, 2] = Σ_p A[p, :]ᵀ · w[p, :] over k rows of A, row p at a + p·step bytes (A read
 * transposed), with `accumulate` C += it: a 2-D generator's last weight gradient Xᵀ·dZ. Eight
 * entries of each column stay in registers while p runs; each is summed in p's order, in a
 * block or alone.
 */
function combineRowsTwo(a: usize, step: usize, w: usize, c: usize, m: i32, k: i32, accumulate: bool): void {
  let i = 0;
  for (; i + 8 <= m; i += 8) {
    const o = (<usize>i) << 2;
    const co = c + (o << 1);
    let s0a = f32x4.splat(0), s0b = f32x4.splat(0), s1a = f32x4.splat(0), s1b = f32x4.splat(0);
    if (accumulate) {
      // C's rows interleave the two columns: take them apart.
      const r0 = v128.load(co), r1 = v128.load(co, 16), r2 = v128.load(co, 32), r3 = v128.load(co, 48);
      s0a = v128.shuffle<f32>(r0, r1, 0, 2, 4, 6); s1a = v128.shuffle<f32>(r0, r1, 1, 3, 5, 7);
      s0b = v128.shuffle<f32>(r2, r3, 0, 2, 4, 6); s1b = v128.shuffle<f32>(r2, r3, 1, 3, 5, 7);
    }
    let ap = a + o;
    for (let p = 0; p < k; p++) {
      const pw = w + ((<usize>p) << 3);
      const w0 = v128.load32_splat(pw);
      const w1 = v128.load32_splat(pw, 4);
      const x0 = v128.load(ap);
      const x1 = v128.load(ap, 16);
      s0a = madd(s0a, x0, w0); s1a = madd(s1a, x0, w1);
      s0b = madd(s0b, x1, w0); s1b = madd(s1b, x1, w1);
      ap += step;
    }
    v128.store(co, v128.shuffle<f32>(s0a, s1a, 0, 4, 1, 5));
    v128.store(co, v128.shuffle<f32>(s0a, s1a, 2, 6, 3, 7), 16);
    v128.store(co, v128.shuffle<f32>(s0b, s1b, 0, 4, 1, 5), 32);
    v128.store(co, v128.shuffle<f32>(s0b, s1b, 2, 6, 3, 7), 48);
  }
  for (; i + 4 <= m; i += 4) {
    const o = (<usize>i) << 2;
    const co = c + (o << 1);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
    if (accumulate) {
      const r0 = v128.load(co), r1 = v128.load(co, 16);
      s0 = v128.shuffle<f32>(r0, r1, 0, 2, 4, 6); s1 = v128.shuffle<f32>(r0, r1, 1, 3, 5, 7);
    }
    let ap = a + o;
    for (let p = 0; p < k; p++) {
      const pw = w + ((<usize>p) << 3);
      const x = v128.load(ap);
      s0 = madd(s0, x, v128.load32_splat(pw));
      s1 = madd(s1, x, v128.load32_splat(pw, 4));
      ap += step;
    }
    v128.store(co, v128.shuffle<f32>(s0, s1, 0, 4, 1, 5));
    v128.store(co, v128.shuffle<f32>(s0, s1, 2, 6, 3, 7), 16);
  }
  for (; i < m; i++) {
    const o = (<usize>i) << 2;
    const co = c + (o << 1);
    let t0: f32 = accumulate ? load<f32>(co) : 0, t1: f32 = accumulate ? load<f32>(co, 4) : 0;
    for (let p = 0; p < k; p++) {
      const x = load<f32>(a + <usize>p * step + o);
      t0 += x * load<f32>(w + ((<usize>p) << 3));
      t1 += x * load<f32>(w + ((<usize>p) << 3), 4);
    }
    store<f32>(co, t0);
    store<f32>(co, t1, 4);
  }
}

/**
 * c[i] = Σ_p w[p] · A[p, i] over k rows of A, row p at a + p·step bytes, or the plain sums
 * when w is 0: the last layer's weight gradient Xᵀ·dz, and a bias gradient. Sixteen entries of c
 * stay in registers while p runs (a store and reload per p would wait on the store each time);
 * a weight of 1 adds exactly, fused or not. With `accumulate`, c += the sums.
 */
function combineRows(a: usize, step: usize, w: usize, c: usize, m: i32, k: i32, accumulate: bool): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 16 <= m; i += 16) {
    const o = (<usize>i) << 2;
    const zero = f32x4.splat(0);
    let s0 = accumulate ? v128.load(c + o) : zero, s1 = accumulate ? v128.load(c + o, 16) : zero;
    let s2 = accumulate ? v128.load(c + o, 32) : zero, s3 = accumulate ? v128.load(c + o, 48) : zero;
    let ap = a + o;
    for (let p = 0; p < k; p++) {
      const x = w ? v128.load32_splat(w + ((<usize>p) << 2)) : one;
      s0 = madd(s0, v128.load(ap), x);
      s1 = madd(s1, v128.load(ap, 16), x);
      s2 = madd(s2, v128.load(ap, 32), x);
      s3 = madd(s3, v128.load(ap, 48), x);
      ap += step;
    }
    v128.store(c + o, s0);
    v128.store(c + o, s1, 16);
    v128.store(c + o, s2, 32);
    v128.store(c + o, s3, 48);
  }
  for (; i + 4 <= m; i += 4) {
    const o = (<usize>i) << 2;
    let s = accumulate ? v128.load(c + o) : f32x4.splat(0);
    let ap = a + o;
    for (let p = 0; p < k; p++) {
      s = madd(s, v128.load(ap), w ? v128.load32_splat(w + ((<usize>p) << 2)) : one);
      ap += step;
    }
    v128.store(c + o, s);
  }
  for (; i < m; i++) {
    const o = (<usize>i) << 2;
    let s: f32 = accumulate ? load<f32>(c + o) : 0;
    for (let p = 0; p < k; p++) s += load<f32>(a + <usize>p * step + o) * (w ? load<f32>(w + ((<usize>p) << 2)) : 1);
    store<f32>(c + o, s);
  }
}

/** dst[cols, rows] = src[rows, cols]ᵀ, so that backward passes are plain products. */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const s = src + ((<usize>(r * cols)) << 2);
    for (let c = 0; c < cols; c++) store<f32>(dst + ((<usize>(c * rows + r)) << 2), load<f32>(s + ((<usize>c) << 2)));
  }
}

/** out[j] = Σᵢ src[i, j]: a bias gradient. */
export function columnSums(src: usize, out: usize, rows: i32, cols: i32): void {
  combineRows(src, (<usize>cols) << 2, 0, out, cols, rows, false);
}

/** h = activation(z), elementwise; one loop per kind, SIMD where the kind is piecewise linear. */
export function activate(z: usize, h: usize, len: i32, kind: i32): void {
  let i = 0;
  if (kind == LEAKY_RELU || kind == RELU || kind == LINEAR) {
    const slope = f32x4.splat(kind == LEAKY_RELU ? LEAKY_SLOPE : kind == RELU ? 0 : 1);
    for (; i + 4 <= len; i += 4) {
      const o = (<usize>i) << 2;
      const x = v128.load(z + o);
      // max(x, a·x) is x for x > 0 and a·x below, for 0 ≤ a ≤ 1.
      v128.store(h + o, f32x4.max(x, f32x4.mul(x, slope)));
    }
    const a: f32 = f32x4.extract_lane(slope, 0);
    for (; i < len; i++) {
      const o = (<usize>i) << 2;
      const x = load<f32>(z + o);
      store<f32>(h + o, x > 0 ? x : x * a);
    }
  } else if (kind == TANH) {
    for (; i < len; i++) store<f32>(h + ((<usize>i) << 2), Mathf.tanh(load<f32>(z + ((<usize>i) << 2))));
  } else if (kind == ELU) {
    for (; i < len; i++) {
      const x = load<f32>(z + ((<usize>i) << 2));
      store<f32>(h + ((<usize>i) << 2), x > 0 ? x : Mathf.exp(x) - 1);
    }
  } else if (kind == SIGMOID) {
    for (; i < len; i++) store<f32>(h + ((<usize>i) << 2), 1 / (1 + Mathf.exp(-load<f32>(z + ((<usize>i) << 2)))));
  }
}

/**
 * activation′ from the pre-activation z and the output h, with tfjs's conventions at the kinks
 * (leaky ReLU's slope at 0 is 0.2, ReLU's is 0, ELU's is 1), so both engines take the same step.
 */
@inline function derivative(kind: i32, z: f32, h: f32): f32 {
  if (kind == LEAKY_RELU) return z > 0 ? 1 : LEAKY_SLOPE;
  if (kind == RELU) return z > 0 ? 1 : 0;
  if (kind == TANH) return 1 - h * h;
  if (kind == ELU) return h >= 0 ? 1 : h + 1;
  if (kind == SIGMOID) return h * (1 - h);
  return 1;
}

/**
 * activation′ as the tangents use it, the tfjs engine's slope (networks.ts activationSlope):
 * `derivative` but for ELU, whose slope there is exp(min(z, 0)) rather than its gradient's h + 1.
 */
@inline function tangentSlope(kind: i32, z: f32, h: f32): f32 {
  return kind == ELU ? (z >= 0 ? 1 : Mathf.exp(z)) : derivative(kind, z, h);
}

/**
 * activation″, the derivative of `derivative` as tfjs differentiates the slope the gradient
 * penalty is written with (networks.ts activationSlope): 0 for the piecewise-linear kinds.
 */
@inline function curvature(kind: i32, z: f32, h: f32): f32 {
  if (kind == TANH) return -2 * h * (1 - h * h);
  if (kind == SIGMOID) return h * (1 - h) * (1 - 2 * h);
  if (kind == ELU) return z < 0 ? Mathf.exp(z) : 0;
  return 0;
}

/** The slope below 0 of a piecewise-linear kind, or −1 for the curved ones. */
@inline function linearSlope(kind: i32): f32 {
  return kind == LEAKY_RELU ? LEAKY_SLOPE : kind == RELU ? 0 : kind == LINEAR ? 1 : -1;
}

/** A piecewise-linear kind's slopes at four pre-activations: 1 above 0, `below` at 0 and under. */
@inline function linearSlopes(z: usize, o: usize, below: v128): v128 {
  return v128.bitselect(f32x4.splat(1), below, f32x4.gt(v128.load(z + o), f32x4.splat(0)));
}

/** d ← d · activation′ in place, from the pre-activation z and the output h. */
export function activationBackward(z: usize, h: usize, d: usize, len: i32, kind: i32): void {
  let i = 0;
  const a = linearSlope(kind);
  if (a >= 0) {
    const below = f32x4.splat(a);
    for (; i + 4 <= len; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(d + o, f32x4.mul(v128.load(d + o), linearSlopes(z, o, below)));
    }
  }
  for (; i < len; i++) {
    const o = (<usize>i) << 2;
    store<f32>(d + o, load<f32>(d + o) * derivative(kind, load<f32>(z + o), load<f32>(h + o)));
  }
}

/** s = activation′(z): the slopes that carry the input tangents through a layer. */
export function activationSlope(z: usize, h: usize, s: usize, len: i32, kind: i32): void {
  let i = 0;
  const a = linearSlope(kind);
  if (a >= 0) {
    const below = f32x4.splat(a);
    for (; i + 4 <= len; i += 4) v128.store(s + ((<usize>i) << 2), linearSlopes(z, (<usize>i) << 2, below));
  }
  for (; i < len; i++) {
    const o = (<usize>i) << 2;
    store<f32>(s + o, tangentSlope(kind, load<f32>(z + o), load<f32>(h + o)));
  }
}

/** d ← d + activation″(z) · sBar: how a slope's adjoint reaches the pre-activation. */
export function curvatureBackward(z: usize, h: usize, sBar: usize, d: usize, len: i32, kind: i32): void {
  for (let i = 0; i < len; i++) {
    const o = (<usize>i) << 2;
    store<f32>(d + o, load<f32>(d + o) + curvature(kind, load<f32>(z + o), load<f32>(h + o)) * load<f32>(sBar + o));
  }
}

/** dst += src elementwise: the second half of a pass's weight gradient onto the first's. */
export function addInto(dst: usize, src: usize, len: i32): void {
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < len; i++) {
    const o = (<usize>i) << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/** out = a ⊙ b elementwise (out may be a or b); with `accumulate`, out += a ⊙ b. */
export function multiply(a: usize, b: usize, out: usize, len: i32, accumulate: bool): void {
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = (<usize>i) << 2;
    const p = f32x4.mul(v128.load(a + o), v128.load(b + o));
    v128.store(out + o, accumulate ? f32x4.add(v128.load(out + o), p) : p);
  }
  for (; i < len; i++) {
    const o = (<usize>i) << 2;
    const p = load<f32>(a + o) * load<f32>(b + o);
    store<f32>(out + o, accumulate ? load<f32>(out + o) + p : p);
  }
}

/**
 * The gradient penalty's mean over `points` input gradients g (direction-major: g[k·points + i]
 * is ∂f/∂x_k at point i): (‖g‖ − 1)², or max(0, ‖g‖ − 1)² when one-sided, with ‖g‖ = |g| in
 * one dimension and √(Σ g² + 10⁻¹²) in more, as the tfjs engine writes it. Writes
 * ∂(scale · penalty)/∂g into dg, with tfjs's sign(0) = −1 of |g|.
 */
export function gradientPenalty(g: usize, dg: usize, points: i32, dims: i32, scale: f32, oneSided: bool): f64 {
  let sum: f64 = 0;
  const step = (<usize>points) << 2;
  const c: f32 = (2 * scale) / <f32>points;
  for (let i = 0; i < points; i++) {
    const o = (<usize>i) << 2;
    let norm: f32;
    if (dims == 1) {
      norm = Mathf.abs(load<f32>(g + o));
    } else {
      let s: f32 = 0;
      for (let k = 0; k < dims; k++) {
        const v = load<f32>(g + o + <usize>k * step);
        s += v * v;
      }
      norm = Mathf.sqrt(s + 1e-12);
    }
    let excess: f32 = norm - 1;
    if (oneSided && excess < 0) excess = 0;
    sum += <f64>excess * <f64>excess;
    const outer: f32 = c * excess;
    for (let k = 0; k < dims; k++) {
      const v = load<f32>(g + o + <usize>k * step);
      const slope: f32 = dims == 1 ? (v > 0 ? <f32>1 : <f32>-1) : v / norm;
      store<f32>(dg + o + <usize>k * step, outer * slope);
    }
  }
  return sum / <f64>points;
}

/** Σ g², accumulated in float64: the gradient norm that the NaN guard checks. */
export function sumOfSquares(g: usize, len: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < len; i++) {
    const x = <f64>load<f32>(g + ((<usize>i) << 2));
    s += x * x;
  }
  return s;
}

/**
 * One Adam update in place, operation for operation as tfjs's AdamOptimizer computes it in
 * float32 (the engines are checked against each other to 1e-4); 1 − β comes from the caller,
 * computed before rounding to float32 as tfjs does.
 */
export function adam(p: usize, g: usize, m: usize, v: usize, len: i32, lr: f32, beta1: f32, beta2: f32, c1: f32, c2: f32, oneMinusAcc1: f32, oneMinusAcc2: f32, eps: f32): void {
  let i = 0;
  // Four at a time, with the scalar loop's operations in its order (no fused multiply-add).
  const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2), k1 = f32x4.splat(c1), k2 = f32x4.splat(c2);
  const a1 = f32x4.splat(oneMinusAcc1), a2 = f32x4.splat(oneMinusAcc2), e = f32x4.splat(eps), rate = f32x4.splat(-lr);
  for (; i + 4 <= len; i += 4) {
    const o = (<usize>i) << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(v128.load(m + o), b1), f32x4.mul(gi, k1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + o), b2), f32x4.mul(f32x4.mul(gi, gi), k2));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const step = f32x4.div(f32x4.div(mi, a1), f32x4.add(f32x4.sqrt(f32x4.div(vi, a2)), e));
    v128.store(p + o, f32x4.add(f32x4.mul(step, rate), v128.load(p + o)));
  }
  for (; i < len; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    const mi = load<f32>(m + o) * beta1 + gi * c1;
    const vi = load<f32>(v + o) * beta2 + gi * gi * c2;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    const mHat = mi / oneMinusAcc1;
    const vHat = vi / oneMinusAcc2;
    store<f32>(p + o, (mHat / (Mathf.sqrt(vHat) + eps)) * -lr + load<f32>(p + o));
  }
}

/** RMSprop as tfjs computes it (decay 0.9, no momentum, not centred): ms and the step. */
export function rmsprop(p: usize, g: usize, ms: usize, mom: usize, len: i32, lr: f32, decay: f32, c: f32, eps: f32): void {
  for (let i = 0; i < len; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    const s = load<f32>(ms + o) * decay + gi * gi * c;
    store<f32>(ms + o, s);
    const step = (gi * lr) / Mathf.sqrt(s + eps);
    store<f32>(mom + o, step);
    store<f32>(p + o, load<f32>(p + o) - step);
  }
}

/** Plain gradient descent: p ← −lr·g + p. */
export function sgd(p: usize, g: usize, len: i32, lr: f32): void {
  for (let i = 0; i < len; i++) {
    const o = (<usize>i) << 2;
    store<f32>(p + o, load<f32>(g + o) * -lr + load<f32>(p + o));
  }
}

/** WGAN weight clipping: every parameter into [−c, c]. */
export function clip(p: usize, len: i32, c: f32): void {
  for (let i = 0; i < len; i++) {
    const o = (<usize>i) << 2;
    store<f32>(p + o, Mathf.min(c, Mathf.max(-c, load<f32>(p + o))));
  }
}
