import type uPlot from 'uplot';
import type { CriticOutputKind, DefinitionSummary, LipschitzMethod, Snapshot } from '../../src/protocol';
import { withAlpha, type Palette } from '../theme';
import { makeAxis } from './axes';
import { Chart, finiteOrNull, type PlotSpec } from './chart';
import { gridView } from './densityRange';
import type { Pen } from './pen';
import { before, guide } from './marks';
import type { ZoomGroup } from './zoom';

interface KindText {
  readonly title: string;
  readonly critic: string;
  readonly optimal: string;
  readonly axis: string;
}

const TEXT: Record<CriticOutputKind, KindText> = {
  discriminator: { title: 'Discriminator D(x) vs optimal D*(x)', critic: 'D(x)', optimal: 'D*(x) = p/(p+q)', axis: 'D(x) = P(data | x)' },
  fgan: { title: 'Critic T(x) vs optimal T*(x)', critic: 'T(x) = g_f(V(x))', optimal: 'T*(x) = f′(p/q)', axis: 'T(x)' },
  wasserstein: { title: 'Critic f_w(x) vs optimal f*(x)', critic: 'f_w(x), centred', optimal: 'f*(x): Kantorovich potential, slope ±1', axis: 'f(x), centred' },
  score: { title: 'Critic score s(x)', critic: 's(x)', optimal: 'optimal s*(x)', axis: 's(x)' },
};

/** Share of the peak of p+q below which the optimal critic is not used to set the y range. */
const SUPPORT = 1e-3;

/**
 * The critic's output on the grid against the optimal critic for the current generator.
 * Where p or q vanish the optimum runs off to ±∞ (f′(p/q)); those tails would flatten
 * everything else, so the y range follows the critic and the optimum only where there is mass.
 */
export class CriticChart extends Chart {
  private snapshot: Snapshot | null = null;
  /** The critic before its half step, drawn faint; null otherwise. */
  private criticBefore: Snapshot | null = null;
  private kind: CriticOutputKind = 'discriminator';
  private lipschitz: LipschitzMethod | undefined;
  private showOptimal = true;
  private yRange: [number, number] = [0, 1];

  constructor(palette: Palette, zoom: ZoomGroup) {
    super({
      id: 'critic', title: TEXT.discriminator.title, placeholder: 'Waiting for the first snapshot…',
      syncKey: 'grid', zoom, xLabel: 'x', overSteps: false,
    }, palette);
  }

  setSummary(summary: DefinitionSummary): void {
    if (summary.criticOutput === this.kind && summary.lipschitz === this.lipschitz) return;
    this.kind = summary.criticOutput;
    this.lipschitz = summary.lipschitz;
    this.setTitle(TEXT[this.kind].title);
    this.invalidate();
  }

  /** A weight-clipped critic is K·f for an unknown K: f* goes on its own axis. */
  private get optimalOwnScale(): boolean {
    return this.kind === 'wasserstein' && this.lipschitz !== 'gradientPenalty';
  }

  setSnapshot(s: Snapshot, previous: Snapshot | null = null): void {
    this.criticBefore = s.subStep === 'critic' ? previous : null;
    const showOptimal = s.optimalCritic.length === s.x.length;
    if (showOptimal !== this.showOptimal) {
      this.showOptimal = showOptimal;
      this.invalidate();
    }
    this.snapshot = s;
    this.setSubtitle(this.kind === 'wasserstein'
      ? this.optimalOwnScale
        ? 'Weight clipping sets f_w\'s scale K, unknown: f* (slope ±1) on the right axis. Both centred on the mass of p and q (a constant is free).'
        : 'Both centred on the mass of p and q (a constant is free), not rescaled: f_w\'s slope is its Lipschitz constant, f*\'s is ±1.'
      : this.kind === 'discriminator'
        ? 'Dotted: D = ½, where data and samples cannot be told apart'
        : 'T* is drawn where finite; where p/q is extreme it runs off the chart');
  }

  clear(): void {
    this.snapshot = null;
  }

  /** D = ½: where data and samples cannot be told apart. */
  protected override marks(u: uPlot, pen: Pen): void {
    if (this.kind === 'discriminator') guide(u, pen, 0.5, 'y', withAlpha(this.palette.foreground, 0.45));
    const b = this.criticBefore;
    if (b && u.series[1]?.show) {
      const values = this.kind === 'wasserstein' ? centred(finiteOrNull(b.critic), b.p, b.q) : finiteOrNull(b.critic);
      before(u, pen, b.x, values, 'y', withAlpha(this.palette.green, 0.75));
    }
  }

  /** The densities' view: the crosshair and the eye move between charts over the same x. */
  protected override xExtent(dataMin: number, dataMax: number): [number, number] {
    return this.snapshot ? gridView(this.snapshot) : [dataMin, dataMax];
  }

  protected spec(): PlotSpec {
    const p = this.palette;
    const t = TEXT[this.kind];
    const series: uPlot.Series[] = [
      { class: 'critic', label: t.critic, stroke: p.green, width: 2 + p.lineBoost, points: { show: false } },
    ];
    const own = this.optimalOwnScale;
    if (this.showOptimal) {
      series.push({ class: 'optimal', label: own ? `${t.optimal} (right axis)` : t.optimal, stroke: p.purple, width: 1.5 + p.lineBoost, dash: [6, 4], scale: own ? 'opt' : 'y', points: { show: false } });
    }
    const axes = [makeAxis(p, { label: 'x', side: 2 }), makeAxis(p, { label: own ? 'f_w(x), centred (scale K·)' : t.axis })];
    const scales: uPlot.Scales = { y: { range: () => this.yRange } };
    if (own && this.showOptimal) {
      axes.push(makeAxis(p, { label: 'f*(x), centred', scale: 'opt', side: 1, grid: false, color: p.purple }));
      scales['opt'] = {};
    }
    return { series, axes, scales };
  }

  protected data(): uPlot.AlignedData | null {
    const s = this.snapshot;
    if (!s) return null;
    const x = Array.from(s.x);
    const w = this.kind === 'wasserstein';
    // A Wasserstein critic and its optimum are defined up to a constant: both are centred.
    const critic = w ? centred(finiteOrNull(s.critic), s.p, s.q) : finiteOrNull(s.critic);
    this.raw = [null, w ? null : s.critic];
    const out: uPlot.AlignedData = [x, critic];
    let optimal: (number | null)[] = [];
    if (this.showOptimal) {
      optimal = w ? centred(finiteOrNull(s.optimalCritic), s.p, s.q) : finiteOrNull(s.optimalCritic);
      out.push(optimal);
      this.raw.push(w ? null : s.optimalCritic);
    }
    this.yRange = this.range(s, critic, this.optimalOwnScale ? [] : optimal);
    return out;
  }

  /** The y range over the x view (the critic far outside the mass would set it otherwise). */
  private range(s: Snapshot, critic: readonly (number | null)[], optimal: readonly (number | null)[]): [number, number] {
    if (this.kind === 'discriminator') return [0, 1];
    const { x, p, q } = s;
    const [from, to] = gridView(s);
    const inView = (i: number): boolean => x[i]! >= from && x[i]! <= to;
    let peak = 0;
    for (let i = 0; i < p.length; i++) peak = Math.max(peak, (p[i]! || 0) + (q[i]! || 0));
    let cLo = Infinity;
    let cHi = -Infinity;
    critic.forEach((c, i) => { if (c != null && inView(i)) { cLo = Math.min(cLo, c); cHi = Math.max(cHi, c); } });
    // The optimum may widen the range, but by at most twice the critic's own span: where
    // p/q is extreme (T* = 1 − (q/p)² near a gap in p) it leaves the chart instead. The
    // Kantorovich potential is finite everywhere: it is drawn whole.
    const span = Number.isFinite(cHi - cLo) && this.kind !== 'wasserstein' ? Math.max(cHi - cLo, 0.5) : Infinity;
    let lo = cLo;
    let hi = cHi;
    for (let i = 0; i < optimal.length; i++) {
      const o = optimal[i];
      if (o == null || !inView(i) || (p[i]! || 0) + (q[i]! || 0) <= SUPPORT * peak) continue;
      lo = Math.min(lo, Math.max(o, cLo - 2 * span));
      hi = Math.max(hi, Math.min(o, cHi + 2 * span));
    }
    if (!(lo < hi)) return Number.isFinite(lo) ? [lo - 1, lo + 1] : [-1, 1];
    const pad = (hi - lo) * 0.06;
    return [lo - pad, hi + pad];
  }
}

/**
 * A Wasserstein critic (and the Kantorovich potential) is defined up to an additive constant:
 * shifted to mean 0 under (p+q)/2, and not rescaled, so that slopes stay readable.
 */
function centred(v: (number | null)[], p: ArrayLike<number>, q: ArrayLike<number>): (number | null)[] {
  let sw = 0;
  let sv = 0;
  for (let i = 0; i < v.length; i++) {
    const w = (p[i]! || 0) + (q[i]! || 0);
    if (v[i] != null && Number.isFinite(w)) { sw += w; sv += w * v[i]!; }
  }
  const mean = sw > 0 ? sv / sw : 0;
  return v.map((x) => (x == null ? null : x - mean));
}
