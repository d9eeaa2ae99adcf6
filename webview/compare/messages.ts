/**
 * Run-time checks of what the host posts to the compare panel (src/compareProtocol.ts), as
 * webview/messages.ts does for the inspector: a message that does not match is logged and
 * ignored rather than breaking the panel.
 */
import {
  CELL_STATES, COMPARE_KINDS, COMPARE_STATES, CURVE_KEYS, STAT_KEYS,
  type CellFinal, type CellInfo, type CompareRow, type HostToCompare,
} from '../../src/compareProtocol';
import { isOneOf } from '../../src/protocol';
import { checkAxis, fail, isNumericArray, num, parseChecked, rec, str, type Rec } from '../messages';

const int = (r: Rec, key: string, what: string, min = 0): number => {
  const v = num(r, key, what);
  if (!Number.isInteger(v) || v < min) fail(`${what}.${key} is not an integer from ${min}`);
  return v;
};

const optionalStr = (r: Rec, key: string, what: string): void => {
  if (r[key] !== undefined) str(r, key, what);
};

function list(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) fail(`${what} is not a list`);
  return v;
}

function checkDim(v: unknown, what: string): void {
  if (v !== undefined && v !== 1 && v !== 2) fail(`${what} is not 1 or 2`);
}

function checkCell(v: unknown, definitions?: number): CellInfo {
  const r = rec(v, 'cell');
  const d = int(r, 'definition', 'cell');
  if (definitions !== undefined && d >= definitions) fail('cell.definition is not one of the definitions');
  int(r, 'seed', 'cell');
  int(r, 'step', 'cell');
  if (!isOneOf(CELL_STATES, r['state'])) fail('cell.state is unknown');
  optionalStr(r, 'error', 'cell');
  return r as unknown as CellInfo;
}

function checkCurves(v: unknown): void {
  const r = rec(v, 'curves');
  const length = (r['step'] as unknown[] | undefined)?.length;
  for (const k of ['step', ...CURVE_KEYS]) {
    const col = r[k];
    if (!isNumericArray(col) || col.length !== length) fail(`curves.${k} is not a column as long as curves.step`);
  }
}

function checkPoint(v: unknown): void {
  const r = rec(v, 'point');
  for (const k of ['step', ...CURVE_KEYS]) num(r, k, 'point');
}

function checkFinal(v: unknown): CellFinal {
  const r = rec(v, 'final');
  if (r['dataDim'] === 1) {
    const x = r['x'];
    if (!isNumericArray(x) || x.length < 2) fail('final.x is not a grid');
    for (const k of ['p', 'q']) {
      const a = r[k];
      if (!isNumericArray(a) || a.length !== x.length) fail(`final.${k} does not match the grid`);
    }
    return r as unknown as CellFinal;
  }
  if (r['dataDim'] !== 2) fail('final.dataDim is not 1 or 2');
  const cells = checkAxis(r['x'], 'final.x') * checkAxis(r['y'], 'final.y');
  for (const k of ['p', 'q']) {
    const a = r[k];
    if (!isNumericArray(a) || a.length !== cells) fail(`final.${k} does not match the lattice`);
  }
  if (r['modes'] !== undefined) {
    const m = rec(r['modes'], 'final.modes');
    const of = int(m, 'of', 'final.modes', 1);
    if (int(m, 'covered', 'final.modes') > of) fail('final.modes.covered is more than of');
    if (!isNumericArray(m['means']) || (m['means'] as ArrayLike<number>).length !== 2 * of) fail('final.modes.means is not [of, 2]');
  }
  return r as unknown as CellFinal;
}

function checkMeanSd(v: unknown, what: string): void {
  const r = rec(v, what);
  for (const k of ['mean', 'sd', 'n']) num(r, k, what);
}

function checkRow(v: unknown): CompareRow {
  const r = rec(v, 'row');
  str(r, 'definition', 'row');
  for (const k of ['loss', 'target', 'divergenceName']) optionalStr(r, k, 'row');
  if (r['modes'] !== undefined) num(r, 'modes', 'row');
  for (const s of list(r['seeds'], 'row.seeds')) {
    const seed = rec(s, 'row.seeds[]');
    for (const k of ['seed', 'divergence', 'jsd', 'kl', 'reverse_kl', 'wasserstein1', 'stepsPerSecond']) num(seed, k, 'row.seeds[]');
    if (seed['modes'] !== undefined) num(seed, 'modes', 'row.seeds[]');
    str(seed, 'weightsChecksum', 'row.seeds[]');
    rec(seed['generator'], 'row.seeds[].generator');
  }
  for (const f of list(r['failed'], 'row.failed')) {
    const failed = rec(f, 'row.failed[]');
    num(failed, 'seed', 'row.failed[]');
    str(failed, 'error', 'row.failed[]');
  }
  const summary = rec(r['summary'], 'row.summary');
  for (const [k, s] of Object.entries(summary)) {
    if (!isOneOf(STAT_KEYS, k)) fail(`row.summary.${k} is not a figure of the table`);
    checkMeanSd(s, `row.summary.${k}`);
  }
  if (r['fit'] !== undefined) {
    const fit = rec(r['fit'], 'row.fit');
    str(fit, 'divergence', 'row.fit');
    for (const k of ['mean', 'std']) if (fit[k] !== undefined) checkMeanSd(fit[k], `row.fit.${k}`);
    const optimum = rec(fit['optimum'], 'row.fit.optimum');
    for (const k of ['mean', 'std', 'value']) num(optimum, k, 'row.fit.optimum');
  }
  return r as unknown as CompareRow;
}

function check(v: unknown): HostToCompare {
  const r = rec(v, 'message');
  switch (r['type']) {
    case 'compare': {
      const c = rec(r['compare'], 'compare');
      int(c, 'id', 'compare');
      int(c, 'steps', 'compare', 1);
      str(c, 'title', 'compare');
      if (!isOneOf(COMPARE_KINDS, c['kind'])) fail('compare.kind is unknown');
      if (!isOneOf(COMPARE_STATES, c['state'])) fail('compare.state is unknown');
      optionalStr(c, 'message', 'compare');
      checkDim(c['dataDim'], 'compare.dataDim');
      if (!list(c['seeds'], 'compare.seeds').every((s) => Number.isInteger(s))) fail('compare.seeds are not integers');
      const definitions = list(c['definitions'], 'compare.definitions');
      if (!definitions.every((d) => typeof d === 'string')) fail('compare.definitions are not names');
      const cells = list(r['cells'], 'cells');
      cells.forEach((cell) => checkCell(cell, definitions.length));
      const curves = list(r['curves'], 'curves');
      const finals = list(r['finals'], 'finals');
      if (curves.length !== cells.length || finals.length !== cells.length) fail('curves and finals are not one per cell');
      curves.forEach(checkCurves);
      finals.forEach((f) => f === null || checkFinal(f));
      list(r['rows'], 'rows').forEach(checkRow);
      break;
    }
    case 'state':
      int(r, 'id', 'state');
      if (!isOneOf(COMPARE_STATES, r['state'])) fail('state.state is unknown');
      optionalStr(r, 'message', 'state');
      checkDim(r['dataDim'], 'state.dataDim');
      break;
    case 'cell':
      int(r, 'id', 'cell message');
      int(r, 'index', 'cell message');
      checkCell(r['cell']);
      break;
    case 'point':
      int(r, 'id', 'point message');
      int(r, 'index', 'point message');
      checkPoint(r['point']);
      break;
    case 'final':
      int(r, 'id', 'final message');
      int(r, 'index', 'final message');
      checkFinal(r['final']);
      break;
    case 'rows':
      int(r, 'id', 'rows message');
      list(r['rows'], 'rows').forEach(checkRow);
      break;
    case 'empty':
      str(r, 'message', 'empty');
      break;
    default:
      fail(`unknown message type ${JSON.stringify(r['type'])}`);
  }
  return r as unknown as HostToCompare;
}

/** The message if it matches src/compareProtocol.ts, else undefined (and a console warning). */
export function parseCompareHostMessage(v: unknown): HostToCompare | undefined {
  return parseChecked(v, check);
}
