/** The 8-point Gauss–Legendre rule on [−1, 1] (exact for polynomials of degree ≤ 15). */
export const GL8_NODES = [-0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498, 0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363];
export const GL8_WEIGHTS = [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620, 0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

/** Nodes and weights of the rule on every panel between consecutive sorted breakpoints. */
export function compositeGaussLegendre(breakpoints: readonly number[]): { x: Float64Array; w: Float64Array } {
  const panels = breakpoints.length - 1;
  const x = new Float64Array(8 * panels);
  const w = new Float64Array(8 * panels);
  for (let k = 0; k < panels; k++) {
    const half = 0.5 * (breakpoints[k + 1] - breakpoints[k]);
    const mid = breakpoints[k] + half;
    for (let n = 0; n < 8; n++) {
      x[8 * k + n] = mid + half * GL8_NODES[n];
      w[8 * k + n] = half * GL8_WEIGHTS[n];
    }
  }
  return { x, w };
}
