/**
 * Finds where a field named by a validation error (e.g. `critic.hidden[1]`) is written in the
 * definition file, so the squiggle lands on the value and not on the `defineGan` call.
 * A light scan, not a parse: it follows the object literal given to `defineGan` (or exported, or
 * the variable passed to `defineGan`) key by key at the right nesting depth, skipping strings
 * and comments. That matters: a custom loss has its own `critic:` and `generator:` keys, and a
 * comment may mention a field; a plain text search would land there. Where the literal cannot be
 * followed (a value built elsewhere), the closest enclosing field is returned.
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

/** Index after the string, template literal or comment starting at `i`, or `i` if none starts there. */
function skipNonCode(text: string, i: number): number {
  const c = text[i];
  if (c === '/' && text[i + 1] === '/') {
    const end = text.indexOf('\n', i);
    return end < 0 ? text.length : end;
  }
  if (c === '/' && text[i + 1] === '*') {
    const end = text.indexOf('*/', i + 2);
    return end < 0 ? text.length : end + 2;
  }
  if (c === '"' || c === "'") {
    let j = i + 1;
    while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (c === '`') {
    let j = i + 1;
    while (j < text.length && text[j] !== '`') {
      if (text[j] === '\\') j += 2;
      else if (text[j] === '$' && text[j + 1] === '{') j = closing(text, j + 1) ?? text.length;
      else j++;
    }
    return j + 1;
  }
  return i;
}

/** Index after the bracket that closes the one at `open`. */
function closing(text: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < text.length;) {
    const skipped = skipNonCode(text, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = text[i]!;
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return undefined;
}

/** First offset at or after `i` that is neither white space nor a comment. */
function skipSpace(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text[i] === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) i = skipNonCode(text, i);
    else return i;
  }
}

const PROPERTY = /^(?:(?:get|set|async)\s+)?(?:(['"])([^'"\n]*)\1|([A-Za-z_$][\w$]*))\s*([:(,}])?/;

/**
 * The property `key` written directly in the object literal whose `{` is at `open`: the offset
 * of its key and of its value (none for getters and shorthands).
 */
function property(text: string, open: number, key: string): { key: number; value?: number } | undefined {
  let depth = 0;
  let atStart = false;
  for (let i = open; i < text.length;) {
    const c = text[i]!;
    const comment = c === '/' && (text[i + 1] === '/' || text[i + 1] === '*');
    if (depth === 1 && atStart && !/\s/.test(c) && !comment) {
      // A property starts here (a quoted key too, before strings are skipped below).
      atStart = false;
      const m = PROPERTY.exec(text.slice(i, i + 300));
      if (m) {
        const name = m[2] ?? m[3]!;
        if (name === key && m[4] !== undefined) {
          // The quote of a quoted key, else the name itself (after a get/set/async prefix).
          const at = i + (m[1] !== undefined ? m[0].indexOf(m[1]) : m[0].lastIndexOf(name, m[0].length - 1));
          return m[4] === ':' ? { key: at, value: skipSpace(text, i + m[0].length) } : { key: at };
        }
        // Past the key; its value is scanned like anything else.
        i += Math.max(1, m[0].length - (m[4] ? 1 : 0));
        continue;
      }
    }
    const skipped = skipNonCode(text, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (c === '{' || c === '[' || c === '(') {
      depth++;
      atStart = depth === 1;
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return undefined;
    } else if (depth === 1 && c === ',') {
      atStart = true;
    }
    i++;
  }
  return undefined;
}

/** Offset of the index-th element of the array literal opening at `from` (the '['). */
function arrayElement(text: string, from: number, index: number): number | undefined {
  let depth = 0;
  let seen = 0;
  for (let i = from; i < text.length;) {
    const skipped = skipNonCode(text, i);
    if (skipped !== i) {
      // A string is the element; a comment is not.
      if (depth === 1 && seen === index && text[i] !== '/') return i;
      i = skipped;
      continue;
    }
    const c = text[i]!;
    if (c === '[' || c === '{' || c === '(') {
      depth++;
      // An element that is itself an array or object starts at its bracket.
      if (depth === 2 && seen === index) return i;
      i++;
      continue;
    }
    if (c === ']' || c === '}' || c === ')') {
      depth--;
      if (depth === 0) return undefined;
      i++;
      continue;
    }
    if (c === ',' && depth === 1) {
      seen++;
      i++;
      continue;
    }
    if (depth === 1 && seen === index && !/\s/.test(c)) return i;
    i++;
  }
  return undefined;
}

/** The `{` of the definition's object literal: defineGan's argument, the variable passed to it, or the default export. */
function rootObject(text: string): number | undefined {
  const call = /\bdefineGan\s*\(/.exec(text);
  if (call) {
    const arg = skipSpace(text, call.index + call[0].length);
    if (text[arg] === '{') return arg;
    const name = /^[A-Za-z_$][\w$]*/.exec(text.slice(arg))?.[0];
    if (name) {
      const decl = new RegExp(`\\b(?:const|let|var)\\s+${name.replace(/\$/g, '\\$')}\\b[^=;]*=\\s*`).exec(text);
      if (decl && text[skipSpace(text, decl.index + decl[0].length)] === '{') return skipSpace(text, decl.index + decl[0].length);
    }
    return undefined;
  }
  const exported = /\bexport\s+default\s*/.exec(text);
  if (exported && text[skipSpace(text, exported.index + exported[0].length)] === '{') return skipSpace(text, exported.index + exported[0].length);
  return undefined;
}

const SEGMENT = /^([A-Za-z_$][\w$]*)((?:\[\d+\])*)$/;

/** Follows the literal from `root`; the deepest position reached, or undefined if the first key is not there. */
function structured(text: string, root: number, field: string): Position | undefined {
  let open: number | undefined = root;
  // A factory's array argument (targets.mixture([...])) stands for the spec's `components`.
  let components: number | undefined;
  let at: number | undefined;
  for (const segment of field.split('.')) {
    const m = SEGMENT.exec(segment);
    if (!m) break;
    let value: number | undefined;
    if (m[1] === 'components' && components !== undefined) {
      value = components;
    } else {
      const p: { key: number; value?: number } | undefined = open === undefined ? undefined : property(text, open, m[1]!);
      if (!p) break;
      at = p.key;
      value = p.value;
    }
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) {
      if (value === undefined || text[value] !== '[') {
        value = undefined;
        break;
      }
      const element = arrayElement(text, value, Number(idx[1]));
      if (element === undefined) {
        value = undefined;
        break;
      }
      at = element;
      value = element;
    }
    if (value !== undefined) value = factoryArgument(text, value);
    open = value !== undefined && text[value] === '{' ? value : undefined;
    components = value !== undefined && text[value] === '[' ? value : undefined;
  }
  return at === undefined ? undefined : positionOf(text, at);
}

const FACTORY = /^[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*\s*\(\s*/;

/** A value written as a factory call (`targets.ring({ … })`): its first argument, whose fields are the spec's; else the value itself. */
function factoryArgument(text: string, value: number): number {
  const m = FACTORY.exec(text.slice(value, value + 200));
  return m ? value + m[0].length : value;
}

/** The textual search for definitions whose literal cannot be found: keys in order, anywhere. */
function textual(text: string, field: string): Position | undefined {
  let offset = 0;
  for (const segment of field.split('.')) {
    const m = SEGMENT.exec(segment);
    if (!m) return undefined;
    const key = new RegExp(`\\b${m[1]!.replace(/\$/g, '\\$')}\\s*:`, 'g');
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

export function findFieldPosition(text: string, field: string): Position | undefined {
  if (!field) return undefined;
  const root = rootObject(text);
  // With the literal in hand, a key that is not in it is not anywhere else either (a custom
  // loss's `critic:` is not the critic): better the defineGan call than a wrong place.
  return root !== undefined ? structured(text, root, field) : textual(text, field);
}
