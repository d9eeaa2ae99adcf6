import type { GanDefinition } from './types';

/** Nesting kept in a key; deeper values of a custom loss's own fields are not compared. */
const MAX_DEPTH = 16;

/**
 * A deterministic text of a value, with function bodies, so an edit inside a custom loss function
 * changes the key. Not JSON.stringify: a custom loss object may carry fields of the person's own
 * (the loss's functions reach them through `this`), and those may be cyclic, BigInts, have a
 * throwing toJSON or getters — the key must still come out, in the worker, after loading.
 */
function stableText(value: unknown): string {
  const ancestors = new Set<object>();
  const walk = (v: unknown, depth: number): string => {
    if (typeof v === 'function') {
      try {
        // Not String(v): a function's own toString is the person's code.
        return `fn:${Function.prototype.toString.call(v)}`;
      } catch {
        return 'fn:?';
      }
    }
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'symbol') return v.toString();
    if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
    if (typeof v !== 'object' || v === null) return JSON.stringify(v) ?? 'undefined';
    if (ancestors.has(v)) return '[cycle]';
    if (depth >= MAX_DEPTH) return '[deep]';
    ancestors.add(v);
    try {
      if (Array.isArray(v)) return `[${v.map((x) => walk(x, depth + 1)).join(',')}]`;
      return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${walk(read(v, k), depth + 1)}`).join(',')}}`;
    } catch {
      return '[unreadable]';
    } finally {
      ancestors.delete(v);
    }
  };
  return walk(value, 0);
}

function read(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return '[unreadable]';
  }
}

/**
 * A change to any of these needs fresh networks or optimisers: the run restarts. Anything else
 * (the loss, critic steps, batch size) is swapped into the running training.
 */
export function structureKey(d: GanDefinition): string {
  return stableText([d.target, d.generator, d.critic, d.generatorOptimizer, d.criticOptimizer, d.seed]);
}

export function lossKey(d: GanDefinition): string {
  return stableText([d.loss, d.criticSteps, d.batchSize]);
}
