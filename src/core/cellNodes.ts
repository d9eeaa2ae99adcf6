/**
 * The quadrature lattice inside the grid's cells: each cell is cut at the points where a
 * density on the grid jumps, and each piece carries the nodes of a 4-point Gauss–Legendre
 * rule. A density is then known by its values at the nodes, which integrate it to ~1e-15 on
 * smooth pieces (the rule is exact to degree 7) and exactly across a uniform's edge, where a
 * rule over the whole cell would miss part of the cell's mass. This is the 1-D case of the
 * lattice of theory.md §7: per-cell masses, refined by nodes inside the cells.
 */

/** Gauss–Legendre on [−1, 1]: abscissae and weights. */
const ABSCISSAE = [-0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526];
const WEIGHTS = [0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538];
export const NODES_PER_PIECE = ABSCISSAE.length;

export interface CellNodes {
  /** Cell i spans [e0 + i·dx, e0 + (i + 1)·dx]; its pieces are firstPiece[i] … firstPiece[i + 1] − 1. */
  readonly firstPiece: Int32Array;
  /** Ends of each piece and the cell it lies in. */
  readonly pieceLo: Float64Array;
  readonly pieceHi: Float64Array;
  readonly pieceCell: Int32Array;
  /** Node positions and weights (units of x); node j lies in piece ⌊j / NODES_PER_PIECE⌋. */
  readonly x: Float64Array;
  readonly weight: Float64Array;
  /** The points the cells were cut at, sorted. */
  readonly cuts: readonly number[];
}

/** Nodes for `cells` cells of width dx from e0, cut at every point of `cuts` strictly inside a cell. */
export function cellNodes(e0: number, dx: number, cells: number, cuts: readonly number[]): CellNodes {
  const end = e0 + cells * dx;
  const inside = [...new Set(cuts)].filter((c) => c > e0 && c < end).sort((a, b) => a - b);
  const firstPiece = new Int32Array(cells + 1);
  const lo: number[] = [];
  const hi: number[] = [];
  const cell: number[] = [];
  let k = 0;
  for (let i = 0; i < cells; i++) {
    firstPiece[i] = lo.length;
    let a = e0 + i * dx;
    const b = e0 + (i + 1) * dx;
    for (; k < inside.length && inside[k] < b; k++) {
      if (inside[k] <= a) continue;
      lo.push(a);
      hi.push(inside[k]);
      cell.push(i);
      a = inside[k];
    }
    lo.push(a);
    hi.push(b);
    cell.push(i);
  }
  firstPiece[cells] = lo.length;
  const x = new Float64Array(lo.length * NODES_PER_PIECE);
  const weight = new Float64Array(x.length);
  for (let p = 0; p < lo.length; p++) piece(lo[p], hi[p], x, weight, p * NODES_PER_PIECE);
  return { firstPiece, pieceLo: Float64Array.from(lo), pieceHi: Float64Array.from(hi), pieceCell: Int32Array.from(cell), x, weight, cuts: inside };
}

/** Writes the nodes and weights of [a, b] into x and w from `at`. */
function piece(a: number, b: number, x: Float64Array, w: Float64Array, at: number): void {
  const mid = 0.5 * (a + b);
  const half = 0.5 * (b - a);
  for (let k = 0; k < NODES_PER_PIECE; k++) {
    x[at + k] = mid + half * ABSCISSAE[k];
    w[at + k] = half * WEIGHTS[k];
  }
}

/** ∫_a^b g by the same rule on the one piece [a, b] (g smooth there). */
export function gaussLegendre(g: (x: number) => number, a: number, b: number): number {
  const mid = 0.5 * (a + b);
  const half = 0.5 * (b - a);
  let sum = 0;
  for (let k = 0; k < NODES_PER_PIECE; k++) sum += WEIGHTS[k] * g(mid + half * ABSCISSAE[k]);
  return half * sum;
}
