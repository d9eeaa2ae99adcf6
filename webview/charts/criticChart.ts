import type uPlot from 'uplot';
import type { CriticOutputKind, Snapshot } from '../../src/protocol';
import { withAlpha, type Palette } from '../theme';
import { makeAxis } from './axes';
import { Chart, finiteOrNull, type PlotSpec } from './chart';
import { gridView } from './densityRange';
import { drawHLine } from './overlays';
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
  wasserstein: { title: 'Critic f_w(x) (scale arbitrary)', critic: 'f_w(x), centred and scaled', optimal: 'optimum', axis: 'f_w(x) (scale arbitrary)' },
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
  private kind: CriticOutputKind = 'discriminator';
  private showOptimal = true;
  private yRange: [number, number] = [0, 1];

  constructor(palette: Palette, zoom: ZoomGroup) {
    super({
      id: 'critic', title: TEXT.discriminator.title, placeholder: 'Waiting for the first snapshot…',
      syncKey: 'grid', zoom, xLabel: 'x', overSteps: false,
    }, palette);
  }

  setKind(kind: CriticOutputKind): void {
    if (kind === this.kind) return;
    this.kind = kind;
    this.setTitle(TEXT[kind].title);
    this.invalidate();
  }

  setSnapshot(s: Snapshot): void {
    const showOptimal = this.kind !== 'wasserstein' && s.optimalCritic.length === s.x.length;
    if (showOptimal !== this.showOptimal) {
      this.showOptimal = showOptimal;
      this.invalidate();
    }
    this.snapshot = s;
    this.setSubtitle(this.kind === 'wasserstein'
      ? 'f_w is only defined up to scale and shift: centred on the mass of p and q, scaled to ±1'
      : this.kind === 'discriminator'
        ? 'Dotted: D = ½, where data and samples cannot be told apart'
        : 'T* is drawn where finite; where p/q is extreme it runs off the chart');
  }

  clear(): void {
    this.snapshot = null;
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
    if (this.showOptimal) {
      series.push({ class: 'optimal', label: t.optimal, stroke: p.purple, width: 1.5 + p.lineBoost, dash: [6, 4], points: { show: false } });
    }
    const hooks: uPlot.Hooks.Arrays = {};
    if (this.kind === 'discriminator') hooks.drawAxes = [(u) => drawHLine(u, 0.5, 'y', withAlpha(p.foreground, 0.45))];
    return {
      series,
      axes: [makeAxis(p, { label: 'x', side: 2 }), makeAxis(p, { label: t.axis })],
      scales: { y: { range: () => this.yRange } },
      hooks,
    };
  }

  protected data(): uPlot.AlignedData | null {
    const s = this.snapshot;
    if (!s) return null;
    const x = Array.from(s.x);
    let critic = finiteOrNull(s.critic);
    if (this.kind === 'wasserstein') critic = centreAndScale(critic, s.p, s.q);
    this.raw = [null, this.kind === 'wasserstein' ? null : s.critic];
    const out: uPlot.AlignedData = [x, critic];
    let optimal: (number | null)[] = [];
    if (this.showOptimal) {
      optimal = finiteOrNull(s.optimalCritic);
      out.push(optimal);
      this.raw.push(s.optimalCritic);
    }
    this.yRange = this.range(critic, optimal, s.p, s.q);
    return out;
  }

  private range(critic: readonly (number | null)[], optimal: readonly (number | null)[], p: ArrayLike<number>, q: ArrayLike<number>): [number, number] {
    if (this.kind === 'discriminator') return [0, 1];
    let peak = 0;
    for (let i = 0; i < p.length; i++) peak = Math.max(peak, (p[i]! || 0) + (q[i]! || 0));
    let cLo = Infinity;
    let cHi = -Infinity;
    for (const c of critic) if (c != null) { cLo = Math.min(cLo, c); cHi = Math.max(cHi, c); }
    // The optimum may widen the range, but by at most twice the critic's own span: where
    // p/q is extreme (T* = 1 − (q/p)² near a gap in p) it leaves the chart instead.
    const span = Number.isFinite(cHi - cLo) ? Math.max(cHi - cLo, 0.5) : Infinity;
    let lo = cLo;
    let hi = cHi;
    for (let i = 0; i < optimal.length; i++) {
      const o = optimal[i];
      if (o == null || (p[i]! || 0) + (q[i]! || 0) <= SUPPORT * peak) continue;
      lo = Math.min(lo, Math.max(o, cLo - 2 * span));
      hi = Math.max(hi, Math.min(o, cHi + 2 * span));
    }
    if (!(lo < hi)) return Number.isFinite(lo) ? [lo - 1, lo + 1] : [-1, 1];
    const pad = (hi - lo) * 0.06;
    return [lo - pad, hi + pad];
  }
}

/**
 * A Wasserstein critic is defined up to an additive constant and (with clipping) an unknown
 * scale: centre it on its mean under (p+q)/2 and scale its largest deviation to 1.
 */
function centreAndScale(v: (number | null)[], p: ArrayLike<number>, q: ArrayLike<number>): (number | null)[] {
  let sw = 0;
  let sv = 0;
  for (let i = 0; i < v.length; i++) {
    const w = (p[i]! || 0) + (q[i]! || 0);
    if (v[i] != null && Number.isFinite(w)) { sw += w; sv += w * v[i]!; }
  }
  const mean = sw > 0 ? sv / sw : 0;
  let max = 0;
  for (const x of v) if (x != null) max = Math.max(max, Math.abs(x - mean));
  const k = max > 0 ? 1 / max : 1;
  return v.map((x) => (x == null ? null : (x - mean) * k));
}
