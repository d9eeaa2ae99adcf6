/**
 * The primal network simplex for the uncapacitated transportation problem with Euclidean
 * cost between points, after LEMON's NetworkSimplex (the solver inside POT's ot.emd2):
 * parent/thread/successor-count tree, potentials updated only on the subtree that moves,
 * block-search pricing (blocks of √(arcs) arcs), and the leaving-arc rule that keeps the tree
 * strongly feasible, so degenerate pivots cannot cycle.
 *
 * Why this and not min-cost flow on a sparse graph: with the Euclidean cost no sparse graph
 * on the lattice is exact (only L1 and L∞ have one), so the arcs are the complete bipartite
 * m × n, never stored — a cost is one hypot away. Why not successive shortest paths or cost
 * scaling: both want integral data, and every Dijkstra on a dense graph costs a full arc scan,
 * while a pivot prices one block. The simplex also restarts well: any feasible tree is a
 * starting point, so the caller may pass arcs of the previous optimum (warm start); arcs are
 * taken greedily as the northwest-corner rule does, only with positive flow (which keeps the
 * first tree strongly feasible), and what remains joins through an artificial root whose arcs
 * cost more than any real arc, so at the optimum they carry only the rounding of Σa − Σb.
 */

/** Sources at (sx, sy) with supplies a; sinks at (tx, ty) with demands b; Σa = Σb up to rounding. */
export interface TransportProblem {
  readonly sx: Float64Array;
  readonly sy: Float64Array;
  readonly a: Float64Array;
  readonly tx: Float64Array;
  readonly ty: Float64Array;
  readonly b: Float64Array;
}

export interface TransportSolution {
  readonly cost: number;
  /** False if the pivot cap stopped the simplex first: cost is then an upper bound. */
  readonly optimal: boolean;
  readonly pivots: number;
  /** The optimal tree's real arcs (source index, sink index, flow), to warm-start a similar problem. */
  readonly basis: { readonly source: Int32Array; readonly sink: Int32Array; readonly flow: Float64Array };
}

const UP = 1;
const DOWN = -1;

/**
 * min Σ γ_ij |s_i − t_j| over γ ≥ 0 with row sums a and column sums b. `start` lists arcs
 * (source, sink, …) tried first when building the first tree; the northwest-corner rule in
 * index order then pairs whatever supply and demand they left.
 */
export function solveTransport(pr: TransportProblem, start: Int32Array = new Int32Array(0)): TransportSolution {
  const m = pr.a.length;
  const n = pr.b.length;
  const empty = { source: new Int32Array(0), sink: new Int32Array(0), flow: new Float64Array(0) };
  if (m === 0 || n === 0) return { cost: 0, optimal: true, pivots: 0, basis: empty };
  const { sx, sy, tx, ty } = pr;
  const mn = m * n;
  const root = m + n;
  const nodes = root + 1;
  let lo0 = Infinity, hi0 = -Infinity, lo1 = Infinity, hi1 = -Infinity;
  for (const [xs, ys] of [[sx, sy], [tx, ty]] as const) {
    for (let k = 0; k < xs.length; k++) {
      lo0 = Math.min(lo0, xs[k]); hi0 = Math.max(hi0, xs[k]);
      lo1 = Math.min(lo1, ys[k]); hi1 = Math.max(hi1, ys[k]);
    }
  }
  const diameter = Math.hypot(hi0 - lo0, hi1 - lo1);
  // Above every real arc, so an optimal tree routes nothing through the root (see the header).
  const artificial = 2 * diameter + 1;
  const tolerance = 1e-12 * Math.max(diameter, 1e-300);

  const arcCost = (e: number): number => {
    if (e < mn) {
      const i = Math.floor(e / n);
      const j = e - i * n;
      const dx = sx[i] - tx[j];
      const dy = sy[i] - ty[j];
      // As in the pricing loop, so tree arcs price at exactly zero.
      return Math.sqrt(dx * dx + dy * dy);
    }
    return e - mn < m ? 0 : artificial;
  };
  const arcSource = (e: number): number => (e < mn ? Math.floor(e / n) : e - mn < m ? e - mn : root);

  const parent = new Int32Array(nodes);
  const pred = new Int32Array(nodes);
  const predDir = new Int8Array(nodes);
  const predFlow = new Float64Array(nodes);
  const thread = new Int32Array(nodes);
  const revThread = new Int32Array(nodes);
  const succNum = new Int32Array(nodes);
  const lastSucc = new Int32Array(nodes);
  const pi = new Float64Array(nodes);
  const dirty = new Int32Array(nodes);

  buildFirstTree();

  const block = Math.max(10, Math.ceil(Math.sqrt(mn)));
  const cap = 200 * nodes + 100000;
  let cursorI = 0;
  let cursorJ = 0;
  let pivots = 0;
  let optimal = false;
  let join = 0, uIn = 0, vIn = 0, uOut = 0, delta = 0;
  for (; pivots < cap; pivots++) {
    const inArc = findEnteringArc();
    if (inArc < 0) {
      optimal = true;
      break;
    }
    pivot(inArc);
  }
  let cost = 0;
  let real = 0;
  for (let u = 0; u < root; u++) if (pred[u] < mn) real++;
  const basis = { source: new Int32Array(real), sink: new Int32Array(real), flow: new Float64Array(real) };
  for (let u = 0, k = 0; u < root; u++) {
    const e = pred[u];
    if (e >= mn) continue;
    if (predFlow[u] > 0) cost += predFlow[u] * arcCost(e);
    basis.source[k] = Math.floor(e / n);
    basis.sink[k] = e - basis.source[k] * n;
    basis.flow[k++] = predFlow[u];
  }
  return { cost, optimal, pivots, basis };

  /** A strongly feasible tree: greedy positive-flow arcs, then one arc per component to the root. */
  function buildFirstTree(): void {
    const rem = new Float64Array(root);
    rem.set(pr.a);
    rem.set(pr.b, m);
    // Union–find over components; each holds at most one node with rem > 0 (every arc added exhausts an end).
    const uf = Int32Array.from({ length: root }, (_, k) => k);
    const find = (k: number): number => {
      while (uf[k] !== k) k = uf[k] = uf[uf[k]];
      return k;
    };
    const arcs: number[] = [];
    const flows: number[] = [];
    const add = (i: number, j: number): void => {
      const x = Math.min(rem[i], rem[m + j]);
      if (!(x > 0)) return;
      rem[i] -= x;
      rem[m + j] -= x;
      uf[find(i)] = find(m + j);
      arcs.push(i * n + j);
      flows.push(x);
    };
    for (let k = 0; k + 1 < start.length; k += 2) add(start[k], start[k + 1]);
    for (let i = 0, j = 0; i < m && j < n;) {
      if (!(rem[i] > 0)) i++;
      else if (!(rem[m + j] > 0)) j++;
      else add(i, j);
    }
    // The root arc of each component: from its node with supply left, else into one of its sinks (zero flow, pointing away from the root).
    const attach = new Int32Array(root).fill(-1);
    for (let u = 0; u < root; u++) if (rem[u] > 0) attach[find(u)] = u;
    for (let u = m; u < root; u++) if (attach[find(u)] < 0) attach[find(u)] = u;
    for (let u = 0; u < root; u++) if (attach[find(u)] < 0) attach[find(u)] = u;
    for (let u = 0; u < root; u++) {
      if (attach[u] < 0) continue;
      arcs.push(mn + attach[u]);
      flows.push(Math.max(0, rem[attach[u]]));
    }
    // Preorder from the root gives thread, parents, potentials; reverse preorder the subtree sizes.
    const degree = new Int32Array(nodes + 1);
    const ends = (e: number): [number, number] => (e < mn ? [Math.floor(e / n), m + (e % n)] : [e - mn, root]);
    for (const e of arcs) {
      const [u, v] = ends(e);
      degree[u + 1]++;
      degree[v + 1]++;
    }
    for (let k = 0; k < nodes; k++) degree[k + 1] += degree[k];
    const fill = degree.slice(0, nodes);
    const adjacent = new Int32Array(2 * arcs.length);
    arcs.forEach((e, k) => {
      const [u, v] = ends(e);
      adjacent[fill[u]++] = k;
      adjacent[fill[v]++] = k;
    });
    const order = new Int32Array(nodes);
    const stack = new Int32Array(nodes);
    let top = 0;
    let count = 0;
    stack[top++] = root;
    parent[root] = -1;
    pred[root] = -1;
    pi[root] = 0;
    while (top > 0) {
      const u = stack[--top];
      order[count++] = u;
      for (let s = degree[u]; s < degree[u + 1]; s++) {
        const k = adjacent[s];
        const e = arcs[k];
        if (e === pred[u]) continue;
        const [a, b] = ends(e);
        const w = a === u ? b : a;
        parent[w] = u;
        pred[w] = e;
        predFlow[w] = flows[k];
        const up = arcSource(e) === w;
        predDir[w] = up ? UP : DOWN;
        pi[w] = up ? pi[u] - arcCost(e) : pi[u] + arcCost(e);
        stack[top++] = w;
      }
    }
    if (count !== nodes) throw new Error(`network simplex: first tree spans ${count} of ${nodes} nodes`);
    for (let k = 0; k < nodes; k++) {
      const u = order[k];
      const next = order[k + 1 === nodes ? 0 : k + 1];
      thread[u] = next;
      revThread[next] = u;
      succNum[u] = 1;
      lastSucc[u] = -1;
    }
    for (let k = nodes - 1; k >= 0; k--) {
      const u = order[k];
      if (lastSucc[u] < 0) lastSucc[u] = u;
      const p = parent[u];
      if (p < 0) continue;
      succNum[p] += succNum[u];
      if (lastSucc[p] < 0) lastSucc[p] = lastSucc[u];
    }
  }

  /** Block search: the most negative reduced cost c + π_s − π_t within the first block that has one; −1 when none is below −tolerance. */
  function findEnteringArc(): number {
    let min = -tolerance;
    let best = -1;
    let left = mn;
    let inBlock = block;
    let i = cursorI;
    let j = cursorJ;
    while (left > 0) {
      const x = sx[i];
      const y = sy[i];
      const base = pi[i];
      const stop = Math.min(n, j + left);
      left -= stop - j;
      for (; j < stop; j++) {
        const dx = x - tx[j];
        const dy = y - ty[j];
        const r = Math.sqrt(dx * dx + dy * dy) + base - pi[m + j];
        if (r < min) {
          min = r;
          best = i * n + j;
        }
        if (--inBlock === 0) {
          if (best >= 0) {
            cursorI = i;
            cursorJ = j + 1;
            return best;
          }
          inBlock = block;
        }
      }
      if (j === n) {
        j = 0;
        i = i + 1 === m ? 0 : i + 1;
      }
    }
    cursorI = i;
    cursorJ = j;
    return best;
  }

  function pivot(inArc: number): void {
    const first = arcSource(inArc);
    const second = m + (inArc % n);
    // Join node: the first common ancestor.
    let u = first;
    let v = second;
    while (u !== v) {
      if (succNum[u] < succNum[v]) u = parent[u];
      else v = parent[v];
    }
    join = u;
    // Leaving arc: the blocking arc last met going round the cycle from the join node (keeps the tree strongly feasible).
    delta = Infinity;
    let side = 0;
    for (u = first; u !== join; u = parent[u]) {
      if (predDir[u] === UP && predFlow[u] < delta) {
        delta = predFlow[u];
        uOut = u;
        side = 1;
      }
    }
    for (u = second; u !== join; u = parent[u]) {
      if (predDir[u] === DOWN && predFlow[u] <= delta) {
        delta = predFlow[u];
        uOut = u;
        side = 2;
      }
    }
    // No blocking arc would be a negative cycle; the graph (sources → sinks, root arcs one way) has none.
    if (side === 0) throw new Error('network simplex: unbounded cycle');
    if (side === 1) {
      uIn = first;
      vIn = second;
    } else {
      uIn = second;
      vIn = first;
    }
    if (delta > 0) {
      for (u = first; u !== join; u = parent[u]) predFlow[u] -= predDir[u] * delta;
      for (u = second; u !== join; u = parent[u]) predFlow[u] += predDir[u] * delta;
    }
    updateTree(inArc);
    // Potentials: only the subtree now hanging from u_in moves.
    const sigma = pi[vIn] - pi[uIn] - predDir[uIn] * arcCost(inArc);
    const end = thread[lastSucc[uIn]];
    for (u = uIn; u !== end; u = thread[u]) pi[u] += sigma;
  }

  /** LEMON's updateTreeStructure, with each tree arc's flow kept on the node below it. */
  function updateTree(inArc: number): void {
    const oldRevThread = revThread[uOut];
    const oldSuccNum = succNum[uOut];
    const oldLastSucc = lastSucc[uOut];
    const vOut = parent[uOut];
    const inDir = uIn === arcSource(inArc) ? UP : DOWN;
    if (uIn === uOut) {
      parent[uIn] = vIn;
      pred[uIn] = inArc;
      predDir[uIn] = inDir;
      predFlow[uIn] = delta;
      if (thread[vIn] !== uOut) {
        let after = thread[oldLastSucc];
        thread[oldRevThread] = after;
        revThread[after] = oldRevThread;
        after = thread[vIn];
        thread[vIn] = uOut;
        revThread[uOut] = vIn;
        thread[oldLastSucc] = after;
        revThread[after] = oldLastSucc;
      }
    } else {
      const threadContinue = oldRevThread === vIn ? thread[oldLastSucc] : thread[vIn];
      let stem = uIn;
      let parStem = vIn;
      let last = lastSucc[uIn];
      let after = thread[last];
      thread[vIn] = uIn;
      let dirtyCount = 0;
      dirty[dirtyCount++] = vIn;
      while (stem !== uOut) {
        const nextStem = parent[stem];
        thread[last] = nextStem;
        dirty[dirtyCount++] = last;
        const before = revThread[stem];
        thread[before] = after;
        revThread[after] = before;
        parent[stem] = parStem;
        parStem = stem;
        stem = nextStem;
        last = lastSucc[stem] === lastSucc[parStem] ? revThread[parStem] : lastSucc[stem];
        after = thread[last];
      }
      parent[uOut] = parStem;
      thread[last] = threadContinue;
      revThread[threadContinue] = last;
      lastSucc[uOut] = last;
      if (oldRevThread !== vIn) {
        thread[oldRevThread] = after;
        revThread[after] = oldRevThread;
      }
      for (let k = 0; k < dirtyCount; k++) revThread[thread[dirty[k]]] = dirty[k];
      let tmpSc = 0;
      const tmpLs = lastSucc[uOut];
      for (let w = uOut, p = parent[w]; w !== uIn; w = p, p = parent[w]) {
        pred[w] = pred[p];
        predDir[w] = -predDir[p];
        predFlow[w] = predFlow[p];
        tmpSc += succNum[w] - succNum[p];
        succNum[w] = tmpSc;
        lastSucc[p] = tmpLs;
      }
      pred[uIn] = inArc;
      predDir[uIn] = inDir;
      predFlow[uIn] = delta;
      succNum[uIn] = oldSuccNum;
    }
    const upLimitOut = lastSucc[join] === vIn ? join : -1;
    const lastSuccOut = lastSucc[uOut];
    for (let w = vIn; w !== -1 && lastSucc[w] === vIn; w = parent[w]) lastSucc[w] = lastSuccOut;
    if (join !== oldRevThread && vIn !== oldRevThread) {
      for (let w = vOut; w !== upLimitOut && lastSucc[w] === oldLastSucc; w = parent[w]) lastSucc[w] = oldRevThread;
    } else if (lastSuccOut !== oldLastSucc) {
      for (let w = vOut; w !== upLimitOut && lastSucc[w] === oldLastSucc; w = parent[w]) lastSucc[w] = lastSuccOut;
    }
    for (let w = vIn; w !== join; w = parent[w]) succNum[w] += oldSuccNum;
    for (let w = vOut; w !== join; w = parent[w]) succNum[w] -= oldSuccNum;
  }
}
