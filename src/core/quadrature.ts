/**
 * Globally adaptive Gauss–Kronrod (7/15-point, QUADPACK's qk15) integration of several
 * integrands at once over a partition that may reach ±∞, and a bracketing root finder.
 * Used where exactness matters more than speed: the reference divergences between two
 * analytic densities and the moments of truncated targets.
 */

const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
/** Gauss weights of the odd Kronrod nodes XGK[1], XGK[3], XGK[5] and the centre. */
const WG = [0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975, 0.417959183673469387755102040816327];

/** Writes the values of `dim` integrands at x into out. */
export type VectorIntegrand = (x: number, out: Float64Array) => void;

export interface IntegrateOptions {
  readonly relTol?: number;
  readonly absTol?: number;
  readonly maxIntervals?: number;
}

/** Interval in the variable t: identity, or x = a + t/(1−t) (to +∞), or x = a − t/(1−t) (to −∞). */
type Mapping = 0 | 1 | -1;

interface Interval {
  readonly t0: number;
  readonly t1: number;
  readonly anchor: number;
  readonly mapping: Mapping;
  readonly result: Float64Array;
  readonly error: Float64Array;
}

function rule(f: VectorIntegrand, dim: number, t0: number, t1: number, anchor: number, mapping: Mapping, scratch: Float64Array): Interval {
  const center = 0.5 * (t0 + t1);
  const half = 0.5 * (t1 - t0);
  const kronrod = new Float64Array(dim);
  const gauss = new Float64Array(dim);
  const error = new Float64Array(dim);
  for (let j = 0; j < 8; j++) {
    for (const sign of j === 7 ? [1] : [-1, 1]) {
      const t = center + sign * half * XGK[j];
      let x = t;
      let jacobian = 1;
      if (mapping !== 0) {
        const s = 1 / (1 - t);
        x = anchor + mapping * t * s;
        jacobian = s * s;
      }
      f(x, scratch);
      for (let k = 0; k < dim; k++) {
        const v = scratch[k] === 0 ? 0 : scratch[k] * jacobian;
        kronrod[k] += WGK[j] * v;
        if (j % 2 === 1) gauss[k] += WG[(j - 1) / 2] * v;
      }
    }
  }
  for (let k = 0; k < dim; k++) {
    kronrod[k] *= half;
    // Non-finite components are settled (an infinite integrand on a set of positive length); they take no refinement.
    error[k] = Number.isFinite(kronrod[k]) ? Math.abs(kronrod[k] - gauss[k] * half) : 0;
  }
  return { t0, t1, anchor, mapping, result: kronrod, error };
}

/**
 * ∫ f over the union of [b_i, b_{i+1}] for sorted breakpoints b (the first may be −∞, the
 * last +∞). Refines the interval with the largest relative error until every finite
 * component meets max(absTol, relTol·|total|) or maxIntervals is reached.
 */
export function integrateVector(f: VectorIntegrand, dim: number, breakpoints: readonly number[], options: IntegrateOptions = {}): Float64Array {
  const relTol = options.relTol ?? 1e-13;
  const absTol = options.absTol ?? 1e-16;
  const maxIntervals = options.maxIntervals ?? 4000;
  const scratch = new Float64Array(dim);
  const intervals: Interval[] = [];
  for (let i = 0; i + 1 < breakpoints.length; i++) {
    const a = breakpoints[i];
    const b = breakpoints[i + 1];
    if (!(b > a)) continue;
    if (a === -Infinity && b === Infinity) {
      intervals.push(rule(f, dim, 0, 1, 0, -1, scratch), rule(f, dim, 0, 1, 0, 1, scratch));
    } else if (a === -Infinity) intervals.push(rule(f, dim, 0, 1, b, -1, scratch));
    else if (b === Infinity) intervals.push(rule(f, dim, 0, 1, a, 1, scratch));
    else intervals.push(rule(f, dim, a, b, 0, 0, scratch));
  }
  const total = new Float64Array(dim);
  const totalError = new Float64Array(dim);
  const tolerance = new Float64Array(dim);
  while (true) {
    total.fill(0);
    totalError.fill(0);
    for (const interval of intervals) {
      for (let k = 0; k < dim; k++) {
        total[k] += interval.result[k];
        totalError[k] += interval.error[k];
      }
    }
    let converged = true;
    for (let k = 0; k < dim; k++) {
      tolerance[k] = Math.max(absTol, relTol * Math.abs(total[k]));
      if (Number.isFinite(total[k]) && totalError[k] > tolerance[k]) converged = false;
    }
    if (converged || intervals.length >= maxIntervals) return total;
    let worst = 0;
    let worstScore = -1;
    for (let i = 0; i < intervals.length; i++) {
      let score = 0;
      for (let k = 0; k < dim; k++) if (Number.isFinite(total[k])) score = Math.max(score, intervals[i].error[k] / tolerance[k]);
      if (score > worstScore) {
        worstScore = score;
        worst = i;
      }
    }
    const { t0, t1, anchor, mapping } = intervals[worst];
    const mid = 0.5 * (t0 + t1);
    if (!(mid > t0 && mid < t1)) return total;
    intervals[worst] = rule(f, dim, t0, mid, anchor, mapping, scratch);
    intervals.push(rule(f, dim, mid, t1, anchor, mapping, scratch));
  }
}

/** Scalar form of integrateVector. */
export function integrate(f: (x: number) => number, breakpoints: readonly number[], options?: IntegrateOptions): number {
  return integrateVector((x, out) => { out[0] = f(x); }, 1, breakpoints, options)[0];
}

/** A root of f in [a, b] given opposite signs at the ends, to within a few ulps (bisection). */
export function bisectRoot(f: (x: number) => number, a: number, b: number): number {
  let lo = a;
  let hi = b;
  let fLo = f(lo);
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (!(mid > lo && mid < hi)) break;
    const fMid = f(mid);
    if (fMid === 0) return mid;
    if (fMid < 0 === fLo < 0) {
      lo = mid;
      fLo = fMid;
    } else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Sign changes of f on [a, b] found on `steps` equal sub-intervals and refined by bisection.
 * Points where f is NaN (e.g. both densities zero) neither start nor end a bracket.
 */
export function scanRoots(f: (x: number) => number, a: number, b: number, steps: number): number[] {
  const roots: number[] = [];
  let xPrev = a;
  let fPrev = f(a);
  for (let i = 1; i <= steps; i++) {
    const x = i === steps ? b : a + ((b - a) * i) / steps;
    const fx = f(x);
    if (Number.isNaN(fx)) continue;
    if (fx === 0) roots.push(x);
    else if (!Number.isNaN(fPrev) && fPrev !== 0 && fPrev < 0 !== fx < 0) roots.push(bisectRoot(f, xPrev, x));
    xPrev = x;
    fPrev = fx;
  }
  return roots;
}
