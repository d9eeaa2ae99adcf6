/**
 * theory.md §2 as data: for each generator loss, what it descends when the critic is at its
 * optimum, and that objective's analytic value from p and q on the grid, so the panel can
 * show it next to the critic's estimate. Where no divergence is known the value is the loss
 * itself at the optimal critic, and `isDivergence` says so.
 */
import { analyticFDivergence, analyticDivergences } from './analytic';
import type { DivergenceValues, FDivergence } from './divergences';
import type { Grid, GridDensity } from './grid';
import { sigmoid } from './special';

export type EffectiveObjectiveKind =
  | 'minimax' | 'nonSaturating' | 'logRatio' | 'fganSaturating' | 'fganNonSaturating' | 'wgan' | 'leastSquares' | 'hinge' | 'custom';

export interface ObjectiveContext {
  readonly grid: Grid;
  readonly p: GridDensity;
  readonly q: GridDensity;
  /** The f-GAN divergence; required by the two f-GAN kinds. */
  readonly divergence?: FDivergence | undefined;
  /** analyticDivergences(grid, p, q) if already computed this frame. */
  readonly divergences?: DivergenceValues | undefined;
}

export interface EffectiveObjective {
  readonly kind: EffectiveObjectiveKind;
  /** The generator's loss as written, e.g. "−E_Q[log D]". */
  readonly loss: string;
  /** What it descends at the optimal critic, e.g. "KL(Q‖P) − 2·JSD(P‖Q)". */
  readonly label: string;
  /** False where no divergence is known; value() is then the loss itself at the optimal critic (NaN for custom losses). */
  readonly isDivergence: boolean;
  value(ctx: ObjectiveContext): number;
}

const all = (ctx: ObjectiveContext): DivergenceValues => ctx.divergences ?? analyticDivergences(ctx.grid, ctx.p, ctx.q);

function requireDivergence(ctx: ObjectiveContext, kind: EffectiveObjectiveKind): FDivergence {
  if (!ctx.divergence) throw new TypeError(`the ${kind} objective needs the f-divergence`);
  return ctx.divergence;
}

/** E_Q[g(log p − log q)] over the grid's nodes, nodes without Q mass skipped (mass outside the grid is not counted). */
function expectationUnderQ(ctx: ObjectiveContext, g: (logRatio: number) => number): number {
  const { grid, p, q } = ctx;
  const { weight } = grid.nodes;
  let sum = 0;
  for (let j = 0; j < weight.length; j++) {
    const lq = q.logNodeDensity[j];
    if (lq !== -Infinity) sum += weight[j] * Math.exp(lq) * g(p.logNodeDensity[j] - lq);
  }
  return sum;
}

const objective = (kind: EffectiveObjectiveKind, loss: string, label: string, isDivergence: boolean, value: (ctx: ObjectiveContext) => number): EffectiveObjective =>
  ({ kind, loss, label, isDivergence, value });

export const EFFECTIVE_OBJECTIVES: Readonly<Record<EffectiveObjectiveKind, EffectiveObjective>> = {
  minimax: objective('minimax', 'E_Q[log(1 − D)]', '2·JSD(P‖Q) − log 4 (= V(G, D*))', true, (ctx) => all(ctx).gan),
  nonSaturating: objective('nonSaturating', '−E_Q[log D]', 'KL(Q‖P) − 2·JSD(P‖Q)', true, (ctx) => {
    const d = all(ctx);
    return d.reverse_kl - 2 * d.jsd;
  }),
  logRatio: objective('logRatio', 'E_Q[log((1 − D)/D)] = −E_Q[v]', 'KL(Q‖P)', true, (ctx) => all(ctx).reverse_kl),
  fganSaturating: objective('fganSaturating', '−E_Q[f*(g_f(V))]', 'D_f(P‖Q)', true, (ctx) =>
    analyticFDivergence(requireDivergence(ctx, 'fganSaturating'), ctx.grid, ctx.p, ctx.q)),
  fganNonSaturating: objective('fganNonSaturating', '−E_Q[g_f(V)]', '−E_Q[f′(p/q)] (pathwise; not D_f: for KL it is KL(Q‖P) − 1)', true, (ctx) => {
    const d = requireDivergence(ctx, 'fganNonSaturating');
    return -expectationUnderQ(ctx, (l) => d.optimalCritic(l));
  }),
  wgan: objective('wgan', '−E_Q[f_w]', 'W₁(P, Q)', true, (ctx) => all(ctx).wasserstein1),
  leastSquares: objective('leastSquares', '½E_Q[(D − 1)²] (labels 0/1)', '½E_Q[(1 − D*)²], D* = p/(p + q): no divergence known for labels 0/1', false, (ctx) =>
    0.5 * expectationUnderQ(ctx, (l) => sigmoid(-l) ** 2)),
  hinge: objective('hinge', '−E_Q[D]', '−E_Q[D*] = Q(p < q) − Q(p > q), D* = sign(p − q): no divergence (zero pathwise gradient)', false, (ctx) =>
    expectationUnderQ(ctx, (l) => -Math.sign(l))),
  custom: objective('custom', 'custom', 'unknown (custom generator loss)', false, () => NaN),
};

/** The analytic value of what a generator loss of `kind` descends, on the grid. */
export function effectiveObjective(kind: EffectiveObjectiveKind, ctx: ObjectiveContext): number {
  return EFFECTIVE_OBJECTIVES[kind].value(ctx);
}
