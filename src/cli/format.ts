/** Plain-text helpers for the CLI's tables and problem lines (numbers: src/numberFormat.ts). */
import type { Problem } from '../protocol';

/** Rows of cells → lines with every column padded to its widest cell. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length))).join('  ').trimEnd());
}

/** `path:line:column: severity: message`, the form editors and problem matchers read. */
export function formatProblem(p: Problem, fallbackFile: string): string {
  const where = [p.file ?? fallbackFile, ...(p.line !== undefined ? [p.line, p.column ?? 1] : [])].join(':');
  return `${where}: ${p.severity}: ${p.message.split('\n')[0]}`;
}
