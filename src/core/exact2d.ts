/**
 * Divergences between two analytic 2-D targets by tensor Gauss–Legendre quadrature (the
 * reference path: `gan-lens divergence` and the lattice results are checked against it).
 * Each axis is split at every component's mean ± {½, 1, 1½, 2, 3, 4, 6, 8, 12} marginal std
 * and at box edges, over the union of the targets' 12-std extents, into panels no wider than
 * the narrowest principal std, with 8 nodes per panel; the integrands of P and Q are analytic
 * on each panel, so the rule converges geometrically (measured against nested adaptive scipy
 * quadrature: ≤ 2e-13 relative) — except TV, whose |p − q| has a kink along the curve p = q
 * that the tensor rule crosses: 1e-6 to 4e-5 relative. Mass beyond 12 std is below 1e-31.
 * The χ² infinities come from the tails (tails2d.ts), the rest of ∞ from the integrand.
 */
import { F_DIVERGENCE_NAMES, F_DIVERGENCES, type DivergenceName, type DivergenceValues } from './divergences';
import { mutuallySingularValue } from './divergences2d';
import { compositeGaussLegendre } from './gaussLegendre';
import { tailsDiverge2D } from './tails2d';
import { logPdf2D, targetExtent, type Target2D } from './targets2d';

const STEPS = [0, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12];

function axisBreakpoints(targets: readonly Target2D[], axis: 0 | 1): number[] {
  const cuts: number[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  let finest = Infinity;
  for (const t of targets) {
    const e = targetExtent(t, 12);
    lo = Math.min(lo, e.lo[axis]);
    hi = Math.max(hi, e.hi[axis]);
    if (t.kind === 'mixture') {
      for (const g of t.components) {
        const s = Math.sqrt(axis === 0 ? g.cov.a : g.cov.c);
        for (const k of STEPS) cuts.push(g.mean[axis] + k * s, g.mean[axis] - k * s);
        // The narrowest principal std: the smaller eigenvalue of the covariance.
        const { a, b, c } = g.cov;
        finest = Math.min(finest, Math.sqrt((a + c) / 2 - Math.hypot((a - c) / 2, b)));
      }
    } else if (t.kind === 'box') {
      cuts.push(t.lo[axis], t.hi[axis]);
      finest = Math.min(finest, (t.hi[axis] - t.lo[axis]) / 4);
    }
  }
  const sorted = [...new Set([lo, hi, ...cuts.filter((c) => c > lo && c < hi)])].sort((s, t) => s - t);
  const out = [sorted[0]];
  for (let k = 1; k < sorted.length; k++) {
    const pieces = Math.ceil((sorted[k] - sorted[k - 1]) / finest);
    for (let n = 1; n <= pieces; n++) out.push(sorted[k - 1] + ((sorted[k] - sorted[k - 1]) * n) / pieces);
  }
  return out;
}

const precisions = (t: Target2D) => (t.kind === 'mixture' ? t.components.map((g) => g.precision) : null);

/** Every f-divergence of the catalog between two analytic targets (W₁ is NaN: in 2-D it has no quadrature formula; see transport.ts). */
export function divergencesBetween2D(p: Target2D, q: Target2D): DivergenceValues {
  const values = {} as Record<DivergenceName, number>;
  values.wasserstein1 = NaN;
  const pSingular = p.kind === 'segment';
  const qSingular = q.kind === 'segment';
  if (pSingular || qSingular) {
    for (const name of F_DIVERGENCE_NAMES) values[name] = pSingular && qSingular ? NaN : mutuallySingularValue(F_DIVERGENCES[name]);
    values.jsd = values.jensen_shannon / 2;
    return values;
  }
  const pp = precisions(p);
  const pq = precisions(q);
  const divergences = F_DIVERGENCE_NAMES.map((n) => F_DIVERGENCES[n]);
  const diverges = divergences.map((d) => pp !== null && pq !== null && tailsDiverge2D(d.tail, pp, pq));
  const gx = compositeGaussLegendre(axisBreakpoints([p, q], 0));
  const gy = compositeGaussLegendre(axisBreakpoints([p, q], 1));
  const sums = new Float64Array(divergences.length);
  for (let j = 0; j < gy.x.length; j++) {
    for (let i = 0; i < gx.x.length; i++) {
      const lp = logPdf2D(p, gx.x[i], gy.x[j]);
      const lq = logPdf2D(q, gx.x[i], gy.x[j]);
      const w = gx.w[i] * gy.w[j];
      for (let k = 0; k < divergences.length; k++) if (!diverges[k]) sums[k] += w * divergences[k].integrand(lp, lq);
    }
  }
  F_DIVERGENCE_NAMES.forEach((name, k) => { values[name] = diverges[k] ? Infinity : sums[k]; });
  values.jsd = values.jensen_shannon / 2;
  return values;
}
