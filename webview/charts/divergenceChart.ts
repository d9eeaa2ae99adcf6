import type uPlot from 'uplot';
import type { DefinitionSummary } from '../../src/protocol';
import { divergenceSymbol, divergenceUnits } from '../../src/core/divergenceSymbols';
import { formatCount, formatValue } from '../../src/numberFormat';
import { shortFormula } from '../format';
import type { RunHistory } from '../history';
import { updateViewState, viewState } from '../state';
import { withAlpha, type Palette } from '../theme';
import { logScale, makeAxis } from './axes';
import { Chart, type PlotSpec } from './chart';
import { drawGap, drawInfinite, drawMarkers, svgGap, svgMarkers } from './overlays';
import type { Pen } from './pen';
import { stepLine } from './marks';
import type { StepCursor } from './stepCursor';
import { likeColumns } from './lossSegments';
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

  constructor(palette: Palette, zoom: ZoomGroup, private readonly history: RunHistory, private readonly cursor: StepCursor, onPick?: (step: number) => void) {
    super({
      id: 'divergence', title: 'Divergence over training', placeholder: 'No steps yet',
      syncKey: 'steps', zoom, xLabel: 'step', overSteps: true, ...(onPick ? { onPick } : {}),
    }, palette);
    cursor.subscribe(() => this.plot?.redraw(false, false));
    this.logToggle = new Toggle(this.tools, 'Log scale', 'Logarithmic y axis (positive values only)', viewState().divergenceLog, (on) => {
      updateViewState({ divergenceLog: on });
      this.invalidate();
      this.refresh();
    });
    this.tools.prepend(this.logToggle.button);
  }

  setSummary(summary: DefinitionSummary | undefined): void {
    const key = (s?: DefinitionSummary): string => (s ? `${s.divergence}|${s.estimating}|${s.effectiveObjective}|${s.criticOutput}|${s.lipschitz}` : '');
    if (key(summary) === key(this.summary)) return;
    this.summary = summary;
    this.invalidate();
  }

  /** A Wasserstein critic: its objective is W₁ itself, on the left axis. */
  private get wasserstein(): boolean {
    return this.summary?.criticOutput === 'wasserstein';
  }

  /**
   * The estimate on its own axis: only weight clipping, whose critic estimates K·W₁ with K
   * unknown. A gradient penalty keeps the critic (nearly) 1-Lipschitz, so its gap is W₁'s.
   */
  private get ownEstimateScale(): boolean {
    return this.wasserstein && this.summary?.lipschitz !== 'gradientPenalty';
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
    const own = this.ownEstimateScale;
    const estScale = own ? 'est' : 'y';
    const series: uPlot.Series[] = [
      { class: 'analytic', label: `${divergence} (exact)`, stroke: p.purple, width: 2 + b, points: { show: false } },
      { class: 'estimate', label: own ? 'critic estimate K·W₁ (right axis)' : 'critic estimate', stroke: p.green, width: 2 + b, scale: estScale, points: { show: false } },
      { class: 'minibatch', label: 'minibatch estimate', stroke: withAlpha(p.green, 0.4), width: 1, scale: estScale, points: { show: false } },
    ];
    // A Wasserstein critic's objective is W₁ itself: the exact curve already is it.
    if (!this.wasserstein) {
      series.push({
        class: 'effective', label: `generator objective ${shortFormula(s?.effectiveObjective ?? '—')} (right axis)`,
        stroke: p.orange, width: 1.5 + b, dash: [6, 4], scale: 'eff', points: { show: false },
      });
    }
    if (!own) {
      // Legend-only series: the band itself is drawn by drawGap; its legend value is the gap.
      // (A weight-clipped critic's estimate has its own scale, so there is no gap to show.)
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
    if (!own) hooks.drawAxes = [(u) => { if (u.series[GAP]?.show) drawGap(u, ANALYTIC, ESTIMATE, withAlpha(p.purple, 0.2)); }];
    const yLabel = `${divergence} (${divergenceUnits(s?.divergence)})`;
    const axes = [
      makeAxis(p, { label: 'step', side: 2 }),
      makeAxis(p, { label: log ? `${yLabel}, log` : yLabel, log }),
    ];
    const scales: uPlot.Scales = { y: log ? logScale() : {} };
    // The right axis: the weight-clipped estimate's scale, or the generator objective's (a
    // Wasserstein critic's objective is W₁ itself, on the left).
    if (own) {
      axes.push(makeAxis(p, { label: 'critic estimate K·W₁ (K unknown)', scale: 'est', side: 1, grid: false, color: p.green }));
      scales['est'] = {};
    } else if (!this.wasserstein) {
      axes.push(makeAxis(p, { label: 'generator objective', scale: 'eff', side: 1, grid: false, color: p.orange }));
      scales['eff'] = {};
    }
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
    // After a loss swap only the current quantity is drawn on its axis.
    const like = likeColumns(c, h.markers, this.summary);
    const other = like.other;
    this.setNote(this.summary ? noteFor(this.summary) + (other
      ? ` Up to step ${formatCount(other.until)} the loss estimated ${divergenceSymbol(other.divergence)}: its estimate is not drawn here${other.exactKept ? `, the exact ${divergenceSymbol(this.summary.divergence)} is` : ''}.`
      : '') : '');
    // On a log axis, values ≤ 0 cannot be placed: they become gaps.
    const yClip = log ? (v: number): number => (v > 0 ? v : NaN) : undefined;
    const own = this.ownEstimateScale;
    const estClip = own ? undefined : yClip;
    const gapRaw = own ? [] : like.analytic.map((a, i) => a - like.estimate[i]!);
    const out: uPlot.AlignedData = [
      merged.x,
      pick(like.analytic, merged.current, yClip),
      pick(like.estimate, merged.current, estClip),
      pick(like.minibatchEstimate, merged.current, estClip),
    ];
    this.raw = [null, spread(like.analytic, merged.current), spread(like.estimate, merged.current), spread(like.minibatchEstimate, merged.current)];
    if (!this.wasserstein) {
      out.push(pick(like.effective, merged.current));
      this.raw.push(spread(like.effective, merged.current));
    }
    if (!own) {
      out.splice(GAP, 0, merged.x.map(() => null));
      this.raw.splice(GAP, 0, spread(gapRaw, merged.current));
    }
    if (prev) {
      // The series on the left axis: the previous curve stays within their range.
      const onY = own ? [out[ANALYTIC]!] : [out[ANALYTIC]!, out[ESTIMATE]!, out[GAP + 1]!];
      out.push(withinCurrentRange(pick(prev.analytic, merged.previous, yClip), onY as (number | null | undefined)[][]));
      this.raw.push(spread(prev.analytic, merged.previous));
    }
    const latest = h.latest;
    // The curve's last point, named by its step: the header above shows the newest snapshot, which the curve may not have yet.
    this.setSubtitle(`${this.summary?.estimating ?? 'Divergence'}${latest ? ` · at step ${formatCount(latest.step)}: exact ${formatValue(latest.analytic)}, estimate ${formatValue(latest.estimate)}` : ''}${h.markers.length ? ' · dashed lines: reloads, red: restarts' : ''}`);
    return out;
  }

  protected override marks(u: uPlot, pen: Pen): void {
    stepLine(u, pen, this.cursor.get(), this.palette.foreground);
  }

  protected override svgOverlay(u: uPlot): string {
    const p = this.palette;
    return super.svgOverlay(u) + (this.ownEstimateScale || !u.series[GAP]?.show ? '' : svgGap(u, ANALYTIC, ESTIMATE, withAlpha(p.purple, 0.2))) + svgMarkers(u, this.history.markers, p);
  }
}

/** The lines under the chart: what the shaded gap is, and where the generator objective is drawn. */
function noteFor(s: DefinitionSummary): string {
  const objective = s.criticOutput === 'wasserstein'
    ? `The generator descends ${s.effectiveObjective} itself at the optimal critic.`
    : `Dashed orange: what the generator effectively descends at the optimal critic, ${s.effectiveObjective}.`;
  const gap = s.criticOutput === 'wasserstein' && s.lipschitz !== 'gradientPenalty'
    ? 'Weight clipping sets the critic\'s Lipschitz constant K, unknown: its estimate K·W₁ is on its own axis, so there is no gap to read.'
    : 'Shaded: the gap, exact − estimate: what the critic does not see.';
  return `${gap} ${objective}`;
}

/** Raw values placed on the merged x (NaN where the run has no point), for legends. */
function spread(col: readonly number[], index: Int32Array | null): number[] {
  if (!index) return col as number[];
  return Array.from(index, (i) => (i >= 0 ? col[i]! : NaN));
}
