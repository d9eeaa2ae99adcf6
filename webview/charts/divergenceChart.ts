import type uPlot from 'uplot';
import type { DefinitionSummary } from '../../src/protocol';
import { divergenceSymbol, divergenceUnits } from '../../src/core/divergenceSymbols';
import { formatValue } from '../../src/numberFormat';
import { shortFormula } from '../format';
import type { RunHistory } from '../history';
import { updateViewState, viewState } from '../state';
import { withAlpha, type Palette } from '../theme';
import { logScale, makeAxis } from './axes';
import { Chart, type PlotSpec } from './chart';
import { drawGap, drawInfinite, drawMarkers, svgGap, svgMarkers } from './overlays';
import { previousLabel, withinCurrentRange } from './previousRun';
import { mergeSteps, pick } from './steps';
import { Toggle } from './toggle';
import type { ZoomGroup } from './zoom';

/** uPlot series indices (x is 0). The gap's legend entry (3) exists only on a shared axis. */
const ANALYTIC = 1;
const ESTIMATE = 2;
const GAP = 3;

/**
 * The divergence over training steps: its exact value from p and q, the critic's estimate and
 * the shaded gap between them (how far the critic is from optimal), the minibatch estimate,
 * the generator's effective objective on its own axis, reload markers and the previous run.
 */
export class DivergenceChart extends Chart {
  private summary: DefinitionSummary | undefined;
  private readonly logToggle: Toggle;
  private logApplied = false;
  private previousLabel: string | null = null;

  constructor(palette: Palette, zoom: ZoomGroup, private readonly history: RunHistory) {
    super({
      id: 'divergence', title: 'Divergence over training', placeholder: 'No steps yet',
      syncKey: 'steps', zoom, xLabel: 'step', overSteps: true,
    }, palette);
    this.logToggle = new Toggle(this.tools, 'Log scale', 'Logarithmic y axis (positive values only)', viewState().divergenceLog, (on) => {
      updateViewState({ divergenceLog: on });
      this.invalidate();
      this.refresh();
    });
    this.tools.prepend(this.logToggle.button);
  }

  setSummary(summary: DefinitionSummary | undefined): void {
    const key = (s?: DefinitionSummary): string => (s ? `${s.divergence}|${s.estimating}|${s.effectiveObjective}|${s.criticOutput}` : '');
    if (key(summary) === key(this.summary)) return;
    this.summary = summary;
    this.setNote(summary ? `Dashed orange: what the generator effectively descends at the optimal critic, ${summary.effectiveObjective}.` : '');
    this.invalidate();
  }

  private get wasserstein(): boolean {
    return this.summary?.criticOutput === 'wasserstein';
  }

  protected override xExtent(dataMin: number, dataMax: number): [number, number] {
    // Follow the current run; the previous run's curve is context, clipped if it ran longer.
    const steps = this.history.columns.step;
    return steps.length > 0 ? [steps[0]!, steps[steps.length - 1]!] : [dataMin, dataMax];
  }

  protected spec(): PlotSpec {
    const p = this.palette;
    const s = this.summary;
    const b = p.lineBoost;
    const divergence = divergenceSymbol(s?.divergence);
    const log = this.logApplied;
    const estScale = this.wasserstein ? 'est' : 'y';
    const effScale = this.wasserstein ? 'y' : 'eff';
    const series: uPlot.Series[] = [
      { class: 'analytic', label: `${divergence} (exact)`, stroke: p.purple, width: 2 + b, points: { show: false } },
      { class: 'estimate', label: this.wasserstein ? 'critic estimate (right axis)' : 'critic estimate', stroke: p.green, width: 2 + b, scale: estScale, points: { show: false } },
      { class: 'minibatch', label: 'minibatch estimate', stroke: withAlpha(p.green, 0.4), width: 1, scale: estScale, points: { show: false } },
      {
        class: 'effective', label: `generator objective ${shortFormula(s?.effectiveObjective ?? '—')}${this.wasserstein ? '' : ' (right axis)'}`,
        stroke: p.orange, width: 1.5 + b, dash: [6, 4], scale: effScale, points: { show: false },
      },
    ];
    if (!this.wasserstein) {
      // Legend-only series: the band itself is drawn by drawGap; its legend value is the gap.
      // (With a Wasserstein critic the estimate has its own scale, so there is no gap to show.)
      series.splice(GAP - 1, 0, { class: 'gap', label: 'gap', stroke: 'transparent', fill: withAlpha(p.purple, 0.22), width: 0, points: { show: false } });
    }
    if (this.previousLabel) {
      series.push({ class: 'previous', label: this.previousLabel, stroke: withAlpha(p.foreground, 0.4), width: 1.5, dash: [2, 3], spanGaps: true, points: { show: false } });
    }
    const hooks: uPlot.Hooks.Arrays = {
      draw: [(u) => {
        drawMarkers(u, this.history.markers, p, true);
        if (u.series[ANALYTIC]?.show) drawInfinite(u, this.raw[ANALYTIC] ?? null, p.purple, p);
      }],
    };
    if (!this.wasserstein) hooks.drawAxes = [(u) => { if (u.series[GAP]?.show) drawGap(u, ANALYTIC, ESTIMATE, withAlpha(p.purple, 0.2)); }];
    const yLabel = `${divergence} (${divergenceUnits(s?.divergence)})`;
    const axes = [
      makeAxis(p, { label: 'step', side: 2 }),
      makeAxis(p, { label: log ? `${yLabel}, log` : yLabel, log }),
      this.wasserstein
        ? makeAxis(p, { label: 'critic estimate (scale arbitrary)', scale: 'est', side: 1, grid: false, color: p.green })
        : makeAxis(p, { label: 'generator objective', scale: 'eff', side: 1, grid: false, color: p.orange }),
    ];
    const scales: uPlot.Scales = {
      y: log ? logScale() : {},
      [this.wasserstein ? 'est' : 'eff']: {},
    };
    return { series, axes, scales, hooks };
  }

  protected data(): uPlot.AlignedData | null {
    const h = this.history;
    const c = h.columns;
    const label = previousLabel(this.summary, h.previousFrom);
    const prev = label === null ? null : h.previous;
    if (c.step.length === 0 && !prev) return null;
    if (label !== this.previousLabel) {
      this.previousLabel = label;
      this.invalidate();
    }
    const hasPositive = c.analytic.some((v) => v > 0) || c.estimate.some((v) => v > 0);
    const log = viewState().divergenceLog && hasPositive;
    this.logToggle.enable(hasPositive, 'Log scale needs positive values');
    if (log !== this.logApplied) {
      this.logApplied = log;
      this.invalidate();
    }
    const merged = mergeSteps(c.step, prev?.step);
    // On a log axis, values ≤ 0 cannot be placed: they become gaps.
    const yClip = log ? (v: number): number => (v > 0 ? v : NaN) : undefined;
    const estClip = this.wasserstein ? undefined : yClip;
    const gapRaw = this.wasserstein ? [] : c.analytic.map((a, i) => a - c.estimate[i]!);
    const out: uPlot.AlignedData = [
      merged.x,
      pick(c.analytic, merged.current, yClip),
      pick(c.estimate, merged.current, estClip),
      pick(c.minibatchEstimate, merged.current, estClip),
      pick(c.effective, merged.current, this.wasserstein ? yClip : undefined),
    ];
    this.raw = [null, spread(c.analytic, merged.current), spread(c.estimate, merged.current),
      spread(c.minibatchEstimate, merged.current), spread(c.effective, merged.current)];
    if (!this.wasserstein) {
      out.splice(GAP, 0, merged.x.map(() => null));
      this.raw.splice(GAP, 0, spread(gapRaw, merged.current));
    }
    if (prev) {
      // The series on the left axis: the previous curve stays within their range.
      const onY = this.wasserstein ? [out[ANALYTIC]!, out[out.length - 1]!] : [out[ANALYTIC]!, out[ESTIMATE]!, out[GAP + 1]!];
      out.push(withinCurrentRange(pick(prev.analytic, merged.previous, yClip), onY as (number | null | undefined)[][]));
      this.raw.push(spread(prev.analytic, merged.previous));
    }
    const latest = h.latest;
    this.setSubtitle(`${this.summary?.estimating ?? 'Divergence'}${latest ? ` · exact ${formatValue(latest.analytic)}, estimate ${formatValue(latest.estimate)}` : ''}${h.markers.length ? ' · dashed lines: reloads, red: restarts' : ''}`);
    return out;
  }

  protected override svgOverlay(u: uPlot): string {
    const p = this.palette;
    return (this.wasserstein || !u.series[GAP]?.show ? '' : svgGap(u, ANALYTIC, ESTIMATE, withAlpha(p.purple, 0.2))) + svgMarkers(u, this.history.markers, p);
  }
}

/** Raw values placed on the merged x (NaN where the run has no point), for legends. */
function spread(col: readonly number[], index: Int32Array | null): number[] {
  if (!index) return col as number[];
  return Array.from(index, (i) => (i >= 0 ? col[i]! : NaN));
}
