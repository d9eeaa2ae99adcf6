import type uPlot from 'uplot';
import type { ScalarMetrics } from '../../src/protocol';
import type { RunHistory } from '../history';
import { updateViewState, viewState, type ViewState } from '../state';
import type { Palette } from '../theme';
import { logScale, makeAxis } from './axes';
import { Chart, type PlotSpec } from './chart';
import { drawMarkers } from './overlays';
import type { Pen } from './pen';
import { stepLine } from './marks';
import type { StepCursor } from './stepCursor';
import { pick } from './steps';
import { Toggle } from './toggle';
import type { ZoomGroup } from './zoom';

export interface MetricSeries {
  readonly key: keyof ScalarMetrics;
  readonly label: string;
  readonly color: (p: Palette) => string;
}

export interface MetricChartConfig {
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  readonly yLabel: string;
  readonly series: readonly MetricSeries[];
  /** View-state flag holding this chart's log toggle, if it has one. */
  readonly logKey?: 'gradLog';
  /** A fixed y range (cosines: −1 … 1) instead of the data's. */
  readonly yRange?: readonly [number, number];
}

/** A few scalar metrics over training steps (losses, gradient norms), with reload markers. */
export class MetricChart extends Chart {
  private readonly logToggle: Toggle | null = null;
  private logApplied = false;

  constructor(private readonly spec_: MetricChartConfig, palette: Palette, zoom: ZoomGroup, private readonly history: RunHistory, private readonly cursor: StepCursor, onPick?: (step: number) => void) {
    super({
      id: spec_.id, title: spec_.title, placeholder: 'No steps yet',
      syncKey: 'steps', zoom, xLabel: 'step', overSteps: true, ...(onPick ? { onPick } : {}),
    }, palette);
    cursor.subscribe(() => this.plot?.redraw(false, false));
    this.setSubtitle(spec_.subtitle);
    const logKey = spec_.logKey;
    if (logKey) {
      this.logToggle = new Toggle(this.tools, 'Log', 'Logarithmic y axis (positive values only)', viewState()[logKey], (on) => {
        updateViewState({ [logKey]: on } as Partial<ViewState>);
        this.invalidate();
        this.refresh();
      });
      this.tools.prepend(this.logToggle.button);
    }
  }

  protected override xExtent(dataMin: number, dataMax: number): [number, number] {
    const steps = this.history.columns.step;
    return steps.length > 0 ? [steps[0]!, steps[steps.length - 1]!] : [dataMin, dataMax];
  }

  protected spec(): PlotSpec {
    const p = this.palette;
    const log = this.logApplied;
    return {
      series: this.spec_.series.map((s) => ({
        class: s.key, label: s.label, stroke: s.color(p), width: 1.5 + p.lineBoost, points: { show: false },
      })),
      axes: [makeAxis(p, { label: 'step', side: 2 }), makeAxis(p, { label: log ? `${this.spec_.yLabel}, log` : this.spec_.yLabel, log })],
      scales: { y: log ? logScale() : this.spec_.yRange ? { range: [...this.spec_.yRange] } : {} },
      hooks: { draw: [(u) => drawMarkers(u, this.history.markers, p, false)] },
    };
  }

  protected override marks(u: uPlot, pen: Pen): void {
    stepLine(u, pen, this.cursor.get(), this.palette.foreground);
  }

  protected data(): uPlot.AlignedData | null {
    const c = this.history.columns;
    if (c.step.length === 0) return null;
    const hasPositive = this.spec_.series.some((s) => c[s.key].some((v) => v > 0));
    const log = this.spec_.logKey !== undefined && viewState()[this.spec_.logKey] && hasPositive;
    this.logToggle?.enable(hasPositive, 'Log scale needs positive values');
    if (log !== this.logApplied) {
      this.logApplied = log;
      this.invalidate();
    }
    const clip = log ? (v: number): number => (v > 0 ? v : NaN) : undefined;
    this.raw = [null, ...this.spec_.series.map((s) => c[s.key])];
    return [c.step, ...this.spec_.series.map((s) => pick(c[s.key], null, clip))];
  }
}
