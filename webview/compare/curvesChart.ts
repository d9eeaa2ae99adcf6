/**
 * Every run's curve over training steps, overlaid: one colour per definition, its mean over
 * seeds bold (the plotted series, so the legend has one entry per definition), each seed as a
 * thin line of its own or, with "Band", the range the seeds span. Which curve: JSD, KL either
 * way, W₁ or each definition's own divergence, chosen in the card's tools and kept in the view
 * state, as the log scale is.
 */
import type uPlot from 'uplot';
import { CURVE_KEYS, type CurveKey } from '../../src/compareProtocol';
import { logScale, makeAxis } from '../charts/axes';
import { Chart, el, type PlotSpec } from '../charts/chart';
import { Toggle } from '../charts/toggle';
import type { ZoomGroup } from '../charts/zoom';
import { updateViewState, viewState } from '../state';
import { withAlpha, type Palette } from '../theme';
import { definitionColour, distinctLabels } from './legend';
import type { CompareModel } from './model';
import { commonAxis, seedStats, type SeedCurve } from './seedStats';

/** Points of the mean curves: the seeds' own points are drawn as they are. */
const MEAN_POINTS = 300;

const CURVE_NAMES: Readonly<Record<CurveKey, string>> = {
  analytic: 'own divergence',
  jsd: 'JSD',
  kl: 'KL(P‖Q)',
  reverseKl: 'KL(Q‖P)',
  wasserstein1: 'W₁',
};

const CURVE_TITLES: Readonly<Record<CurveKey, string>> = {
  analytic: 'Each definition’s own divergence (the one its critic estimates): not on one scale when they differ',
  jsd: 'Jensen–Shannon divergence between p and q, exact (nats, at most log 2)',
  kl: 'KL(P‖Q), exact: large where q misses p’s mass',
  reverseKl: 'KL(Q‖P), exact: large where q puts mass p does not have',
  wasserstein1: 'Wasserstein-1 distance, exact (x units)',
};

export class CurvesChart extends Chart {
  private readonly logToggle: Toggle;
  private readonly curveButtons = new Map<CurveKey, HTMLButtonElement>();
  private logApplied = false;
  /** The seeds' curves per definition, as last handed to uPlot (the hooks draw them). */
  private seeds: SeedCurve[][] = [];
  private band: { lo: (number | null)[]; hi: (number | null)[] }[] = [];
  private signature = '';

  constructor(palette: Palette, zoom: ZoomGroup, private readonly model: CompareModel) {
    super({ id: 'compare-curves', title: 'Over training', placeholder: 'No steps yet', syncKey: 'compare-steps', zoom, xLabel: 'step', overSteps: true }, palette);
    const picker = el('div', 'curve-picker', this.tools);
    picker.setAttribute('role', 'group');
    picker.setAttribute('aria-label', 'Curve shown');
    for (const key of CURVE_KEYS) {
      const b = el('button', 'chip toggle', picker);
      b.type = 'button';
      b.textContent = CURVE_NAMES[key];
      b.title = CURVE_TITLES[key];
      b.addEventListener('click', () => this.setCurve(key));
      this.curveButtons.set(key, b);
    }
    new Toggle(this.tools, 'Band', 'Show the range the seeds span instead of one thin line per seed', viewState().compare.band, (on) => {
      updateViewState({ compare: { ...viewState().compare, band: on } });
      this.invalidate();
      this.refresh();
    });
    this.logToggle = new Toggle(this.tools, 'Log', 'Logarithmic y axis (positive values only)', viewState().compare.log, (on) => {
      updateViewState({ compare: { ...viewState().compare, log: on } });
      this.invalidate();
      this.refresh();
    });
    this.markCurve();
  }

  private get curve(): CurveKey {
    return viewState().compare.curve;
  }

  private setCurve(key: CurveKey): void {
    updateViewState({ compare: { ...viewState().compare, curve: key } });
    this.markCurve();
    this.invalidate();
    this.refresh();
  }

  private markCurve(): void {
    for (const [key, b] of this.curveButtons) b.setAttribute('aria-pressed', String(key === this.curve));
  }

  private yLabel(): string {
    const key = this.curve;
    if (key !== 'analytic') return `${CURVE_NAMES[key]}${key === 'wasserstein1' ? ' (x units)' : ' (nats)'}`;
    const symbols = [...new Set(this.model.rows.map((r) => r.divergenceName).filter((s) => s !== undefined))];
    return symbols.length === 1 ? `${symbols[0]} (the loss’s own)` : 'each loss’s own divergence';
  }

  protected spec(): PlotSpec {
    const p = this.palette;
    const info = this.model.info;
    const log = this.logApplied;
    const names = info ? distinctLabels(info.definitions, info.kind) : [];
    const series: uPlot.Series[] = names.map((name, i) => ({
      class: `definition-${i}`, label: `${name} (mean)`, stroke: definitionColour(p, i), width: 2.5 + p.lineBoost, points: { show: false }, spanGaps: false,
    }));
    return {
      series,
      axes: [makeAxis(p, { label: 'step', side: 2 }), makeAxis(p, { label: log ? `${this.yLabel()}, log` : this.yLabel(), log })],
      scales: { y: this.yScale(log) },
      // Under the means: the seeds are the context, the means what the eye follows.
      hooks: { drawAxes: [(u) => this.drawSeeds(u)] },
    };
  }

  /** The y range follows every seed shown, not only the means uPlot plots. */
  private yScale(log: boolean): uPlot.Scale {
    const base = log ? logScale() : {};
    return {
      ...base,
      range: (u, min, max) => {
        const [lo, hi] = this.seedExtent(u, log);
        const a = Math.min(min ?? lo, lo);
        const b = Math.max(max ?? hi, hi);
        if (!(a <= b)) return log ? [0.01, 1] : [0, 1];
        if (log && typeof base.range === 'function') return base.range(u, a, b, 'y');
        const pad = 0.05 * (b - a || Math.abs(b) || 1);
        return [a >= 0 && a - pad < 0 ? 0 : a - pad, b + pad];
      },
    };
  }

  private seedExtent(u: uPlot, log: boolean): [number, number] {
    const x0 = u.scales['x']?.min ?? -Infinity;
    const x1 = u.scales['x']?.max ?? Infinity;
    let lo = Infinity;
    let hi = -Infinity;
    this.seeds.forEach((curves, d) => {
      if (u.series[d + 1]?.show === false) return;
      for (const c of curves) {
        for (let i = 0; i < c.xs.length; i++) {
          const x = c.xs[i]!;
          const y = c.ys[i]!;
          if (x < x0 || x > x1 || !Number.isFinite(y) || (log && y <= 0)) continue;
          if (y < lo) lo = y;
          if (y > hi) hi = y;
        }
      }
    });
    return [lo, hi];
  }

  private drawSeeds(u: uPlot): void {
    const p = this.palette;
    const { ctx, bbox } = u;
    const useBand = viewState().compare.band;
    const log = this.logApplied;
    const yPos = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) || (log && v <= 0) ? null : u.valToPos(v, 'y', true));
    ctx.save();
    ctx.beginPath();
    ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
    ctx.clip();
    this.seeds.forEach((curves, d) => {
      if (u.series[d + 1]?.show === false) return;
      const colour = definitionColour(p, d);
      if (useBand) {
        const band = this.band[d];
        if (!band) return;
        ctx.fillStyle = withAlpha(colour, 0.18);
        fillBand(ctx, u.data[0], band.lo, band.hi, (x) => u.valToPos(x, 'x', true), yPos);
        return;
      }
      ctx.strokeStyle = withAlpha(colour, 0.45);
      ctx.lineWidth = 1 + p.lineBoost / 2;
      for (const c of curves) {
        ctx.beginPath();
        let open = false;
        for (let i = 0; i < c.xs.length; i++) {
          const y = yPos(c.ys[i]);
          if (y === null) { open = false; continue; }
          const x = u.valToPos(c.xs[i]!, 'x', true);
          if (open) ctx.lineTo(x, y);
          else ctx.moveTo(x, y);
          open = true;
        }
        ctx.stroke();
      }
    });
    ctx.restore();
  }

  protected data(): uPlot.AlignedData | null {
    const info = this.model.info;
    if (!info) return null;
    const key = this.curve;
    const signature = `${info.id}|${info.definitions.length}|${key}|${this.yLabel()}`;
    if (signature !== this.signature) {
      this.signature = signature;
      this.invalidate();
    }
    this.seeds = info.definitions.map((_, d) => this.model.cellsOf(d).map((c) => ({ xs: c.curves.step, ys: c.curves[key] })));
    const all = this.seeds.flat();
    if (all.every((c) => c.xs.length === 0)) return null;
    const hasPositive = all.some((c) => Array.prototype.some.call(c.ys, (v: number) => v > 0 && v < Infinity));
    const log = viewState().compare.log && hasPositive;
    this.logToggle.enable(hasPositive, 'Log scale needs positive values');
    if (log !== this.logApplied) {
      this.logApplied = log;
      this.invalidate();
    }
    const x = commonAxis(all, MEAN_POINTS);
    const clip = (v: number): number | null => (Number.isFinite(v) && (!log || v > 0) ? v : null);
    const stats = this.seeds.map((curves) => seedStats(curves, x));
    this.band = stats.map((s) => ({ lo: s.lo.map(clip), hi: s.hi.map(clip) }));
    this.raw = [null, ...stats.map((s) => s.mean)];
    const done = this.model.cells.filter((c) => c.info.state === 'finished').length;
    this.setSubtitle(`${CURVE_TITLES[key]} · bold: mean over seeds, ${viewState().compare.band ? 'band: the range of the seeds' : 'thin: each seed'} · ${done} of ${this.model.cells.length} runs finished`);
    return [x, ...stats.map((s) => s.mean.map(clip))];
  }
}

/** Fills between lo and hi along x, one polygon per stretch where both are defined. */
function fillBand(ctx: CanvasRenderingContext2D, xs: ArrayLike<number>, lo: readonly (number | null)[], hi: readonly (number | null)[], px: (x: number) => number, py: (v: number | null) => number | null): void {
  let top: [number, number][] = [];
  let bottom: [number, number][] = [];
  const flush = (): void => {
    if (top.length >= 2) {
      ctx.beginPath();
      for (const [x, y] of [...top, ...bottom.reverse()]) ctx.lineTo(x, y);
      ctx.closePath();
      ctx.fill();
    }
    top = [];
    bottom = [];
  };
  for (let i = 0; i < xs.length; i++) {
    const a = py(hi[i] ?? null);
    const b = py(lo[i] ?? null);
    if (a === null || b === null) { flush(); continue; }
    const x = px(xs[i]!);
    top.push([x, a]);
    bottom.push([x, b]);
  }
  flush();
}

