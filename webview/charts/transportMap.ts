/**
 * The map a 1-D generator would need for q = p: x = F_P⁻¹(Φ(z)) (or F_P⁻¹(1 − Φ(z)) for a
 * decreasing G), the monotone transport of the latent normal onto the data. Drawn beside G(z),
 * it shows where G is too flat (q piles up) or too steep (q thins out).
 */
import { normalCdf } from '../../src/core/special';

/** F_P⁻¹(Φ(z)) at each z, from p on the grid (trapezoids, normalised); NaN when p has no mass. */
export function monotoneMap(gridX: ArrayLike<number>, p: ArrayLike<number>, z: ArrayLike<number>, decreasing: boolean): Float64Array {
  const n = gridX.length;
  const cum = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const a = Number.isFinite(p[i - 1]!) ? p[i - 1]! : 0;
    const b = Number.isFinite(p[i]!) ? p[i]! : 0;
    cum[i] = cum[i - 1]! + 0.5 * (a + b) * (gridX[i]! - gridX[i - 1]!);
  }
  const total = cum[n - 1] ?? 0;
  const out = new Float64Array(z.length);
  if (!(total > 0)) return out.fill(NaN);
  let i = 1;
  for (let k = 0; k < z.length; k++) {
    const u = normalCdf(decreasing ? -z[k]! : z[k]!) * total;
    // z is sorted, so u moves one way: restart the search only when it goes back.
    if (i > 1 && cum[i - 1]! > u) i = 1;
    while (i < n - 1 && cum[i]! < u) i++;
    const span = cum[i]! - cum[i - 1]!;
    const f = span > 0 ? Math.min(1, Math.max(0, (u - cum[i - 1]!) / span)) : 0;
    out[k] = gridX[i - 1]! + f * (gridX[i]! - gridX[i - 1]!);
  }
  return out;
}
