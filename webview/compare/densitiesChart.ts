/**
 * 1-D: the final q(x) of every definition on one chart over p(x): each definition's q averaged
 * over its seeds (the density of "a seed's generator", a mixture) bold in its colour, each seed's
 * q as a thin line. Each run's grid follows its own generator, so all are resampled onto one x.
 * When the definitions train on different targets, each p is drawn dashed in its definition's colour.
 */
import type uPlot from 'uplot';
import { mixedTargets } from '../../src/compareProtocol';
import { formatCount, formatValue } from '../../src/numberFormat';
import { makeAxis } from '../charts/axes';
import { Chart, type PlotSpec } from '../charts/chart';
import { densityTop, finiteMax, massRange, Q_CLIP_FACTOR } from '../charts/densityRange';
import type { ZoomGroup } from '../charts/zoom';
import { withAlpha, type Palette } from '../theme';
import { definitionColour, distinctLabels } from './legend';
import type { CompareModel } from './model';
import { commonAxis, resample, seedStats, type SeedCurve } from './seedStats';

const GRID_POINTS = 600;

export class DensitiesChart extends Chart {
  private seeds: SeedCurve[][] = [];
  private extent: [number, number] | null = null;
  private top = 1;
  private signature = '';

  constructor(palette: Palette, zoom: ZoomGroup, private readonly model: CompareModel) {
    super({ id: 'compare-densities', title: 'Final densities', placeholder: 'Waiting for the first run to finish…', syncKey: 'compare-x', zoom, xLabel: 'x', overSteps: false }, palette);
  }

  /** One p for all, or one per definition when their targets differ. */
  private get perDefinitionP(): boolean {
    return mixedTargets(this.model.rows) !== undefined;
  }

  protected override xExtent(dataMin: number, dataMax: number): [number, number] {
    return this.extent ?? [dataMin, dataMax];
  }

  protected spec(): PlotSpec {
    const p = this.palette;
    const info = this.model.info!;
    const w = 1.5 + p.lineBoost;
    const names = distinctLabels(info.definitions, info.kind);
    const pSeries: uPlot.Series[] = this.perDefinitionP
      ? names.map((name, i) => ({ class: `p-${i}`, label: `p(x) of ${name}`, stroke: definitionColour(p, i), dash: [5, 4], width: w, points: { show: false } }))
      : [{ class: 'p', label: 'p(x) data', stroke: withAlpha(p.foreground, 0.7), fill: withAlpha(p.foreground, 0.1), width: w, points: { show: false } }];
    const qSeries: uPlot.Series[] = names.map((name, i) => ({
      class: `q-${i}`, label: `q(x) ${name}`, stroke: definitionColour(p, i), width: 2.5 + p.lineBoost, points: { show: false },
    }));
    return {
      series: [...pSeries, ...qSeries],
      axes: [makeAxis(p, { label: 'x', side: 2 }), makeAxis(p, { label: 'density' })],
      scales: { y: { range: () => [0, 1.06 * this.top] } },
      hooks: { drawAxes: [(u) => this.drawSeeds(u, pSeries.length)] },
    };
  }

  private drawSeeds(u: uPlot, pCount: number): void {
    const p = this.palette;
    const { ctx, bbox } = u;
    ctx.save();
    ctx.beginPath();
    ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
    ctx.clip();
    ctx.lineWidth = 1 + p.lineBoost / 2;
    this.seeds.forEach((curves, d) => {
      if (u.series[pCount + d + 1]?.show === false || curves.length < 2) return;
      ctx.strokeStyle = withAlpha(definitionColour(p, d), 0.45);
      for (const c of curves) {
        ctx.beginPath();
        for (let i = 0; i < c.xs.length; i++) {
          const y = Math.min(c.ys[i]!, 1.06 * this.top);
          if (!Number.isFinite(y)) continue;
          ctx.lineTo(u.valToPos(c.xs[i]!, 'x', true), u.valToPos(y, 'y', true));
        }
        ctx.stroke();
      }
    });
    ctx.restore();
  }

  protected data(): uPlot.AlignedData | null {
    const info = this.model.info;
    if (!info) return null;
    this.seeds = info.definitions.map((_, d) => this.model.cellsOf(d).flatMap((c) => (c.final?.dataDim === 1 ? [{ xs: c.final.x, ys: c.final.q }] : [])));
    const targets = info.definitions.map((_, d) => this.model.cellsOf(d).find((c) => c.final?.dataDim === 1)?.final);
    const all = this.seeds.flat();
    if (all.length === 0) return null;
    const perDefinition = this.perDefinitionP;
    const signature = `${info.id}|${info.definitions.length}|${perDefinition}`;
    if (signature !== this.signature) {
      this.signature = signature;
      this.invalidate();
    }
    const x = commonAxis(all, GRID_POINTS);
    const ps = (perDefinition ? targets : [targets.find((t) => t !== undefined)]).map((t) => (t?.dataDim === 1 ? resample({ xs: t.x, ys: t.p }, x, 0) : x.map(() => NaN)));
    const qs = this.seeds.map((curves) => (curves.length ? seedStats(curves, x, 0).mean : x.map(() => NaN)));
    // x: the central mass of p and of every q; y: p's peak, q's spikes clipped as in the inspector.
    const pMax = x.map((_, i) => Math.max(0, ...ps.map((pp) => pp[i]!).filter(Number.isFinite)));
    const qMax = x.map((_, i) => Math.max(0, ...qs.map((q) => q[i]!).filter(Number.isFinite)));
    this.extent = massRange(x, pMax, qMax);
    // The means average the seeds' values: the highest seed decides q's peak.
    const top = densityTop(pMax, [Math.max(0, ...all.map((c) => finiteMax(c.ys)))], false);
    this.top = top.top;
    this.setNote(top.clipped ? `q clipped at ${Q_CLIP_FACTOR}× p’s peak (the highest q reaches ${formatValue(top.qPeak, 3)}).` : '');
    const finished = all.length;
    this.setSubtitle(`After ${formatCount(info.steps)} steps · bold: each definition’s q averaged over its seeds${finished > info.definitions.length ? ', thin: each seed' : ''}`);
    const clipNaN = (a: number[]): (number | null)[] => a.map((v) => (Number.isFinite(v) ? v : null));
    this.raw = [null, ...ps, ...qs];
    return [x, ...ps.map(clipNaN), ...qs.map(clipNaN)];
  }
}
