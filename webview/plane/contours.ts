/**
 * Contour lines of a lattice (marching squares, d3-contour) as rings in lattice coordinates:
 * (i + 0.5, j + 0.5) is the centre of cell (i, j), the convention of both d3-contour and
 * PlaneSnapshot. The map turns them into pixels when it draws.
 */
import { contours } from 'd3-contour';

/** One contour level: its closed rings, each a flat [x0, y0, x1, y1, …] in lattice coordinates. */
export interface ContourLevel {
  readonly value: number;
  readonly rings: readonly Float32Array[];
}

export function contourLevels(values: ArrayLike<number>, nx: number, ny: number, levels: readonly number[]): ContourLevel[] {
  const finite = levels.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [];
  // d3-contour only indexes the values (typed arrays do) and counts NaN as below every level.
  const generator = contours().size([nx, ny]).thresholds(finite);
  return generator(values as unknown as number[]).map((mp) => ({
    value: mp.value,
    rings: mp.coordinates.flatMap((polygon) => polygon.map((ring) => Float32Array.from(ring.flat()))),
  }));
}

/**
 * Something computed from a field that rarely changes (p, within a run), recomputed only for a
 * new field: a cheap fingerprint (placement, size, a strided sum and two samples) tells.
 */
export class FieldMemo<T> {
  private key = '';
  private value: T | undefined;

  /** `where` names the lattice's placement (a refit lattice with similar values must not match). */
  get(values: ArrayLike<number>, where: string, compute: () => T): T {
    let sum = 0;
    for (let i = 0; i < values.length; i += 7) sum += values[i]! || 0;
    const key = `${where}:${values.length}:${sum}:${values[(values.length / 3) | 0]}:${values[(values.length / 2) | 0]}`;
    if (key !== this.key || this.value === undefined) {
      this.key = key;
      this.value = compute();
    }
    return this.value;
  }
}
