/**
 * The claims an example's comment makes, as the lines that state them:
 *
 *   claim: jsd in [0.05, 0.4] over steps 1000–3000
 *   claim: |estimate − analytic| < 0.05 over steps 400–600
 *   claim: critic at chance at step 3000
 *   claim with "losses.minimax()" → "losses.wgan({ gradientPenalty: 10 })": generatorMean > −1.6 at step 300
 *
 * A condition compares a quantity (a column of `gan-lens train --out`'s metrics.csv, the
 * difference of two, or its absolute value) with a number or another quantity, at one recorded
 * step, at every recorded step of a range ("over"), or at some step up to one ("by"); "critic
 * (not) at chance" is the verdict `gan-lens train` prints at the end of the run. `with "A" →
 * "B"` trains the file with A replaced by B, as a person following the comment would.
 */

export type Term = { readonly kind: 'number'; readonly value: number } | { readonly kind: 'column'; readonly name: string };

export interface Expression {
  readonly left: Term;
  readonly minus?: Term;
  readonly absolute: boolean;
}

export type Condition =
  | { readonly kind: 'compare'; readonly left: Expression; readonly op: '<' | '>'; readonly right: Expression }
  | { readonly kind: 'between'; readonly value: Expression; readonly lo: number; readonly hi: number }
  | { readonly kind: 'chance'; readonly atChance: boolean };

export type When =
  | { readonly kind: 'at'; readonly step: number }
  | { readonly kind: 'over'; readonly from: number; readonly to: number }
  | { readonly kind: 'by'; readonly step: number };

export interface Claim {
  readonly text: string;
  readonly variant?: { readonly from: string; readonly to: string };
  readonly condition: Condition;
  readonly when: When;
}

export class ClaimSyntaxError extends Error {}

const NUMBER = String.raw`-?\d+(?:\.\d+)?(?:e-?\d+)?`;
const NAME = String.raw`[A-Za-z]\w*`;

/** People write a true minus sign and an en dash; the grammar reads ASCII. */
const normalise = (s: string): string => s.replace(/−/g, '-').replace(/–/g, '-').replace(/\s+/g, ' ').trim();

function term(text: string, line: string): Term {
  if (new RegExp(`^${NUMBER}$`).test(text)) return { kind: 'number', value: Number(text) };
  if (new RegExp(`^${NAME}$`).test(text)) return { kind: 'column', name: text };
  throw new ClaimSyntaxError(`not a number or a quantity: "${text}" in "${line}"`);
}

function expression(text: string, line: string): Expression {
  const absolute = text.startsWith('|') && text.endsWith('|');
  const inner = absolute ? text.slice(1, -1).trim() : text;
  // A binary minus has spaces around it; a number's sign does not.
  const parts = inner.split(' - ');
  if (parts.length > 2) throw new ClaimSyntaxError(`at most one difference in "${line}"`);
  const left = term(parts[0]!.trim(), line);
  return parts.length === 2 ? { left, minus: term(parts[1]!.trim(), line), absolute } : { left, absolute };
}

function condition(text: string, line: string): Condition {
  if (text === 'critic at chance') return { kind: 'chance', atChance: true };
  if (text === 'critic not at chance') return { kind: 'chance', atChance: false };
  const between = new RegExp(String.raw`^(.+) in \[(${NUMBER}), (${NUMBER})\]$`).exec(text);
  if (between) {
    const [lo, hi] = [Number(between[2]), Number(between[3])];
    if (!(lo < hi)) throw new ClaimSyntaxError(`an empty range in "${line}"`);
    return { kind: 'between', value: expression(between[1]!, line), lo, hi };
  }
  const compare = /^(.+) ([<>]) (.+)$/.exec(text);
  if (compare) return { kind: 'compare', left: expression(compare[1]!, line), op: compare[2] as '<' | '>', right: expression(compare[3]!, line) };
  throw new ClaimSyntaxError(`no condition in "${line}"`);
}

function when(text: string, line: string): When {
  const at = /^at step (\d+)$/.exec(text);
  if (at) return { kind: 'at', step: Number(at[1]) };
  const by = /^by step (\d+)$/.exec(text);
  if (by) return { kind: 'by', step: Number(by[1]) };
  const over = /^over steps (\d+)-(\d+)$/.exec(text);
  if (over && Number(over[1]) < Number(over[2])) return { kind: 'over', from: Number(over[1]), to: Number(over[2]) };
  throw new ClaimSyntaxError(`no "at step N", "by step N" or "over steps A–B" in "${line}"`);
}

/** One claim from the text after `//` (with or without the leading "claim"). */
export function parseClaim(raw: string): Claim {
  const line = normalise(raw);
  const head = /^claim(?: with "(.+?)" → "(.+?)")?: (.+) (at step \d+|by step \d+|over steps \d+-\d+)$/.exec(line);
  if (!head) throw new ClaimSyntaxError(`not a claim: "${raw.trim()}"`);
  const [, from, , cond, whenText] = head;
  return {
    text: raw.trim(),
    // The replaced code is taken from the raw line: normalising would change its minus signs.
    ...(from !== undefined ? { variant: { from: quoted(raw, 0), to: quoted(raw, 1) } } : {}),
    condition: condition(cond!, line),
    when: when(whenText!, line),
  };
}

/** The n-th (0-based) double-quoted string of the raw line, untouched by normalisation. */
function quoted(raw: string, n: number): string {
  const all = [...raw.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  const s = all[n];
  if (s === undefined) throw new ClaimSyntaxError(`a variant needs "from" → "to" in "${raw.trim()}"`);
  return s;
}

/** Every `// claim…` line of a source file. */
export function claimsOf(source: string): Claim[] {
  return source.split('\n').map((l) => /^\s*\/\/\s*(claim\b.*)$/.exec(l)?.[1]).filter((l): l is string => l !== undefined).map(parseClaim);
}

/** The last step a claim needs trained. */
export function lastStep(c: Claim): number {
  return c.when.kind === 'over' ? c.when.to : c.when.step;
}

/** One recorded snapshot: metrics.csv's columns by name. */
export type Row = Readonly<Record<string, number>>;

export interface RunRecord {
  readonly rows: readonly Row[];
  /** `criticAtChance` of gan-lens train's summary, absent for losses without a chance value. */
  readonly criticAtChance: boolean | undefined;
  readonly steps: number;
}

function value(t: Term, row: Row): number {
  if (t.kind === 'number') return t.value;
  const v = row[t.name];
  if (v === undefined) throw new ClaimSyntaxError(`unknown quantity "${t.name}" (known: ${Object.keys(row).join(', ')})`);
  return v;
}

function evaluate(e: Expression, row: Row): number {
  const v = value(e.left, row) - (e.minus ? value(e.minus, row) : 0);
  return e.absolute ? Math.abs(v) : v;
}

function holds(c: Condition, row: Row): boolean {
  switch (c.kind) {
    case 'compare': {
      const [l, r] = [evaluate(c.left, row), evaluate(c.right, row)];
      return c.op === '<' ? l < r : l > r;
    }
    case 'between': {
      const v = evaluate(c.value, row);
      return v >= c.lo && v <= c.hi;
    }
    case 'chance':
      throw new Error('a chance claim is not a row condition');
  }
}

function describe(c: Condition, row: Row): string {
  const e = c.kind === 'compare' ? [c.left, c.right] : c.kind === 'between' ? [c.value] : [];
  return `step ${row['step']}: ${e.map((x) => evaluate(x, row).toPrecision(4)).join(' vs ')}`;
}

/** Undefined when the claim holds, else what was seen instead. */
export function check(c: Claim, run: RunRecord): string | undefined {
  if (c.condition.kind === 'chance') {
    if (c.when.kind !== 'at' || c.when.step !== run.steps) return `a chance claim is the verdict at the run's last step (${run.steps})`;
    if (run.criticAtChance === undefined) return 'gan-lens train gave no verdict: this loss has no chance value';
    return run.criticAtChance === c.condition.atChance ? undefined : `gan-lens train says criticAtChance = ${run.criticAtChance}`;
  }
  const cond = c.condition;
  const w = c.when;
  const rows = w.kind === 'at' ? run.rows.filter((r) => r['step'] === w.step)
    : w.kind === 'over' ? run.rows.filter((r) => r['step']! >= w.from && r['step']! <= w.to)
      : run.rows.filter((r) => r['step']! <= w.step);
  if (rows.length === 0 || (w.kind === 'over' && rows.length < 2)) return `too few snapshots recorded for "${c.text}"`;
  if (w.kind === 'by') return rows.some((r) => holds(cond, r)) ? undefined : `never by step ${w.step}; last ${describe(cond, rows[rows.length - 1]!)}`;
  const failing = rows.filter((r) => !holds(cond, r));
  return failing.length === 0 ? undefined : `fails at ${failing.length} of ${rows.length} snapshots, e.g. ${failing.slice(0, 3).map((r) => describe(cond, r)).join('; ')}`;
}
