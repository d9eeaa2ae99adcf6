import type uPlot from 'uplot';
import { formatTick } from '../../src/numberFormat';
import { canvasFont, type Palette } from '../theme';
import { logRange } from './logRange';

const measure = document.createElement('canvas').getContext('2d');

export interface AxisSpec {
  readonly label: string;
  readonly scale?: string;
  /** 0 top, 1 right, 2 bottom, 3 left. */
  readonly side?: 0 | 1 | 2 | 3;
  readonly grid?: boolean;
  readonly dash?: number[];
  /** Colour of labels and ticks when the axis belongs to one series (secondary axes). */
  readonly color?: string;
  readonly values?: uPlot.Axis.Values;
  /** Log scale: label only 1-2-5 (or, when crowded, whole powers of ten). */
  readonly log?: boolean;
}

function logTickLabels(_u: uPlot, splits: number[]): string[] {
  const mantissa = (v: number): number => v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  const near = (a: number, b: number): boolean => Math.abs(a - b) < 1e-6 * b;
  const oneTwoFive = splits.filter((v) => v > 0 && [1, 2, 5].some((m) => near(mantissa(v), m))).length;
  const allowed = oneTwoFive > 6 ? [1] : [1, 2, 5];
  return splits.map((v) => (v > 0 && allowed.some((m) => near(mantissa(v), m)) ? formatTick(v) : ''));
}

/** Consistent axis styling; y axes size themselves to their widest tick label. */
export function makeAxis(p: Palette, spec: AxisSpec): uPlot.Axis {
  const font = canvasFont(p, -2);
  const labelFont = canvasFont(p, -2, 600);
  const side = spec.side ?? 3;
  const vertical = side === 1 || side === 3;
  const stroke = spec.color ?? p.muted;
  const axis: uPlot.Axis = {
    scale: spec.scale ?? (vertical ? 'y' : 'x'),
    side,
    label: spec.label,
    labelFont,
    labelSize: Math.round(p.fontSize + 6),
    labelGap: 0,
    font,
    stroke,
    gap: 4,
    border: { show: true, stroke: p.axis, width: 1 },
    grid: { show: spec.grid ?? true, stroke: p.grid, width: 1 },
    ticks: { show: true, stroke: p.axis, width: 1, size: 4 },
    values: spec.values ?? (spec.log ? logTickLabels : (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : formatTick(v)))),
  };
  if (vertical) {
    axis.size = (_self, values) => {
      if (!measure) return 50;
      measure.font = font;
      const widest = (values ?? []).reduce((w, v) => Math.max(w, measure.measureText(String(v)).width), 0);
      return Math.ceil(widest + 4 + 4 + 6);
    };
  } else {
    axis.size = Math.round(p.fontSize + 10);
    axis.space = 60;
  }
  if (spec.dash) axis.grid = { ...axis.grid, dash: spec.dash };
  return axis;
}

/** A log₁₀ scale ranged to the data (uPlot's default widens to whole decades), within ./logRange's limits. */
export function logScale(): uPlot.Scale {
  return { distr: 3, log: 10, range: (_u, min, max) => logRange(min, max) };
}
