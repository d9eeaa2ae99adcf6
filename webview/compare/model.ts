/**
 * What the compare panel knows of the comparison, kept from the host's messages: the comparison,
 * each cell's state, curves and final densities, and the table. Messages of another comparison,
 * or about a cell it does not have, are dropped. No DOM: unit-tested in Node.
 */
import { CURVE_KEYS, type CellFinal, type CellInfo, type CompareInfo, type CompareRow, type CurveKey, type HostToCompare } from '../../src/compareProtocol';

export type Columns = { [K in 'step' | CurveKey]: number[] };

export interface CellData {
  info: CellInfo;
  curves: Columns;
  final: CellFinal | null;
}

/** What changed with a message, so that only that is redrawn. */
export interface Changes {
  readonly all?: boolean;
  readonly header?: boolean;
  readonly curves?: boolean;
  readonly finals?: boolean;
  readonly table?: boolean;
  /** A cell's state changed (the 2-D maps say it). */
  readonly cells?: boolean;
}

const emptyColumns = (): Columns => ({ step: [], ...Object.fromEntries(CURVE_KEYS.map((k) => [k, []])) }) as unknown as Columns;

export class CompareModel {
  info: CompareInfo | null = null;
  cells: CellData[] = [];
  rows: readonly CompareRow[] = [];
  /** The host's message when there is no comparison. */
  empty: string | null = null;

  /** Applies a message; what it changed, or null when it was dropped. */
  apply(m: HostToCompare): Changes | null {
    if (m.type === 'empty') {
      this.info = null;
      this.cells = [];
      this.rows = [];
      this.empty = m.message;
      return { all: true };
    }
    if (m.type === 'compare') {
      this.info = m.compare;
      this.empty = null;
      this.cells = m.cells.map((info, i) => {
        const c = m.curves[i]!;
        const curves = emptyColumns();
        for (const k of ['step', ...CURVE_KEYS] as const) curves[k] = Array.from(c[k]);
        return { info, curves, final: m.finals[i] ?? null };
      });
      this.rows = m.rows;
      return { all: true };
    }
    if (!this.info || m.id !== this.info.id) return null;
    switch (m.type) {
      case 'state': {
        // A state without a message clears the last one.
        this.info = { ...this.info, state: m.state, message: m.message, ...(m.dataDim !== undefined ? { dataDim: m.dataDim } : {}) };
        return { header: true, table: true };
      }
      case 'cell': {
        const cell = this.cells[m.index];
        if (!cell || m.cell.definition !== cell.info.definition) return null;
        cell.info = m.cell;
        return { header: true, table: true, cells: true };
      }
      case 'point': {
        const cell = this.cells[m.index];
        if (!cell) return null;
        const c = cell.curves;
        // After a replay the same points may arrive again: a curve's steps only go forward.
        if (c.step.length > 0 && m.point.step <= c.step[c.step.length - 1]!) return {};
        for (const k of ['step', ...CURVE_KEYS] as const) c[k].push(m.point[k]);
        cell.info = { ...cell.info, step: m.point.step };
        return { curves: true, header: true, table: true };
      }
      case 'final': {
        const cell = this.cells[m.index];
        if (!cell || (this.info.dataDim !== undefined && m.final.dataDim !== this.info.dataDim)) return null;
        cell.final = m.final;
        return { finals: true };
      }
      case 'rows':
        this.rows = m.rows;
        return { table: true };
      default: {
        const never: never = m;
        return never;
      }
    }
  }

  /** The cells of definition `d`, in seed order. */
  cellsOf(d: number): CellData[] {
    return this.cells.filter((c) => c.info.definition === d).sort((a, b) => a.info.seed - b.info.seed);
  }
}
