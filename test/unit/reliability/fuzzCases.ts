/**
 * A seeded generator of broken and hostile loss definition files for the reliability fuzz test.
 *
 * Every case starts from a valid definition (one of a few bases, fields in a random order, each
 * top-level field on its own line) and applies one mutation of its category. The generator knows
 * which top-level field a mutation touched, so a test can check that the error lands on that
 * field's line, not merely somewhere in the file.
 *
 * `route: 'load'` cases cannot hang or poison the test process (a top-level loop is bounded by
 * the loader's vm timeout) and run in-process through the loader and the dry run; `route: 'check'`
 * cases can hang in a loss function, exit the thread, throw later from a timer or pollute the
 * globals, so they run through `gan-lens check` (checkFile: a worker thread with a time limit).
 */
import { createRng, type Rng } from '../../../src/core/rng';

export type Route = 'load' | 'check';

export interface FuzzCase {
  readonly id: string;
  readonly category: string;
  readonly route: Route;
  /** What was done, for failure messages and the report. */
  readonly what: string;
  readonly ext: 'ts' | 'js';
  readonly text: string;
  /** Other files written beside it (relative imports). */
  readonly extra?: Readonly<Record<string, string>>;
  /** 'error': the file must be rejected. 'warning': valid, with a math-lint warning.
   *  'any': hostile in a way `check` cannot judge (async throws, polluted globals): it must only
   *  come back in bounded time without crashing. */
  readonly expect: 'error' | 'warning' | 'any';
  /** The 1-based line the first problem must be on, when the mutation touched a known field. */
  readonly line?: number;
  /** Lines the first problem may be on (a syntax error can surface on the next line). */
  readonly lineRange?: readonly [number, number];
  /** The first problem's message must match. */
  readonly message?: RegExp;
  /**
   * Where (or whether) the stack overflows depends on how much stack the thread has: the
   * loader and a `gan-lens check` worker may report different frames, or a timeout.
   */
  readonly overflowAnywhere?: boolean;
}

// ---- a tiny model of the definition, so single fields can be replaced ------------------------

type V = string | { readonly o: readonly (readonly [string, V])[] } | { readonly a: readonly V[] } | { readonly call: string; readonly args: readonly V[] };

function render(v: V): string {
  if (typeof v === 'string') return v;
  if ('o' in v) return v.o.length === 0 ? '{}' : `{ ${v.o.map(([k, x]) => (k.startsWith('get ') || k.startsWith('...') ? `${k}${x === '' ? '' : render(x)}` : `${k}: ${render(x)}`)).join(', ')} }`;
  if ('a' in v) return `[${v.a.map(render).join(', ')}]`;
  return `${v.call}(${v.args.map(render).join(', ')})`;
}

type Path = readonly (string | number)[];

/** Replaces the value at `path`; `key` rewrites the key too (getters). */
function replaceAt(v: V, path: Path, with_: (old: V) => V, key?: string): V {
  if (path.length === 0) return with_(v);
  const [head, ...rest] = path;
  if (typeof v === 'string') throw new Error(`no field ${String(head)} in ${v}`);
  if ('o' in v) {
    return { o: v.o.map(([k, x]) => (k === head ? [rest.length === 0 && key !== undefined ? key : k, replaceAt(x, rest, with_, key)] as const : [k, x] as const)) };
  }
  if ('a' in v) return { a: v.a.map((x, i) => (i === head ? replaceAt(x, rest, with_, key) : x)) };
  return { call: v.call, args: v.args.map((x, i) => (i === head ? replaceAt(x, rest, with_, key) : x)) };
}

/** Every path below `v` with a label of what kind of value sits there. */
function paths(v: V, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (typeof v === 'string') return out;
  if ('o' in v) v.o.forEach(([k, x]) => out.push(...paths(x, [...at, k])));
  else if ('a' in v) v.a.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else v.args.forEach((x, i) => out.push(...paths(x, [...at, i])));
  return out;
}

const HEADER = `import { defineGan, losses, targets } from 'gan-lens';`;

interface Definition {
  readonly fields: readonly (readonly [string, V])[];
  /** Statements before `export default`. */
  readonly prelude: readonly string[];
  readonly epilogue: readonly string[];
  /** Replaces `defineGan({` … `})` by something else around the object literal. */
  readonly wrap?: readonly [string, string];
}

function renderDefinition(d: Definition): { text: string; lineOf: (key: string) => number } {
  const [open, close] = d.wrap ?? ['export default defineGan({', '});'];
  const lines = [HEADER, ...d.prelude, open, ...d.fields.map(([k, v]) => (k.startsWith('get ') ? `  ${k}${render(v)},` : `  ${k}: ${render(v)},`)), close, ...d.epilogue];
  const first = 1 + d.prelude.length + 2;
  return {
    text: lines.join('\n') + '\n',
    lineOf: (key) => {
      const i = d.fields.findIndex(([k]) => k === key || k === `get ${key}()`);
      if (i < 0) throw new Error(`no field ${key}`);
      return first + i;
    },
  };
}

// ---- valid bases -------------------------------------------------------------------------------

const num = (x: number): string => String(x);
const str = (s: string): string => `'${s}'`;

const TARGETS: readonly V[] = [
  { call: 'targets.mixture', args: [{ a: [{ o: [['weight', '0.5'], ['mean', '-2'], ['std', '0.5']] }, { o: [['weight', '0.5'], ['mean', '2'], ['std', '0.5']] }] }] },
  { call: 'targets.gaussian', args: ['1', '2'] },
  { call: 'targets.uniform', args: ['-1', '1'] },
  { call: 'targets.uniforms', args: [{ a: [{ o: [['weight', '1'], ['lo', '-3'], ['hi', '-1']] }, { o: [['weight', '1'], ['lo', '1'], ['hi', '3']] }] }] },
];

const vec = (x: string, y: string): V => ({ a: [x, y] });
/** 2-D targets: every mutation category applies to them too. */
const TARGETS_2D: readonly V[] = [
  { call: 'targets.ring', args: [{ o: [['modes', '8'], ['radius', '2'], ['std', '0.2']] }] },
  { call: 'targets.grid', args: [{ o: [['side', '3'], ['spacing', '2'], ['std', '0.2']] }] },
  { call: 'targets.mixture', args: [{ a: [{ o: [['weight', '0.5'], ['mean', vec('-1', '0')], ['std', '0.5']] }, { o: [['weight', '0.5'], ['mean', vec('1', '0')], ['cov', { a: [vec('0.5', '0.1'), vec('0.1', '0.3')] }]] }] }] },
  { call: 'targets.segment', args: [{ o: [['from', vec('0', '-1')], ['to', vec('0', '1')]] }] },
  { call: 'targets.box', args: [vec('-1', '-1'), vec('1', '1')] },
];
const is2D = (target: V): boolean => TARGETS_2D.includes(target);

const MLP: V = { o: [['kind', str('mlp')], ['latentDim', '1'], ['hidden', { a: ['8', '8'] }], ['activation', str('tanh')]] };
const AFFINE: V = { o: [['kind', str('affine')], ['mean', '0'], ['std', '1']] };
const AFFINE_2D: V = { o: [['kind', str('affine')], ['mean', vec('0', '0')], ['std', '1']] };
const CRITIC: V = { o: [['hidden', { a: ['8', '8'] }], ['activation', str('leakyRelu')]] };
const OPTIMIZER: V = { o: [['kind', str('adam')], ['lr', '0.001'], ['beta1', '0.5'], ['beta2', '0.999']] };

const CUSTOM_CRITIC = '({ real, fake, tf }) => tf.add(tf.mean(tf.softplus(tf.neg(real))), tf.mean(tf.softplus(fake)))';
const CUSTOM_GENERATOR = '({ fake, tf }) => tf.mean(tf.softplus(tf.neg(fake)))';
const CUSTOM_ESTIMATE = '({ real, fake, tf }) => tf.mean(tf.sub(real, fake))';
const CUSTOM_LOSS: V = {
  o: [['name', str('hand-written')], ['divergence', str('jsd')], ['criticOutput', str('discriminator')], ['critic', CUSTOM_CRITIC], ['generator', CUSTOM_GENERATOR], ['estimate', CUSTOM_ESTIMATE]],
};
const CUSTOM_F: V = {
  o: [['name', str('pearson-by-hand')], ['f', '(u) => (u - 1) * (u - 1)'], ['conjugate', '(t, tf) => tf.add(tf.mul(tf.square(t), 0.25), t)'], ['activation', '(v, tf) => v']],
};

const BUILTIN_LOSSES: readonly V[] = [
  { call: 'losses.nonSaturating', args: [] },
  { call: 'losses.minimax', args: [] },
  { call: 'losses.logRatio', args: [] },
  { call: 'losses.fgan', args: [str('kl'), { o: [['generator', str('saturating')]] }] },
  { call: 'losses.wgan', args: [{ o: [['gradientPenalty', '10']] }] },
  { call: 'losses.wgan', args: [{ o: [['clip', '0.01']] }] },
  { call: 'losses.leastSquares', args: [] },
  { call: 'losses.hinge', args: [] },
];

type LossKind = 'builtin' | 'custom' | 'customF';

function base(rng: Rng, lossKind?: LossKind): { def: Definition; lossKind: LossKind } {
  const kind = lossKind ?? pick(rng, ['builtin', 'builtin', 'custom', 'customF'] as const);
  const loss = kind === 'custom' ? CUSTOM_LOSS : kind === 'customF' ? { call: 'losses.fgan', args: [CUSTOM_F] } : pick(rng, BUILTIN_LOSSES);
  const target = rng.next() < 0.3 ? pick(rng, TARGETS_2D) : pick(rng, TARGETS);
  const fields: [string, V][] = [
    ['target', target],
    ['generator', rng.next() < 0.75 ? MLP : is2D(target) ? AFFINE_2D : AFFINE],
    ['critic', CRITIC],
    ['optimizer', OPTIMIZER],
    ['criticSteps', '1'],
    ['batchSize', '32'],
    ['seed', num(1 + Math.floor(rng.next() * 1000))],
    ['loss', loss],
  ];
  // People write fields in any order; a loss before the generator puts a `generator:` key
  // (the custom loss's) ahead of the real one.
  shuffle(rng, fields);
  return { def: { fields, prelude: [], epilogue: [] }, lossKind: kind };
}

// ---- helpers -----------------------------------------------------------------------------------

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng.next() * xs.length)]!;
}

function shuffle<T>(rng: Rng, xs: T[]): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
}

function setField(d: Definition, key: string, value: V, newKey?: string): Definition {
  return { ...d, fields: d.fields.map(([k, v]) => (k === key ? [newKey ?? k, value] as const : [k, v] as const)) };
}

function fieldValue(d: Definition, key: string): V {
  const f = d.fields.find(([k]) => k === key);
  if (!f) throw new Error(`no field ${key}`);
  return f[1];
}

/** The custom loss's object inside the `loss` field, wherever the base put it. */
function lossPath(kind: LossKind): Path {
  return kind === 'customF' ? [0] : [];
}

// ---- value pools -------------------------------------------------------------------------------

const WRONG_TYPES = ["'8'", 'null', 'true', '[]', '{}', '() => 8', '10n', "Symbol('s')", 'new Date(0)', "'x'.repeat(100000)", 'Object.create(null)', 'new Map()'];
const NON_FINITE = ['NaN', 'Infinity', '-Infinity', '0 / 0', 'Math.log(-1)', '1 / 0', "parseFloat('x')", 'Number.NaN'];
const HUGE = ['1e308', '-1e308', 'Number.MAX_VALUE', '2 ** 53 + 2', '1e21', 'Number.MAX_SAFE_INTEGER', '4294967297'];

interface NumericField {
  readonly key: string;
  /** Path below the top-level key. */
  readonly path: Path;
  /** Out-of-range numbers (besides NaN/Infinity and wrong types). */
  readonly bad: readonly string[];
  /** Whether huge values are surely rejected. */
  readonly hugeRejected: boolean;
}

function numericFields(d: Definition, lossKind: LossKind): NumericField[] {
  const out: NumericField[] = [
    { key: 'criticSteps', path: [], bad: ['0', '-1', '1.5', '101'], hugeRejected: true },
    { key: 'batchSize', path: [], bad: ['0', '-32', '2.5', '65537'], hugeRejected: true },
    { key: 'seed', path: [], bad: ['-1', '0.5', '2 ** 31'], hugeRejected: true },
    { key: 'optimizer', path: ['lr'], bad: ['0', '-0.001', '11'], hugeRejected: true },
    { key: 'optimizer', path: ['beta1'], bad: ['1', '-0.1', '2'], hugeRejected: true },
    { key: 'optimizer', path: ['beta2'], bad: ['1', '-0.5', '1.0000001'], hugeRejected: true },
    { key: 'critic', path: ['hidden', 0], bad: ['0', '-3', '7.5', '1025'], hugeRejected: true },
    { key: 'critic', path: ['hidden', 1], bad: ['0', '-1', '0.1', '4096'], hugeRejected: true },
  ];
  const g = fieldValue(d, 'generator');
  if (render(g).includes("'mlp'")) {
    out.push({ key: 'generator', path: ['latentDim'], bad: ['0', '-1', '1.5', '65'], hugeRejected: true });
    out.push({ key: 'generator', path: ['hidden', 0], bad: ['0', '-8', '8.25', '2048'], hugeRejected: true });
  } else {
    out.push({ key: 'generator', path: ['std'], bad: ['0', '-1'], hugeRejected: false });
    out.push({ key: 'generator', path: ['mean'], bad: [], hugeRejected: false });
  }
  const t = render(fieldValue(d, 'target'));
  if (t.startsWith('targets.mixture') && is2D(fieldValue(d, 'target'))) {
    out.push({ key: 'target', path: [0, 0, 'std'], bad: ['0', '-0.5'], hugeRejected: false });
    out.push({ key: 'target', path: [0, 0, 'mean', 1], bad: [], hugeRejected: false });
    // 0.5·0.3 − b² < 0: not positive definite; an asymmetric b is caught as well.
    out.push({ key: 'target', path: [0, 1, 'cov', 0, 1], bad: ['1', '-0.5', '0.4'], hugeRejected: true });
    out.push({ key: 'target', path: [0, 1, 'cov', 1, 1], bad: ['0', '-0.3', '0.01'], hugeRejected: false });
  } else if (t.startsWith('targets.ring')) {
    out.push({ key: 'target', path: [0, 'modes'], bad: ['0', '1.5', '401'], hugeRejected: true });
    out.push({ key: 'target', path: [0, 'radius'], bad: ['0', '-2'], hugeRejected: false });
    out.push({ key: 'target', path: [0, 'std'], bad: ['0', '-0.2'], hugeRejected: false });
  } else if (t.startsWith('targets.grid')) {
    out.push({ key: 'target', path: [0, 'side'], bad: ['0', '2.5', '21'], hugeRejected: true });
    out.push({ key: 'target', path: [0, 'spacing'], bad: ['0', '-2'], hugeRejected: false });
  } else if (t.startsWith('targets.segment')) {
    // `to` equal to `from`.
    out.push({ key: 'target', path: [0, 'to', 1], bad: ['-1'], hugeRejected: false });
  } else if (t.startsWith('targets.box')) {
    out.push({ key: 'target', path: [1, 0], bad: ['-1', '-2'], hugeRejected: false });
  } else if (t.startsWith('targets.mixture')) {
    out.push({ key: 'target', path: [0, 0, 'std'], bad: ['0', '-0.5'], hugeRejected: false });
    out.push({ key: 'target', path: [0, 1, 'weight'], bad: ['-1'], hugeRejected: false });
    out.push({ key: 'target', path: [0, 1, 'mean'], bad: [], hugeRejected: false });
  } else if (t.startsWith('targets.gaussian')) {
    out.push({ key: 'target', path: [1], bad: ['0', '-2'], hugeRejected: false });
  } else if (t.startsWith('targets.uniforms')) {
    out.push({ key: 'target', path: [0, 0, 'hi'], bad: ['2', '-5'], hugeRejected: false });
  } else {
    out.push({ key: 'target', path: [0], bad: ['1', '5'], hugeRejected: false });
  }
  const l = render(fieldValue(d, 'loss'));
  if (l.includes('clip')) out.push({ key: 'loss', path: [0, 'clip'], bad: ['0', '-0.01'], hugeRejected: false });
  if (l.includes('gradientPenalty')) out.push({ key: 'loss', path: [0, 'gradientPenalty'], bad: ['0', '-10'], hugeRejected: false });
  void lossKind;
  return out;
}

interface TypedField {
  readonly key: string;
  readonly path: Path;
  readonly bad: readonly string[];
}

/** Non-numeric fields and values that are surely wrong for them. */
function typedFields(d: Definition, lossKind: LossKind): TypedField[] {
  const objectBad = ['42', "'mlp'", 'null', 'true', '[]', '() => ({})', '10n', "Symbol('x')"];
  const out: TypedField[] = [
    { key: 'generator', path: [], bad: objectBad },
    { key: 'generator', path: ['kind'], bad: ["'gan'", "'MLP'", "''", '1', 'null', '{}'] },
    { key: 'critic', path: [], bad: objectBad },
    { key: 'critic', path: ['hidden'], bad: ['32', "'32,32'", '{}', 'null', 'true', '{ length: 2, 0: 8, 1: 8 }'] },
    { key: 'critic', path: ['activation'], bad: ["'swish'", "'TANH'", "''", '42', 'null', "['tanh']", "'x'.repeat(100000)", 'Math.tanh'] },
    { key: 'optimizer', path: [], bad: [...objectBad, '{}'] },
    { key: 'optimizer', path: ['kind'], bad: ["'adamw'", "'Adam'", '0', 'null', 'undefined'] },
    { key: 'target', path: [], bad: [...objectBad, '{}', "{ kind: 'normal' }"] },
    { key: 'loss', path: [], bad: [...objectBad, '{}', "{ kind: 'gan', variant: 'saturated' }", "{ kind: 'wasserstein' }"] },
  ];
  if (render(fieldValue(d, 'generator')).includes("'mlp'")) {
    out.push({ key: 'generator', path: ['hidden'], bad: ['8', "'8'", 'null', '{}'] });
    out.push({ key: 'generator', path: ['activation'], bad: ["'gelu'", '0', 'null'] });
  }
  const target = fieldValue(d, 'target');
  const t = render(target);
  if (t.startsWith('targets.mixture')) {
    out.push({ key: 'target', path: [0], bad: ['[]', "'mix'", '[null]'] });
    out.push({ key: 'target', path: [0, 0], bad: ['42', 'null', "'c'"] });
  }
  if (t.startsWith('targets.mixture') && is2D(target)) {
    // A mean of the wrong length, components of mixed dimension, a covariance of the wrong shape.
    out.push({ key: 'target', path: [0, 0, 'mean'], bad: ['[1]', '[1, 2, 3]', '-1', "['1', '0']"] });
    out.push({ key: 'target', path: [0, 1, 'cov'], bad: ['[[1, 0]]', '[1, 0, 0, 1]', '[[1, 0], [0]]', '[[1, 0.2], [-0.2, 1]]', '1'] });
  }
  if (t.startsWith('targets.ring')) out.push({ key: 'target', path: [0, 'center'], bad: ['[0]', '0', "'origin'", '[0, NaN]'] });
  if (t.startsWith('targets.segment')) out.push({ key: 'target', path: [0, 'from'], bad: ['[0]', '0', '[0, 0, 0]', 'null'] });
  if (lossKind === 'custom' || lossKind === 'customF') {
    const at = lossPath(lossKind);
    const fns = lossKind === 'custom' ? ['critic', 'generator', 'estimate'] : ['f', 'conjugate', 'activation'];
    for (const fn of fns) out.push({ key: 'loss', path: [...at, fn], bad: ['42', "'fn'", 'null', '{}', '[]', 'undefined', 'true'] });
    out.push({ key: 'loss', path: [...at, lossKind === 'custom' ? 'divergence' : 'name'], bad: lossKind === 'custom' ? ["'chi2'", '42', 'null', "{ name: 'x' }", "{ f: (u) => u }"] : ['42', 'null', 'undefined', '{}'] });
    if (lossKind === 'custom') {
      out.push({ key: 'loss', path: ['criticOutput'], bad: ["'probability'", '1', 'null'] });
      out.push({ key: 'loss', path: ['name'], bad: ['42', '() => 1', '{}', "'n'.repeat(1000)", 'null'] });
    }
  } else {
    const l = render(fieldValue(d, 'loss'));
    if (l.startsWith('losses.fgan')) {
      out.push({ key: 'loss', path: [0], bad: ["'kl2'", "'jsd'", '42', 'null', '{}'] });
      out.push({ key: 'loss', path: [1, 'generator'], bad: ["'bogus'", '1', 'null'] });
    }
  }
  return out;
}

// ---- categories ----------------------------------------------------------------------------------

type Make = (rng: Rng, i: number) => Omit<FuzzCase, 'id' | 'category' | 'route'> & { route?: Route };

const ERRORISH = /\S/;

const syntax: Make = (rng) => {
  const { def } = base(rng);
  const { text } = renderDefinition(def);
  const lines = text.split('\n');
  const fieldLines = lines.map((l, i) => [l, i] as const).filter(([l]) => /^ {2}\w+: /.test(l));
  const [line, at] = pick(rng, fieldLines);
  const tokens = [')', ']', '@', '#', '=>', '...', 'let let', '<<', "'unterminated", '`${', '?.', 'import', '.', ':::', '}}'];
  const how = Math.floor(rng.next() * 8);
  const out = [...lines];
  let what: string;
  if (how === 0 || how === 1) {
    const tok = pick(rng, tokens);
    out[at] = `${line} ${tok}`;
    what = `token ${tok} after a field`;
  } else if (how === 2) {
    // Truncated inside the defineGan call.
    const start = text.indexOf('defineGan({') + 11;
    const cut = start + Math.floor(rng.next() * (text.length - 4 - start));
    return { what: `truncated at offset ${cut}`, ext: 'ts', text: text.slice(0, cut), expect: 'error', message: ERRORISH };
  } else if (how === 3) {
    out[at] = line.replace(': ', ' ');
    what = 'missing colon';
  } else if (how === 4) {
    out[at] = line.replace(/,$/, ',,');
    what = 'double comma';
  } else if (how === 5) {
    out[at] = line.replace(/\(/, '((').replace(/\[/, '[[');
    if (out[at] === line) out[at] = `${line.slice(0, -1)} (,`;
    what = 'unbalanced bracket';
  } else if (how === 6) {
    return { what: 'type annotation in a .js file', ext: 'js', text: text.replace(HEADER, `${HEADER}\nconst width: number = 8;`), expect: 'error', message: ERRORISH };
  } else {
    out[at] = `${line} '\\u{zzzz}',`;
    what = 'bad unicode escape';
  }
  // An unbalanced bracket surfaces wherever the parser gives up; the others on the line or the next.
  return { what: `${what} on line ${at + 1}`, ext: 'ts', text: out.join('\n'), expect: 'error', message: ERRORISH, ...(how === 5 ? {} : { lineRange: [at + 1, at + 2] as const }) };
};

const wrongType: Make = (rng) => {
  const { def, lossKind } = base(rng);
  const roll = rng.next();
  if (roll < 0.08) {
    // An unknown field, at the top or inside an object.
    const where = pick(rng, ['', 'generator', 'critic', 'optimizer']);
    const name = pick(rng, ['optimiser', 'hiddden', 'lr2', 'constructor', '__proto__x', 'learningRate']);
    if (where === '') {
      const d = { ...def, fields: [...def.fields.slice(0, 3), [name, '1'] as const, ...def.fields.slice(3)] };
      const r = renderDefinition(d);
      return { what: `unknown field ${name}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf(name), message: new RegExp(`^${name} is not a known field`) };
    }
    const v = fieldValue(def, where) as { o: (readonly [string, V])[] };
    const d = setField(def, where, { o: [...v.o, [name, '1']] });
    const r = renderDefinition(d);
    return { what: `unknown field ${where}.${name}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf(where), message: new RegExp(`^${where}\\.${name} is not a known field`) };
  }
  if (roll < 0.45) {
    const f = pick(rng, numericFields(def, lossKind));
    const value = pick(rng, [...WRONG_TYPES, ...f.bad, ...f.bad]);
    const d = setField(def, f.key, replaceAt(fieldValue(def, f.key), f.path, () => value));
    const r = renderDefinition(d);
    return { what: `${f.key}${f.path.map((p) => `.${p}`).join('')} = ${value.slice(0, 30)}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf(f.key), message: new RegExp(`^${f.key}\\b`) };
  }
  const f = pick(rng, typedFields(def, lossKind));
  const value = pick(rng, f.bad);
  const d = setField(def, f.key, replaceAt(fieldValue(def, f.key), f.path, () => value));
  const r = renderDefinition(d);
  return { what: `${f.key}${f.path.map((p) => `.${p}`).join('')} = ${value.slice(0, 30)}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf(f.key), message: new RegExp(`^${f.key}\\b`) };
};

const THROWN = [
  "new Error('getter boom')", "'a string'", 'null', 'undefined', '42', 'Object.create(null)',
  "{ toString() { throw new Error('nested'); } }", "new Proxy({}, { get() { throw new Error('trap'); } })",
  "(() => { const e = new Error('m'); Object.defineProperty(e, 'message', { get() { throw e; } }); return e; })()",
  "new RangeError('x'.repeat(100000))",
];

const throwingGetter: Make = (rng) => {
  const { def, lossKind } = base(rng, pick(rng, ['builtin', 'custom'] as const));
  const thrown = pick(rng, THROWN);
  const getter = `{ throw ${thrown}; }`;
  const where = pick(rng, ['root', 'root', 'generator', 'critic', 'optimizer', lossKind === 'custom' ? 'loss' : 'optimizer']);
  if (where === 'root') {
    const key = pick(rng, ['batchSize', 'criticSteps', 'seed', 'critic', 'optimizer', 'loss', 'target', 'generator']);
    const d = setField(def, key, getter, `get ${key}()`);
    const r = renderDefinition(d);
    return { what: `getter ${key} throws ${thrown.slice(0, 30)}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf(key), message: new RegExp(`^${key} could not be read`) };
  }
  const obj = fieldValue(def, where) as { o: readonly (readonly [string, V])[] };
  const key = pick(rng, obj.o.map(([k]) => k));
  const d = setField(def, where, replaceAt(obj, [key], () => getter, `get ${key}()`));
  const r = renderDefinition(d);
  return { what: `getter ${where}.${key} throws ${thrown.slice(0, 30)}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf(where), message: new RegExp(`^${where}\\.${key} could not be read`) };
};

const hugeNumbers: Make = (rng) => {
  const { def, lossKind } = base(rng);
  const f = pick(rng, numericFields(def, lossKind).filter((x) => x.hugeRejected));
  const value = pick(rng, HUGE);
  const d = setField(def, f.key, replaceAt(fieldValue(def, f.key), f.path, () => value));
  const r = renderDefinition(d);
  return { what: `${f.key}${f.path.map((p) => `.${p}`).join('')} = ${value}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf(f.key), message: new RegExp(`^${f.key}\\b`) };
};

const nonFinite: Make = (rng) => {
  const { def, lossKind } = base(rng);
  const f = pick(rng, numericFields(def, lossKind));
  const value = pick(rng, NON_FINITE);
  const d = setField(def, f.key, replaceAt(fieldValue(def, f.key), f.path, () => value));
  const r = renderDefinition(d);
  return { what: `${f.key}${f.path.map((p) => `.${p}`).join('')} = ${value}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf(f.key), message: new RegExp(`^${f.key}\\b`) };
};

// Each depends on the critic's outputs: a constant loss has no gradient, which is another error.
const NAN_EXPRS = [
  'tf.mul(tf.mean(real), NaN)', 'tf.div(tf.mean(real), 0)', 'tf.log(tf.sub(tf.mean(real), 1e6))', 'tf.sqrt(tf.sub(tf.mean(real), 1e6))',
  'tf.add(tf.mean(real), Infinity)', 'tf.exp(tf.add(tf.mean(real), 1000))', 'tf.add(tf.mean(real), tf.scalar(NaN))', 'tf.mul(tf.sum(real), Infinity)',
];

const nanLoss: Make = (rng) => {
  if (rng.next() < 0.3) {
    // A custom f-divergence whose conjugate or activation leaves the reals.
    const { def } = base(rng, 'customF');
    const which = pick(rng, ['conjugate', 'activation']);
    const expr = which === 'conjugate' ? pick(rng, ['(t, tf) => tf.log(tf.sub(t, 1e9))', '(t, tf) => tf.mul(t, NaN)', '(t, tf) => tf.div(t, 0)']) : pick(rng, ['(v, tf) => tf.mul(v, Infinity)', '(v, tf) => tf.log(tf.neg(tf.abs(v)))']);
    const d = setField(def, 'loss', replaceAt(fieldValue(def, 'loss'), [0, which], () => expr));
    const r = renderDefinition(d);
    return { what: `custom f ${which}: ${expr}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf('loss'), message: /^dry run: .*NaN or infinite/ };
  }
  const { def } = base(rng, 'custom');
  const fn = pick(rng, ['critic', 'generator', 'estimate']);
  const args = fn === 'generator' ? '{ fake, tf }' : '{ real, fake, tf }';
  const expr = pick(rng, NAN_EXPRS).replace(/real/g, fn === 'generator' ? 'fake' : 'real');
  const d = setField(def, 'loss', replaceAt(fieldValue(def, 'loss'), [fn], () => `(${args}) => ${expr}`));
  const r = renderDefinition(d);
  return { what: `loss.${fn} returns ${expr}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf('loss'), message: /^dry run: .*NaN or infinite/ };
};

const THROWING_BODIES = [
  "{ throw new Error('loss boom'); }", "{ throw 'a string'; }", '{ throw null; }', '{ throw Object.create(null); }', '{ return (real as any).nonexistent(); }',
  '{ return (tf as any).notAnOp(real); }', '{ return tf.matMul(real, tf.ones([5, 5])); }', '{ return tf.mean(undefined as any); }',
  "{ throw { toString() { throw new Error('no string'); } }; }", "{ throw new RangeError('x'.repeat(100000)); }",
];
// What a custom loss returns goes through tf ops that accept numbers; f-divergence functions'
// results do too (`return 42` from a conjugate trains), so only the loss gets these.
const BAD_BODIES = [...THROWING_BODIES, '{ return 42; }', '{ return undefined; }', "{ return 'tensor'; }", '{ return { rank: 0 }; }'];

const throwingLoss: Make = (rng) => {
  if (rng.next() < 0.25) {
    const { def } = base(rng, 'customF');
    const which = pick(rng, ['conjugate', 'activation']);
    const body = pick(rng, THROWING_BODIES).replace(/real/g, 't');
    const d = setField(def, 'loss', replaceAt(fieldValue(def, 'loss'), [0, which], () => `(t, tf) => ${body}`));
    const r = renderDefinition(d);
    return { what: `custom f ${which} ${body}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf('loss'), message: /^dry run: / };
  }
  const { def } = base(rng, 'custom');
  const fn = pick(rng, ['critic', 'generator', 'estimate']);
  const args = fn === 'generator' ? '{ fake, tf }' : '{ real, fake, tf }';
  const body = pick(rng, BAD_BODIES).replace(/real/g, fn === 'generator' ? 'fake' : 'real');
  const d = setField(def, 'loss', replaceAt(fieldValue(def, 'loss'), [fn], () => `(${args}) => ${body}`));
  const r = renderDefinition(d);
  return { what: `loss.${fn} ${body}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf('loss'), message: /^dry run: / };
};

const topLevelLoop: Make = (rng) => {
  const { def } = base(rng);
  const how = pick(rng, ['while', 'for', 'iife', 'getter', 'proxy', 'regex', 'async', 'helper']);
  const timeout = /did not finish within/;
  switch (how) {
    case 'while':
      return { what: 'while (true) {} at top level', ext: 'ts', text: renderDefinition({ ...def, prelude: ['while (true) {}'] }).text, expect: 'error', message: timeout };
    case 'for':
      return { what: 'for (;;) with work at top level', ext: 'ts', text: renderDefinition({ ...def, prelude: ['let n = 0;', 'for (;;) { n = (n + Math.sqrt(n + 1)) % 1e6; }'] }).text, expect: 'error', message: timeout };
    case 'iife': {
      const key = pick(rng, ['batchSize', 'seed', 'criticSteps']);
      return { what: `loop inside defineGan's argument (${key})`, ext: 'ts', text: renderDefinition(setField(def, key, '(() => { for (;;) {} })()')).text, expect: 'error', message: timeout };
    }
    case 'getter': {
      // Not through defineGan: the loader validates the export itself, after the top level.
      const key = pick(rng, ['loss', 'target', 'batchSize']);
      const d: Definition = { ...setField(def, key, '{ for (;;) {} }', `get ${key}()`), wrap: ['export default {', '};'] };
      return { what: `getter ${key} of the exported object loops`, ext: 'ts', text: renderDefinition(d).text, expect: 'error', message: timeout };
    }
    case 'proxy':
      return { what: 'exported Proxy whose ownKeys trap loops', ext: 'ts', text: `${HEADER}\nexport default new Proxy({}, { ownKeys() { for (;;) {} } });\n`, expect: 'error', message: timeout };
    case 'regex':
      return { what: 'catastrophic regex backtracking at top level', ext: 'ts', text: renderDefinition({ ...def, prelude: ["const slow = /^(a+)+$/.test('a'.repeat(40) + 'b');"] }).text, expect: 'error', message: timeout };
    case 'async':
      return { what: 'loop in an async function before its first await', ext: 'ts', text: renderDefinition({ ...def, prelude: ['void (async () => { for (;;) {} })();'] }).text, expect: 'error', message: timeout };
    default:
      return {
        // Used, or TypeScript semantics drop the import and its module with it.
        what: 'loop at the top level of a relative import', ext: 'ts', text: renderDefinition({ ...def, prelude: ["import { width } from './spin';", 'void width;'] }).text,
        extra: { 'spin.ts': 'let i = 0;\nwhile (i >= 0) { i = (i + 1) % 10; }\nexport const width = 8;\n' }, expect: 'error', message: timeout,
      };
  }
};

const deepRecursion: Make = (rng) => {
  const { def, lossKind } = base(rng, pick(rng, ['builtin', 'custom'] as const));
  const how = pick(rng, ['top', 'getter', 'loss', 'cyclicTarget', 'proxy', 'mutual', 'nestedSource']);
  const overflow = /call stack|too much recursion|stack/i;
  switch (how) {
    case 'top':
      return { what: 'unbounded recursion at top level', ext: 'ts', text: renderDefinition({ ...def, prelude: ['function deeper(n: number): number { return deeper(n + 1) + 1; }', 'deeper(0);'] }).text, expect: 'error', message: overflow, line: 2 };
    case 'getter': {
      const key = pick(rng, ['batchSize', 'seed', 'critic']);
      const d = setField(def, key, `{ return (this as any).${key}; }`, `get ${key}()`);
      const r = renderDefinition(d);
      return { what: `getter ${key} recurses into itself`, ext: 'ts', text: r.text, expect: 'error', message: new RegExp(`^${key} could not be read: .*stack`), line: r.lineOf(key) };
    }
    case 'loss': {
      const { def: c } = lossKind === 'custom' ? { def } : base(rng, 'custom');
      const fn = pick(rng, ['critic', 'generator', 'estimate']);
      const d = setField(c, 'loss', replaceAt(fieldValue(c, 'loss'), [fn], () => `function self(this: any, a: any): any { return self.call(this, a); }`));
      const r = renderDefinition(d);
      return { what: `loss.${fn} recurses forever`, ext: 'ts', text: r.text, expect: 'error', message: /^dry run: .*stack/, line: r.lineOf('loss') };
    }
    case 'cyclicTarget': {
      const d = { ...setField(def, 'target', 'cyclic'), prelude: ["const cyclic: any = { kind: 'truncated', lo: -1, hi: 1 };", 'cyclic.base = cyclic;'] };
      const r = renderDefinition(d);
      // Validating the target recurses with a growing field name: it ends either by overflowing
      // the stack (an error on the target) or by the loader's time limit (top of the file).
      return { what: 'target truncated with itself as base', ext: 'ts', text: r.text, expect: 'error', message: /^target\b|did not finish within/, overflowAnywhere: true };
    }
    case 'proxy': {
      const key = pick(rng, ['critic', 'optimizer', 'generator']);
      const d = { ...setField(def, key, 'deepProxy'), prelude: ['const deepProxy: any = new Proxy({}, { get(t, k, r) { return r[k]; }, ownKeys(t) { return Reflect.ownKeys(deepProxy); } });'] };
      const r = renderDefinition(d);
      return { what: `${key} is a Proxy whose traps recurse`, ext: 'ts', text: r.text, expect: 'error', message: /stack/ };
    }
    case 'mutual':
      return {
        what: 'mutual recursion through a relative import', ext: 'ts', text: renderDefinition({ ...def, prelude: ["import { ping } from './ping';", 'ping(0);'] }).text,
        extra: { 'ping.ts': 'export function ping(n: number): number { return pong(n + 1); }\nfunction pong(n: number): number { return ping(n + 1); }\n' }, expect: 'error', message: overflow, overflowAnywhere: true,
      };
    default: {
      const depth = 2000 + Math.floor(rng.next() * 3000);
      return { what: `${depth} nested parentheses in the source`, ext: 'ts', text: renderDefinition(setField(def, 'seed', `${'('.repeat(depth)}1${')'.repeat(depth)} + (`)).text, expect: 'error', message: ERRORISH };
    }
  }
};

const enormousSizes: Make = (rng) => {
  const { def } = base(rng);
  const mlp = render(fieldValue(def, 'generator')).includes("'mlp'");
  const options: [string, Path, string, string][] = [
    ['critic', ['hidden'], '[1024, 1024, 1024, 1024, 1024]', 'parameters'],
    ['critic', ['hidden'], '[4096, 4096]', 'at most 1024'],
    ['critic', ['hidden'], '[1e9]', 'at most 1024'],
    ['critic', ['hidden'], 'Array(9).fill(8)', 'at most 8 layers'],
    ['critic', ['hidden'], 'Array(1e6).fill(1024)', 'at most 8 layers'],
    ['critic', ['hidden'], 'new Array(2 ** 32 - 1)', 'at most 8 layers'],
    ['critic', ['hidden'], '[1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024]', 'parameters'],
    ['batchSize', [], '1e9', 'at most 65536'],
    ['batchSize', [], '65537', 'at most 65536'],
    ['criticSteps', [], '1e7', 'at most 100'],
  ];
  if (mlp) {
    options.push(['generator', ['latentDim'], '1e6', 'at most 64']);
    options.push(['generator', ['hidden'], '[1024, 1024, 1024, 1024, 1024]', 'parameters']);
    options.push(['generator', ['hidden'], '[2 ** 31]', 'at most 1024']);
  }
  const [key, path, value, message] = pick(rng, options);
  const d = setField(def, key, path.length === 0 ? value : replaceAt(fieldValue(def, key), path, () => value));
  const r = renderDefinition(d);
  return { what: `${key}${path.map((p) => `.${p}`).join('')} = ${value}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf(key), message: new RegExp(`^${key}\\b.*${message.replace(/[()]/g, '\\$&')}`) };
};

const nonObjectExport: Make = (rng) => {
  const { def } = base(rng);
  const valid = renderDefinition(def).text;
  const exports: [string, 'ts' | 'js'][] = [
    ['export default 42;', 'ts'], ['export default null;', 'ts'], ["export default 'gan';", 'ts'], ['export default [];', 'ts'],
    ['export default () => ({});', 'ts'], ['export default class {}', 'ts'], ["export default Symbol('gan');", 'ts'], ['export default 10n;', 'ts'],
    ['export default undefined;', 'ts'], ['export default defineGan;', 'ts'], ['export default Object.create(null);', 'ts'], ['export default new Date(0);', 'ts'],
    ['export default { then(resolve: (v: unknown) => void) { resolve(1); } };', 'ts'], ['const r = Proxy.revocable({}, {}); r.revoke(); export default r.proxy;', 'ts'],
    ["export default new Proxy({}, { ownKeys() { throw new Error('no keys'); } });", 'ts'], ["export default new Proxy({}, { getPrototypeOf() { throw new Error('no prototype'); } });", 'ts'],
    ['module.exports = 42;', 'js'], ['module.exports = null;', 'js'], ['module.exports = undefined;', 'js'], ["module.exports = 'x';", 'js'],
    ['export const notDefault = 1;', 'ts'], ['', 'ts'],
  ];
  if (rng.next() < 0.2) {
    const how = pick(rng, ['promise', 'named', 'wrapped']);
    if (how === 'promise') return { what: 'default export is a Promise of a definition', ext: 'ts', text: valid.replace('export default defineGan(', 'export default Promise.resolve(defineGan(').replace(/\}\);\n$/, '}));\n'), expect: 'error', message: /loss|not a known field|object/ };
    if (how === 'named') return { what: 'definition exported under another name', ext: 'ts', text: valid.replace('export default defineGan(', 'export const gan = defineGan('), expect: 'error', message: /must default-export/ };
    return { what: 'definition wrapped in another object', ext: 'ts', text: valid.replace('export default defineGan(', 'export default ({ config: defineGan(').replace(/\}\);\n$/, '}) });\n'), expect: 'error', message: /config is not a known field/ };
  }
  const [exp, ext] = pick(rng, exports);
  return { what: `export: ${exp}`, ext, text: `${ext === 'ts' ? HEADER : "const { defineGan } = require('gan-lens');"}\n${exp}\n`, expect: 'error', message: ERRORISH };
};

const throwInArgs: Make = (rng) => {
  const { def } = base(rng);
  const cases: [string, V, RegExp][] = [
    ['target', { call: 'targets.mixture', args: ['null as any'] }, /./],
    ['target', { call: 'targets.mixture', args: ['42 as any'] }, /./],
    ['target', { call: 'targets.uniforms', args: ['undefined as any'] }, /./],
    ['target', { call: 'targets.mixture', args: ['[]'] }, /^target\b/],
    ['target', { call: 'targets.gaussian', args: ["'zero' as any", '{} as any'] }, /^target\b/],
    ['target', { call: 'targets.uniform', args: ['2', '1'] }, /^target\b/],
    ['target', { call: 'targets.gaussian', args: [] }, /^target\b/],
    ['loss', { call: 'losses.fgan', args: ["'nope' as any"] }, /^loss\.divergence\b/],
    ['loss', { call: 'losses.wgan', args: ['{ clip: -1 }'] }, /^loss\.clip\b/],
    ['loss', { call: 'losses.wgan', args: ['{ clip: 0.01, gradientPenalty: 10 }'] }, /^loss\b.*exactly one/],
    ['loss', { call: 'losses.wgan', args: ['{}'] }, /^loss\b.*exactly one/],
    ['loss', { call: 'losses.custom', args: ['undefined as any'] }, /^loss\b/],
    ['loss', { call: 'losses.fgan', args: ["'kl'", 'null as any'] }, /./],
    ['batchSize', "JSON.parse('{bad')", /JSON/],
    ['seed', '(undefined as any).x', /undefined/],
    ['critic', "{ hidden: [8].map(() => { throw new RangeError('no widths'); }) }", /no widths/],
    ['generator', "new (class { constructor() { throw new Error('ctor'); } })()", /ctor/],
    ['optimizer', "{ ...(() => { throw new Error('spread boom'); })() }", /spread boom/],
    ['criticSteps', '(globalThis as any).notDefined.x', /notDefined|undefined/],
  ];
  const whole = rng.next() < 0.15;
  if (whole) {
    const call = pick(rng, ['defineGan()', 'defineGan(null as any)', "defineGan('config' as any)", 'defineGan([] as any)', "defineGan({ ...(() => { throw new Error('boom'); })() })"]);
    return { what: `export default ${call}`, ext: 'ts', text: `${HEADER}\nexport default ${call};\n`, expect: 'error', message: ERRORISH, line: 2 };
  }
  const [key, value, message] = pick(rng, cases);
  const r = renderDefinition(setField(def, key, value));
  return { what: `${key}: ${render(value)}`, ext: 'ts', text: r.text, expect: 'error', line: r.lineOf(key), message };
};

const nodeImports: Make = (rng) => {
  const { def } = base(rng);
  const forbidden = /cannot be imported|Could not resolve|could not resolve/i;
  const imports: [string, RegExp, Readonly<Record<string, string>>?][] = [
    ["import * as fs from 'fs';\nexport const here = fs.existsSync('.');", forbidden],
    ["import { execSync } from 'node:child_process';\nexport const out = execSync;", forbidden],
    ["import os from 'os';\nexport const cpus = os.cpus;", forbidden],
    ["import 'node:worker_threads';", forbidden],
    ["import * as vm from 'vm';\nexport const v = vm;", forbidden],
    ["import * as tfjs from '@tensorflow/tfjs-core';\nexport const t = tfjs;", forbidden],
    ["import { internals } from 'gan-lens/internal';\nexport const i = internals;", forbidden],
    ["import helper from './missing-helper';\nexport const h = helper;", forbidden],
    ["import data from './missing.json';\nexport const d = data;", forbidden],
    ["import evil from 'https://example.com/evil.js';\nexport const e = evil;", forbidden],
    ["const name = 'f' + 's';\nexport const fs = require(name);", forbidden],
    ["export const fs = eval('require')('fs');", forbidden],
    ["export const fs = new Function('return require')()('fs');", /require/],
    ["export const fs = (module as any).require('fs');", /require|not a function/],
    ["import { width } from './helper';\nexport const w = width;", /cannot be imported/, { 'helper.ts': "import * as fs from 'node:fs';\nexport const width = fs.statSync('.').size;\n" }],
    ["import { width } from './broken-helper';\nexport const w = width;", ERRORISH, { 'broken-helper.ts': 'export const width = (8;\n' }],
    ["import { width } from './throwing-helper';\nexport const w = width;", /helper threw/, { 'throwing-helper.ts': "export const width = 8;\nthrow new Error('helper threw');\n" }],
  ];
  const [code, message, extra] = pick(rng, imports);
  const text = renderDefinition({ ...def, prelude: [code] }).text;
  return { what: code.split('\n')[0]!, ext: 'ts', text, expect: 'error', message, ...(extra ? { extra } : {}) };
};

const lintWarnings: Make = (rng) => {
  const { def } = base(rng, 'customF');
  // Valid files whose f is not an f-divergence's: they train, with a warning. (An f that is NaN or
  // throws at u = 1 is an error of the dry run instead.)
  const bad = pick(rng, [
    ['(u) => (u - 1) * (u - 1) + 0.5', /f\(1\) = /], ['(u) => Math.sin(u) - Math.sin(1)', /not convex/], ['(u) => -Math.log(u) + 0.1', /f\(1\) = /],
    ['(u) => Math.abs(u - 1) - 0.25 * (u - 1) ** 2', /not convex/], ['(u) => u * u', /f\(1\) = /],
  ] as const);
  const d = setField(def, 'loss', replaceAt(fieldValue(def, 'loss'), [0, 'f'], () => bad[0]));
  const r = renderDefinition(d);
  return { what: `custom f ${bad[0]}`, ext: 'ts', text: r.text, expect: 'warning', line: r.lineOf('loss'), message: bad[1] };
};

// ---- worker-only categories --------------------------------------------------------------------

const lossLoop: Make = (rng) => {
  if (rng.next() < 0.3) {
    const { def } = base(rng, 'customF');
    const which = pick(rng, ['f', 'conjugate', 'activation']);
    const expr = which === 'f' ? '(u) => { for (;;) {} }' : '(t, tf) => { while (true) {} }';
    const d = setField(def, 'loss', replaceAt(fieldValue(def, 'loss'), [0, which], () => expr));
    return { what: `custom f ${which} never returns`, ext: 'ts', text: renderDefinition(d).text, expect: 'error', message: /did not finish within/ };
  }
  const { def } = base(rng, 'custom');
  const fn = pick(rng, ['critic', 'generator', 'estimate']);
  const body = pick(rng, [
    '{ for (;;) {} }', '{ while (true) { tf.tidy(() => tf.ones([16])); } }',
    '{ Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return tf.scalar(0); }', '{ let x = 0; do { x++; } while (x > 0); return tf.scalar(x); }',
  ]);
  const d = setField(def, 'loss', replaceAt(fieldValue(def, 'loss'), [fn], () => `(${fn === 'generator' ? '{ fake, tf }' : '{ real, fake, tf }'}) => ${body}`));
  return { what: `loss.${fn} ${body}`, ext: 'ts', text: renderDefinition(d).text, expect: 'error', message: /did not finish within/ };
};

const processExit: Make = (rng) => {
  const { def } = base(rng, 'custom');
  if (rng.next() < 0.5) {
    const code = pick(rng, [0, 1, 7]);
    return { what: `process.exit(${code}) at top level`, ext: 'ts', text: renderDefinition({ ...def, prelude: [`process.exit(${code});`] }).text, expect: 'error', message: /exit/ };
  }
  const d = setField(def, 'loss', replaceAt(fieldValue(def, 'loss'), ['critic'], () => '() => process.exit(3)'));
  return { what: 'process.exit(3) in loss.critic', ext: 'ts', text: renderDefinition(d).text, expect: 'error', message: /exit/ };
};

const asyncThrow: Make = (rng) => {
  const { def } = base(rng);
  const code = pick(rng, [
    "setTimeout(() => { throw new Error('later'); }, 0);", "Promise.reject(new Error('rejected'));", "queueMicrotask(() => { throw new Error('microtask'); });",
    "void import('fs');", "setInterval(() => { throw new Error('every tick'); }, 1);", "process.nextTick(() => { throw new Error('next tick'); });",
    "setImmediate(() => { throw new Error('immediate'); });",
  ]);
  return { what: code, ext: 'ts', text: renderDefinition({ ...def, prelude: [code] }).text, expect: 'any' };
};

const globalPollution: Make = (rng) => {
  const { def } = base(rng);
  const code = pick(rng, [
    "(Object.prototype as any).kind = 'custom';", '(Array.prototype as any).map = function () { return []; };', 'Math.exp = () => NaN;',
    "JSON.stringify = () => { throw new Error('no json'); };", "Object.defineProperty(Object.prototype, 'then', { get() { throw new Error('then'); }, configurable: true });",
    '(globalThis as any).Float32Array = undefined;', "Object.defineProperty(Error.prototype, 'message', { get() { throw new Error('message'); }, configurable: true });",
  ]);
  return { what: code, ext: 'ts', text: renderDefinition({ ...def, prelude: [code] }).text, expect: 'any' };
};

const memoryBomb: Make = (rng) => {
  const { def } = base(rng, 'custom');
  const how = pick(rng, ['topArrays', 'topString', 'lossArrays', 'lossTensors']);
  if (how === 'topArrays') return { what: 'top level keeps allocating arrays', ext: 'ts', text: renderDefinition({ ...def, prelude: ['const hoard: number[][] = [];', 'for (;;) hoard.push(new Array(1e5).fill(1));'] }).text, expect: 'error', message: /did not finish|memory|crashed|exited/ };
  if (how === 'topString') return { what: 'top level doubles a string forever', ext: 'ts', text: renderDefinition({ ...def, prelude: ["let s = 'x';", 'for (;;) s += s;'] }).text, expect: 'error', message: /string length|memory|did not finish|crashed/ };
  const body = how === 'lossArrays' ? '{ const hoard: number[][] = []; for (;;) hoard.push(new Array(1e5).fill(1)); }' : '{ const hoard: any[] = []; for (;;) hoard.push(tf.ones([1 << 18])); }';
  const d = setField(def, 'loss', replaceAt(fieldValue(def, 'loss'), ['critic'], () => `({ real, fake, tf }) => ${body}`));
  return { what: `loss.critic ${how === 'lossArrays' ? 'hoards arrays' : 'hoards tensors'}`, ext: 'ts', text: renderDefinition(d).text, expect: 'error', message: /did not finish|memory|crashed|exited/ };
};

/**
 * A loss that throws a Proxy whose getPrototypeOf trap throws: `e instanceof …` in the trainer's
 * catch blocks then throws again. Through the check it must still end as an error in bounded time.
 */
const hostileThrow: Make = (rng) => {
  const { def } = base(rng, 'custom');
  const fn = pick(rng, ['critic', 'generator', 'estimate']);
  const thrown = pick(rng, [
    "new Proxy(new Error('p'), { getPrototypeOf() { throw new Error('proto'); } })",
    "(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })()",
  ]);
  const d = setField(def, 'loss', replaceAt(fieldValue(def, 'loss'), [fn], () => `() => { throw ${thrown}; }`));
  return { what: `loss.${fn} throws ${thrown.slice(0, 40)}`, ext: 'ts', text: renderDefinition(d).text, expect: 'error' };
};

// ---- the corpus --------------------------------------------------------------------------------

export const LOAD_CATEGORIES: readonly (readonly [string, number, Make])[] = [
  ['syntax', 60, syntax],
  ['wrongType', 110, wrongType],
  ['throwingGetter', 40, throwingGetter],
  ['hugeNumbers', 30, hugeNumbers],
  ['nonFinite', 30, nonFinite],
  ['nanLoss', 30, nanLoss],
  ['throwingLoss', 35, throwingLoss],
  ['topLevelLoop', 20, topLevelLoop],
  ['deepRecursion', 25, deepRecursion],
  ['enormousSizes', 35, enormousSizes],
  ['nonObjectExport', 30, nonObjectExport],
  ['throwInDefineGanArgs', 30, throwInArgs],
  ['nodeImports', 30, nodeImports],
  ['lintWarnings', 10, lintWarnings],
];

export const CHECK_CATEGORIES: readonly (readonly [string, number, Make])[] = [
  ['lossLoop', 12, lossLoop],
  ['processExit', 4, processExit],
  ['asyncThrow', 7, asyncThrow],
  ['globalPollution', 7, globalPollution],
  ['memoryBomb', 4, memoryBomb],
  ['hostileThrow', 3, hostileThrow],
];

function build(categories: readonly (readonly [string, number, Make])[], route: Route, seed: number): FuzzCase[] {
  const rng = createRng(seed);
  const out: FuzzCase[] = [];
  for (const [category, count, make] of categories) {
    for (let i = 0; i < count; i++) {
      const c = make(rng, i);
      out.push({ ...c, id: `${category}-${String(i).padStart(3, '0')}`, category, route: c.route ?? route });
    }
  }
  return out;
}

export function generateCases(seed: number): { load: FuzzCase[]; check: FuzzCase[] } {
  return { load: build(LOAD_CATEGORIES, 'load', seed), check: build(CHECK_CATEGORIES, 'check', seed + 1) };
}

/** The unmutated bases, which must all load: the errors then come from the mutations. */
export function validBases(seed: number, count: number): string[] {
  const rng = createRng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(renderDefinition(base(rng).def).text);
  return out;
}

export const __forTests = { paths };
