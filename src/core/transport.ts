/**
 * W₁ in 2-D (theory.md §7): the exact optimal-transport cost between two lattices' masses with
 * the Euclidean ground cost, by the transportation simplex (the network simplex specialised
 * to a complete bipartite graph: northwest-corner start, block pricing of reduced costs,
 * one basis tree re-rooted per pivot).
 *
 * Because the ground cost is a metric, W₁(P, Q) = W₁((P − Q)⁺, (P − Q)⁻) (Kantorovich–
 * Rubinstein): mass common to both never moves, so only the cells where P and Q differ enter
 * the solve. No npm package does this (min-cost-flow on npm is successive shortest paths on
 * integer capacities; LP solvers are far slower than a simplex that knows the structure).
 *
 * What is exact: the LP optimum for the two discrete measures at the cell centres (equal to
 * POT's ot.emd2 to rounding). What is not: the lattice itself. Moving a unit of mass to its
 * cell centre moves it at most half a cell diagonal, so for P and Q the lattice value is within
 * one cell diagonal of W₁ between the continuous distributions (much closer for smooth ones:
 * the errors of P and Q largely cancel). A coarser lattice (cell size H instead of h) for speed
 * adds at most hypot(H_x − h_x, H_y − h_y) on top: wasserstein1OnLattice reports that bound.
 */
import { cellCentre, coarsen2D, type Lattice } from './lattice';

export interface TransportResult {
  /** Optimal cost (units of x). */
  readonly cost: number;
  /** False if the iteration cap stopped the simplex first; cost is then an upper bound. */
  readonly optimal: boolean;
  readonly pivots: number;
}

/**
 * min Σ γ_ij |x_i − y_j| over plans γ ≥ 0 with row sums a and column sums b (Σa = Σb).
 * Points are row-major [n, 2].
 */
export function transportCost(xs: Float64Array, a: Float64Array, ys: Float64Array, b: Float64Array): TransportResult {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return { cost: 0, optimal: true, pivots: 0 };
  const cost = (i: number, j: number): number => {
    const dx = xs[2 * i] - ys[2 * j];
    const dy = xs[2 * i + 1] - ys[2 * j + 1];
    return Math.sqrt(dx * dx + dy * dy);
  };
  const arcs = m + n - 1;
  const arcI = new Int32Array(arcs);
  const arcJ = new Int32Array(arcs);
  const flow = new Float64Array(arcs);
  // Northwest corner: a spanning tree of m + n − 1 arcs (some with zero flow).
  {
    const ra = Float64Array.from(a);
    const rb = Float64Array.from(b);
    let i = 0;
    let j = 0;
    for (let k = 0; k < arcs; k++) {
      const x = k === arcs - 1 ? Math.max(ra[i], rb[j]) : Math.min(ra[i], rb[j]);
      arcI[k] = i;
      arcJ[k] = j;
      flow[k] = x;
      ra[i] -= x;
      rb[j] -= x;
      if ((ra[i] <= rb[j] && i < m - 1) || j === n - 1) i++;
      else j++;
    }
  }
  const nodes = m + n;
  const u = new Float64Array(nodes);
  const parent = new Int32Array(nodes);
  const parentArc = new Int32Array(nodes);
  const depth = new Int32Array(nodes);
  const start = new Int32Array(nodes + 1);
  const adjacency = new Int32Array(2 * arcs);
  const queue = new Int32Array(nodes);
  let maxCost = 0;
  for (let k = 0; k < Math.min(arcs, 64); k++) maxCost = Math.max(maxCost, cost(arcI[k], arcJ[k]));
  const tolerance = 1e-12 * Math.max(maxCost, 1e-300);
  const block = Math.max(64, Math.ceil(Math.sqrt(m * n)));
  const cap = 50 * nodes + 10000;
  let scan = 0;
  let pivots = 0;
  for (; pivots < cap; pivots++) {
    // Root the basis tree at source 0 and derive the potentials: u_i + v_j = c_ij on basic arcs (v_j stored at m + j).
    start.fill(0);
    for (let k = 0; k < arcs; k++) {
      start[arcI[k] + 1]++;
      start[m + arcJ[k] + 1]++;
    }
    for (let v = 0; v < nodes; v++) start[v + 1] += start[v];
    const fill = start.slice(0, nodes);
    for (let k = 0; k < arcs; k++) {
      adjacency[fill[arcI[k]]++] = k;
      adjacency[fill[m + arcJ[k]]++] = k;
    }
    parent[0] = -1;
    depth[0] = 0;
    u[0] = 0;
    let head = 0;
    let tail = 1;
    queue[0] = 0;
    while (head < tail) {
      const v = queue[head++];
      for (let e = start[v]; e < start[v + 1]; e++) {
        const k = adjacency[e];
        if (k === parentArc[v] && v !== 0) continue;
        const w = v < m ? m + arcJ[k] : arcI[k];
        parent[w] = v;
        parentArc[w] = k;
        depth[w] = depth[v] + 1;
        u[w] = cost(arcI[k], arcJ[k]) - u[v];
        queue[tail++] = w;
      }
    }
    // Block pricing: the most negative reduced cost in the first block that has one.
    let best = -tolerance;
    let enterI = -1;
    let enterJ = -1;
    let seen = 0;
    while (seen < m * n) {
      const end = Math.min(seen + block, m * n);
      for (; seen < end; seen++) {
        const i = Math.floor(scan / n);
        const j = scan - i * n;
        const r = cost(i, j) - u[i] - u[m + j];
        if (r < best) {
          best = r;
          enterI = i;
          enterJ = j;
        }
        scan = scan + 1 === m * n ? 0 : scan + 1;
      }
      if (enterI >= 0) break;
    }
    if (enterI < 0) return { cost: total(), optimal: true, pivots };
    // The cycle: entering arc (+), then the tree path from sink enterJ back to source enterI, alternating −, +, −, …
    const pathJ: number[] = [];
    const pathI: number[] = [];
    let a1 = m + enterJ;
    let b1 = enterI;
    while (depth[a1] > depth[b1]) { pathJ.push(parentArc[a1]); a1 = parent[a1]; }
    while (depth[b1] > depth[a1]) { pathI.push(parentArc[b1]); b1 = parent[b1]; }
    while (a1 !== b1) {
      pathJ.push(parentArc[a1]); a1 = parent[a1];
      pathI.push(parentArc[b1]); b1 = parent[b1];
    }
    const cycle = pathJ.concat(pathI.reverse());
    let theta = Infinity;
    let leave = -1;
    for (let s = 0; s < cycle.length; s += 2) {
      if (flow[cycle[s]] < theta) {
        theta = flow[cycle[s]];
        leave = cycle[s];
      }
    }
    for (let s = 0; s < cycle.length; s++) flow[cycle[s]] += s % 2 === 0 ? -theta : theta;
    arcI[leave] = enterI;
    arcJ[leave] = enterJ;
    flow[leave] = theta;
  }
  return { cost: total(), optimal: false, pivots };

  function total(): number {
    let sum = 0;
    for (let k = 0; k < arcs; k++) if (flow[k] > 0) sum += flow[k] * cost(arcI[k], arcJ[k]);
    return sum;
  }
}

export interface LatticeW1 {
  /** W₁ (units of x) between the two mass arrays at the (possibly coarsened) cell centres. */
  readonly value: number;
  /** |value − W₁ on the given lattice| ≤ bound: coarsening moves each unit of mass at most (H − h)/√2 for each of P and Q. */
  readonly coarseningBound: number;
  /** Cells per side of the lattice the transport was solved on. */
  readonly side: number;
  readonly optimal: boolean;
  readonly pivots: number;
}

/**
 * W₁ between two mass arrays on a 2-D lattice, each normalised to its mass inside the lattice
 * (mass outside is not transported). `side` (default: the lattice's) coarsens first by merging blocks.
 */
export function wasserstein1OnLattice(l: Lattice, p: Float64Array, q: Float64Array, side = l.axes[0].count): LatticeW1 {
  const factor = l.axes[0].count / side;
  const cp = coarsen2D(l, p, factor);
  const cq = coarsen2D(l, q, factor);
  const [ax, ay] = cp.lattice.axes;
  const sp = cp.mass.reduce((s, v) => s + v, 0);
  const sq = cq.mass.reduce((s, v) => s + v, 0);
  if (!(sp > 0 && sq > 0)) throw new RangeError('W₁ needs mass inside the lattice on both sides');
  const sources: number[] = [];
  const sinks: number[] = [];
  const diff = new Float64Array(cp.mass.length);
  for (let c = 0; c < cp.mass.length; c++) {
    diff[c] = cp.mass[c] / sp - cq.mass[c] / sq;
    if (diff[c] > 0) sources.push(c);
    else if (diff[c] < 0) sinks.push(c);
  }
  const points = (cells: number[]): Float64Array => {
    const out = new Float64Array(2 * cells.length);
    cells.forEach((c, k) => {
      out[2 * k] = cellCentre(ax, c % ax.count);
      out[2 * k + 1] = cellCentre(ay, Math.floor(c / ax.count));
    });
    return out;
  };
  // Raster order: the northwest-corner start then pairs rows of sources with nearby rows of sinks.
  const src = sources;
  const snk = sinks;
  const xs = points(src);
  const ys = points(snk);
  const a = Float64Array.from(src, (c) => diff[c]);
  const b = Float64Array.from(snk, (c) => -diff[c]);
  const r = transportCost(xs, a, ys, b);
  const [fx, fy] = l.axes;
  const coarseningBound = factor === 1 ? 0 : Math.hypot(ax.width - fx.width, ay.width - fy.width);
  return { value: r.cost, coarseningBound, side, optimal: r.optimal, pivots: r.pivots };
}

