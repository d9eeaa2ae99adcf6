import type { Problem } from '../protocol';

/** `path:line:column: severity: message` (first line), the form editors and problem matchers read. */
export function formatProblem(p: Problem, fallbackFile: string): string {
  const where = [p.file ?? fallbackFile, ...(p.line !== undefined ? [p.line, p.column ?? 1] : [])].join(':');
  return `${where}: ${p.severity}: ${p.message.split('\n')[0]}`;
}
