import { CURVE_KEYS, type CurveKey } from '../src/compareProtocol';
import { SCALE_TRANSFORMS, type ScaleTransform } from './plane/colourScale';
import { loadState, saveState } from './vscodeApi';

/** A visible window [min, max] along an x scale. */
export type Range = readonly [number, number];

/**
 * View state only (toggles, hidden series, zoom). Run data is owned and replayed by the host,
 * so nothing here has to survive a schema change: an unreadable state is simply replaced.
 */
export interface ViewState {
  readonly v: 1;
  /** Log scale on the divergence chart. */
  readonly divergenceLog: boolean;
  /** Log scale on the gradient-norm chart. */
  readonly gradLog: boolean;
  /** Labels of series the user has hidden, per chart id. */
  readonly hidden: Readonly<Record<string, readonly string[]>>;
  /** Zoom of the charts over training steps (shared). */
  readonly stepZoom: Range | null;
  /** Zoom of the charts over the x grid (shared). */
  readonly gridZoom: Range | null;
  /** The 2-D data map's layers and its colour scale. */
  readonly planeMap: { readonly transform: ScaleTransform; readonly generated: boolean; readonly real: boolean; readonly forces: boolean };
  /** The compare panel: which curve it overlays, its seeds as thin lines or as a band, a log scale. */
  readonly compare: { readonly curve: CurveKey; readonly band: boolean; readonly log: boolean };
}

const DEFAULTS: ViewState = {
  v: 1, divergenceLog: false, gradLog: true, hidden: {}, stepZoom: null, gridZoom: null,
  planeMap: { transform: 'sqrt', generated: true, real: false, forces: true },
  compare: { curve: 'jsd', band: false, log: false },
};

function readCompare(v: unknown): ViewState['compare'] {
  if (typeof v !== 'object' || v === null) return DEFAULTS.compare;
  const r = v as Record<string, unknown>;
  return { curve: CURVE_KEYS.find((k) => k === r['curve']) ?? DEFAULTS.compare.curve, band: r['band'] === true, log: r['log'] === true };
}

function readPlaneMap(v: unknown): ViewState['planeMap'] {
  if (typeof v !== 'object' || v === null) return DEFAULTS.planeMap;
  const r = v as Record<string, unknown>;
  const flag = (k: 'generated' | 'real' | 'forces'): boolean => (typeof r[k] === 'boolean' ? r[k] : DEFAULTS.planeMap[k]);
  const transform = SCALE_TRANSFORMS.find((t) => t === r['transform']) ?? DEFAULTS.planeMap.transform;
  return { transform, generated: flag('generated'), real: flag('real'), forces: flag('forces') };
}

function isRange(v: unknown): v is Range {
  return Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n)) && v[0] < v[1];
}

function readHidden(v: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (typeof v !== 'object' || v === null) return out;
  for (const [k, list] of Object.entries(v)) {
    if (Array.isArray(list)) out[k] = list.filter((s): s is string => typeof s === 'string');
  }
  return out;
}

function parse(raw: unknown): ViewState {
  if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== 1) return DEFAULTS;
  const r = raw as Record<string, unknown>;
  return {
    v: 1,
    divergenceLog: r['divergenceLog'] === true,
    gradLog: r['gradLog'] !== false,
    hidden: readHidden(r['hidden']),
    stepZoom: isRange(r['stepZoom']) ? r['stepZoom'] : null,
    gridZoom: isRange(r['gridZoom']) ? r['gridZoom'] : null,
    planeMap: readPlaneMap(r['planeMap']),
    compare: readCompare(r['compare']),
  };
}

let current: ViewState = parse(loadState());

export function viewState(): ViewState {
  return current;
}

export function updateViewState(patch: Partial<Omit<ViewState, 'v'>>): void {
  current = { ...current, ...patch };
  saveState(current);
}

export function setHiddenSeries(chartId: string, labels: readonly string[]): void {
  updateViewState({ hidden: { ...current.hidden, [chartId]: [...labels] } });
}
