/**
 * Special functions in float64: log-space helpers and the standard normal distribution.
 * erfc follows W. J. Cody, "Rational Chebyshev approximations for the error function",
 * Math. Comp. 23 (1969) 631–638 (~1e-16 relative); the normal quantile is P. J. Acklam's
 * rational approximation refined by one Halley step.
 */

export const LN2 = Math.LN2;
export const LN4 = 2 * Math.LN2;
/** log √(2π) */
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

const ONE_OVER_SQRT_PI = 5.6418958354775628695e-1;

/** log(e^a + e^b) without overflow; −∞ when both are −∞. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log Σ exp(v_i) over the first n entries (all by default). */
export function logSumExp(values: ArrayLike<number>, n = values.length): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (values[i] > max) max = values[i];
  if (max === -Infinity || max === Infinity) return max;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(values[i] - max);
  return max + Math.log(sum);
}

/** log(1 − e^a) for a ≤ 0, accurate on both sides of a = −log 2 (Mächler 2012). */
export function log1mExp(a: number): number {
  return a > -LN2 ? Math.log(-Math.expm1(a)) : Math.log1p(-Math.exp(a));
}

/** softplus(v) = log(1 + e^v), exact for large |v|. */
export function softplus(v: number): number {
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

/** σ(v) = 1/(1 + e^−v) without overflow. */
export function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

// Cody's coefficient sets: A/B for erf on [0, 0.46875], C/D for e^{y²}·erfc on
// [0.46875, 4], P/Q for the asymptotic e^{y²}·erfc beyond 4.
const A = [3.16112374387056560e0, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3, 1.85777706184603153e-1];
const B = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
const C = [
  5.64188496988670089e-1, 8.88314979438837594e0, 6.61191906371416295e1, 2.98635138197400131e2, 8.81952221241769090e2,
  1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3, 2.15311535474403846e-8,
];
const D = [
  1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3, 3.29079923573345963e3,
  4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3,
];
const P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
const Q = [2.56852019228982242e0, 1.87295284992346047e0, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];

/** erf(x) for |x| ≤ 0.46875. */
function erfSmall(x: number): number {
  const ysq = x * x;
  let num = A[4] * ysq;
  let den = ysq;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]) * ysq;
    den = (den + B[i]) * ysq;
  }
  return (x * (num + A[3])) / (den + B[3]);
}

/** e^{y²}·erfc(y) for y > 0.46875 (Cody's rational part, free of the exponential). */
function erfcScaled(y: number): number {
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  const ysq = 1 / (y * y);
  let num = P[5] * ysq;
  let den = ysq;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * ysq;
    den = (den + Q[i]) * ysq;
  }
  return (ONE_OVER_SQRT_PI - (ysq * (num + P[4])) / (den + Q[4])) / y;
}

/** e^{−y²}, with y² split as Cody does so the rounding of y² does not reach the result. */
function expNegSquare(y: number): number {
  const ysq = Math.trunc(16 * y) / 16;
  return Math.exp(-ysq * ysq) * Math.exp(-(y - ysq) * (y + ysq));
}

/** Complementary error function, ~1e-16 relative for x ≥ 0. */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return 1 - erfSmall(x);
  const r = y < 27.3 ? expNegSquare(y) * erfcScaled(y) : 0;
  return x < 0 ? 2 - r : r;
}

/** log erfc(y) for y > 0.46875, finite far beyond the point where erfc underflows. */
function logErfcPositive(y: number): number {
  return -y * y + Math.log(erfcScaled(y));
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
}

/** log density of N(mean, std²) at x. */
export function normalLogPdf(x: number, mean = 0, std = 1): number {
  const z = (x - mean) / std;
  return -0.5 * z * z - Math.log(std) - LOG_SQRT_2PI;
}

/** Φ(z), accurate in relative terms in the lower tail (down to underflow near z = −38). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * Math.SQRT1_2);
}

/** log Φ(z), finite for every finite z. */
export function normalLogCdf(z: number): number {
  if (z < -1) return -LN2 + logErfcPositive(-z * Math.SQRT1_2);
  return Math.log1p(-0.5 * erfc(z * Math.SQRT1_2));
}

/** Probability that a standard normal falls between z1 and z2 (either order), computed in the tail both lie in. */
export function normalMassBetween(z1: number, z2: number): number {
  const lo = Math.min(z1, z2);
  const hi = Math.max(z1, z2);
  return lo > 0 ? normalCdf(-lo) - normalCdf(-hi) : normalCdf(hi) - normalCdf(lo);
}

/** log of normalMassBetween for z1 < z2 ≤ 0 or 0 ≤ z1 < z2: deep-tail masses stay finite. */
export function normalLogMassBetween(z1: number, z2: number): number {
  const lo = Math.min(z1, z2);
  const hi = Math.max(z1, z2);
  if (lo === hi) return -Infinity;
  if (lo >= 0) {
    const near = normalLogCdf(-lo);
    return near + log1mExp(normalLogCdf(-hi) - near);
  }
  const near = normalLogCdf(hi);
  return near + log1mExp(normalLogCdf(lo) - near);
}

const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Acklam's approximation for p ≤ ½ (relative error < 1.2e-9). */
function acklamLower(p: number): number {
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((ACKLAM_C[0] * q + ACKLAM_C[1]) * q + ACKLAM_C[2]) * q + ACKLAM_C[3]) * q + ACKLAM_C[4]) * q + ACKLAM_C[5]) /
      ((((ACKLAM_D[0] * q + ACKLAM_D[1]) * q + ACKLAM_D[2]) * q + ACKLAM_D[3]) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((ACKLAM_A[0] * r + ACKLAM_A[1]) * r + ACKLAM_A[2]) * r + ACKLAM_A[3]) * r + ACKLAM_A[4]) * r + ACKLAM_A[5]) * q) /
    (((((ACKLAM_B[0] * r + ACKLAM_B[1]) * r + ACKLAM_B[2]) * r + ACKLAM_B[3]) * r + ACKLAM_B[4]) * r + 1)
  );
}

/** Φ⁻¹(p): −∞ at 0, +∞ at 1, NaN outside [0, 1]. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  // 1 − p is exact for p ≥ ½, so the upper half reuses the accurate lower tail.
  if (p > 0.5) return -normalQuantile(1 - p);
  const x = acklamLower(p);
  // Halley step on Φ(x) = p, with the residual formed in log space so it survives p ≈ 1e-300.
  const logP = Math.log(p);
  const u = Math.expm1(normalLogCdf(x) - logP) * Math.exp(logP - normalLogPdf(x));
  return x - u / (1 + 0.5 * x * u);
}
