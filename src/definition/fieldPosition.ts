/**
 * Finds where a field named by a validation error (e.g. `critic.hidden[1]`) is written in the
 * definition file, so the squiggle lands on the value and not on the `defineGan` call.
 * A textual search, not a parse: each path segment is looked for after the previous one,
 * which is right for the object literals people write and falls back gracefully otherwise.
 */
export interface Position {
  /** 1-based */
  readonly line: number;
  /** 1-based */
  readonly column: number;
}

function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Offset of the index-th element of the array literal opening at `from` (the '['). */
function arrayElement(text: string, from: number, index: number): number | undefined {
  let depth = 0;
  let seen = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '{' || c === '(') {
      depth++;
      if (depth === 1) continue;
    } else if (c === ']' || c === '}' || c === ')') {
      depth--;
      if (depth === 0) return undefined;
    } else if (c === ',' && depth === 1) {
      seen++;
      continue;
    }
    if (depth >= 1 && seen === index && !/\s/.test(c ?? '')) return i;
  }
  return undefined;
}

export function findFieldPosition(text: string, field: string): Position | undefined {
  if (!field) return undefined;
  let offset = text.search(/defineGan\s*\(/);
  if (offset < 0) offset = 0;
  for (const segment of field.split('.')) {
    const m = /^([A-Za-z_$][\w$]*)((?:\[\d+\])*)$/.exec(segment);
    if (!m) return undefined;
    const key = new RegExp(`\\b${m[1]}\\s*:`, 'g');
    key.lastIndex = offset;
    const found = key.exec(text);
    if (!found) return undefined;
    offset = found.index;
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) {
      const open = text.indexOf('[', offset);
      if (open < 0) return positionOf(text, offset);
      const at = arrayElement(text, open, Number(idx[1]));
      if (at === undefined) return positionOf(text, offset);
      offset = at;
    }
  }
  return positionOf(text, offset);
}
