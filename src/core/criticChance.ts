/**
 * A critic at chance: one whose loss is what the best *constant* output earns, the value every
 * critic reaches when P = Q. When the critic sits there while the exact divergence does not, its
 * estimate (≈ the divergence at P = Q) says nothing about P and Q: the gap between the two is
 * the critic's blindness, not convergence.
 *
 * Chance values (each the minimum of the critic's loss over constant outputs, equal P and Q):
 * - GAN: E_P softplus(−v) + E_Q softplus(v) is least at v = 0 (D = ½): log 4; estimate (V + log 4)/2 = 0.
 * - f-GAN: −(E_P[T] − E_Q[f*(T)]) at a constant t is least where t − f*(t) is greatest, and
 *   sup_t (t − f*(t)) = f**(1) = f(1) at t = f′(1): the loss is −f(1), the estimate f(1)
 *   (0 for every normalised f; for the GAN f, −log 4 and loss log 4).
 * - Least squares (labels 0/1): ½((c − 1)² + c²) is least at c = ½: ¼; estimate 2 − 8·¼ = 0.
 * - Hinge: relu(1 − c) + relu(1 + c) = 2 for c in [−1, 1]: 2; estimate 1 − 2/2 = 0.
 * WGAN has none (a constant critic is one of many with gap 0), nor has a custom loss.
 */

export interface CriticChance {
  /** The critic's loss at the best constant output. */
  readonly loss: number;
  /** The chance loss as a person writes it: "log 4", "0", "¼", "2". */
  readonly label: string;
  /** The critic's estimate there: the estimated divergence's value at P = Q. */
  readonly estimate: number;
  /** How far the critic's loss moves per unit of its estimate (the estimate is affine in the loss). */
  readonly lossPerUnit: number;
}

export const GAN_CHANCE: CriticChance = { loss: Math.log(4), label: 'log 4', estimate: 0, lossPerUnit: 2 };
export const LEAST_SQUARES_CHANCE: CriticChance = { loss: 0.25, label: '¼', estimate: 0, lossPerUnit: 1 / 8 };
export const HINGE_CHANCE: CriticChance = { loss: 2, label: '2', estimate: 0, lossPerUnit: 2 };

/** An f-GAN's chance from f(1); undefined when a custom f gives no finite f(1). */
export function fganChance(f1: number): CriticChance | undefined {
  if (!Number.isFinite(f1)) return undefined;
  const label = f1 === 0 ? '0' : Math.abs(f1 + Math.log(4)) < 1e-12 ? 'log 4' : String(Number((-f1).toPrecision(4)));
  return { loss: 0 - f1, label, estimate: f1, lossPerUnit: 1 };
}

/**
 * The rule: over the last `windowSteps` steps (at least `minPoints` snapshots), the mean critic
 * loss lies within `tolerance` estimate units of its chance value (`tolerance · lossPerUnit` in
 * loss units: 0.01 around log 4 for a GAN) and so does the mean quadrature estimate. The
 * minibatch loss is noisy (±0.015 around log 4 at batch 256), the mean over the window is not;
 * 0.005 nats is about 2 % of the JSD the default example keeps while its critic is blind.
 */
export const CHANCE_RULE = { windowSteps: 500, minPoints: 5, tolerance: 0.005 } as const;

/** The history columns the rule reads (the panel's and the session's history have them all). */
export interface ChanceHistory {
  readonly step: readonly number[];
  readonly criticLoss: readonly number[];
  readonly estimate: readonly number[];
  readonly analytic: readonly number[];
}

export interface ChanceVerdict {
  readonly atChance: boolean;
  /** Means over the window. */
  readonly loss: number;
  readonly estimate: number;
  /** The exact divergence at the window's last point. */
  readonly exact: number;
  readonly fromStep: number;
  readonly toStep: number;
}

/** The verdict over the newest window; undefined without a chance value or with too few points. */
export function criticAtChance(h: ChanceHistory, chance: CriticChance | undefined, rule: typeof CHANCE_RULE = CHANCE_RULE): ChanceVerdict | undefined {
  if (!chance) return undefined;
  const points: number[] = [];
  const last = h.step[h.step.length - 1];
  if (last === undefined) return undefined;
  for (let i = h.step.length - 1; i >= 0; i--) {
    const inWindow = h.step[i]! > last - rule.windowSteps;
    if (!inWindow && points.length >= rule.minPoints) break;
    // The first snapshot of a run has no step behind it, hence no critic loss.
    if (Number.isFinite(h.criticLoss[i]) && Number.isFinite(h.estimate[i])) points.push(i);
  }
  if (points.length < rule.minPoints) return undefined;
  const mean = (col: readonly number[]): number => points.reduce((s, i) => s + col[i]!, 0) / points.length;
  const loss = mean(h.criticLoss);
  const estimate = mean(h.estimate);
  const atChance = Math.abs(loss - chance.loss) <= rule.tolerance * chance.lossPerUnit && Math.abs(estimate - chance.estimate) <= rule.tolerance;
  return { atChance, loss, estimate, exact: h.analytic[h.step.length - 1] ?? NaN, fromStep: h.step[points[points.length - 1]!]!, toStep: last };
}

/**
 * The one line the panel and the CLI show for a critic at chance; undefined otherwise. `symbol`
 * names the exact divergence ("JSD"), `format` writes its value.
 */
export function chanceNote(verdict: ChanceVerdict | undefined, chance: CriticChance | undefined, symbol: string, format: (v: number) => string): string | undefined {
  if (!verdict?.atChance || !chance) return undefined;
  const head = `Critic at chance (loss ≈ ${chance.label}): it cannot tell P from Q`;
  const gap = verdict.exact - chance.estimate;
  // Where P and Q really are close, a blind critic is right; only a gap it cannot see is blindness.
  return gap > 2 * CHANCE_RULE.tolerance
    ? `${head} — the gap to the exact ${symbol} (${format(verdict.exact)}) is the critic's blindness, not convergence.`
    : `${head}, and the exact ${symbol} (${format(verdict.exact)}) says they are close.`;
}
