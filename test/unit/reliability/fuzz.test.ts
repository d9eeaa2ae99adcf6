/**
 * Fuzz: several hundred generated broken or hostile loss definition files (fuzzCases.ts) go
 * through the loader and the dry run in-process, the ones that could hang or poison this process
 * through `gan-lens check` (checkFile: a worker thread with a time limit), and a sample of the
 * in-process ones through checkFile as well to show both paths agree. Every file must come back
 * within a bounded time with an error (or, for the math-lint cases, a warning) that has a message
 * and a position inside the file; memory must stay bounded. Counts, times and memory figures are
 * written to test-results/reliability/ for docs/reliability.md.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveDefinition } from '../../../src/training/definitionSource';
import { checkFile } from '../../../src/cli/check';
import { describeThrownWithStack } from '../../../src/errors';
import type { Problem } from '../../../src/protocol';
import type { Tf } from '../../../src/training/backend';
import { testBackend } from '../training/helpers';
import { generateCases, validBases, type FuzzCase } from './fuzzCases';
import { collectGarbage, mb, recordResults } from './results';

const SEED = 20240917;
/** The loader's bound on a file's top-level code, in-process (the worker uses its default). */
const LOAD_TIMEOUT_MS = 200;
/** Any single in-process case, loops included, must finish within this. */
const CASE_LIMIT_MS = 3000;
/** `gan-lens check`'s time limit in these tests (the CLI's default is 15 s). */
const CHECK_TIMEOUT_MS = 2000;
/** Worker threads checking files at once: the suite runs on 2 cores. */
const CHECK_CONCURRENCY = 2;
/** Message length beyond which a problem is useless in an editor (and costly to post). */
const MAX_MESSAGE = 2000;

type Outcome = 'error' | 'warning' | 'ok' | 'crash' | 'slow';

interface Result {
  readonly c: FuzzCase;
  readonly outcome: Outcome;
  readonly problems: readonly Problem[];
  readonly ms: number;
  readonly crash?: string;
}

function writeCase(dir: string, c: FuzzCase): { file: string; texts: Map<string, string> } {
  const caseDir = path.join(dir, c.id);
  fs.mkdirSync(caseDir, { recursive: true });
  const file = path.join(caseDir, `${c.category}.gan.${c.ext}`);
  fs.writeFileSync(file, c.text);
  const texts = new Map([[file, c.text]]);
  for (const [name, text] of Object.entries(c.extra ?? {})) {
    fs.writeFileSync(path.join(caseDir, name), text);
    texts.set(path.join(caseDir, name), text);
  }
  return { file, texts };
}

/** Why a result breaks the contract, or undefined. */
function verdict(r: Result, texts: Map<string, string>): string | undefined {
  const { c } = r;
  if (r.outcome === 'crash') return `crashed: ${r.crash}`;
  if (c.expect === 'any') return undefined;
  const first = r.problems[0];
  if (c.expect === 'error' && (first === undefined || first.severity !== 'error')) return `expected an error, got ${r.outcome} ${JSON.stringify(r.problems).slice(0, 300)}`;
  if (c.expect === 'warning' && (r.outcome !== 'warning' || first === undefined)) return `expected a warning on a valid file, got ${r.outcome} ${JSON.stringify(r.problems).slice(0, 300)}`;
  const p = first!;
  if (typeof p.message !== 'string' || p.message.trim() === '') return 'empty message';
  if (p.message.length > MAX_MESSAGE) return `message of ${p.message.length} characters`;
  if (p.file === undefined) return `no file: ${p.message}`;
  const text = texts.get(p.file);
  if (text === undefined) return `problem in a file that is not the case's: ${p.file}`;
  const lines = text.split('\n');
  if (!Number.isInteger(p.line) || !Number.isInteger(p.column)) return `no position: ${p.message.slice(0, 200)}`;
  if (p.line! < 1 || p.line! > lines.length) return `line ${p.line} outside 1..${lines.length}: ${p.message.slice(0, 200)}`;
  if (p.column! < 1 || p.column! > lines[p.line! - 1]!.length + 1) return `column ${p.column} outside line ${p.line} (${lines[p.line! - 1]!.length} characters)`;
  if (c.line !== undefined && (p.line !== c.line || p.file !== [...texts.keys()][0])) return `at line ${p.line}, expected ${c.line}: ${p.message.slice(0, 200)}`;
  if (c.lineRange !== undefined && (p.line! < c.lineRange[0] || p.line! > c.lineRange[1])) return `at line ${p.line}, expected ${c.lineRange.join('–')}: ${p.message.slice(0, 200)}`;
  if (c.message && !c.message.test(p.message)) return `message ${JSON.stringify(p.message.slice(0, 200))} does not match ${c.message}`;
  return undefined;
}

/** The loader's time-limit message, and the bound a case that is not meant to hang gets on a second try. */
const TIMED_OUT = /did not finish within/;
const RETRY_TIMEOUT_MS = 2000;

async function loadInProcess(tf: Tf, c: FuzzCase, file: string): Promise<Result> {
  const started = performance.now();
  try {
    const load = (ms: number) => resolveDefinition(tf, { kind: 'file', path: file, version: 1, text: c.text }, ms);
    let resolved = await load(LOAD_TIMEOUT_MS);
    // 200 ms is a wall-clock bound: a busy machine can stall even trivial top-level code past it. A case
    // that is not meant to hang and timed out gets one more try with time to spare; loops still must time out.
    const meantToHang = c.message !== undefined && TIMED_OUT.source === c.message.source;
    if (!resolved.ok && !meantToHang && resolved.problems.some((p) => TIMED_OUT.test(p.message))) resolved = await load(RETRY_TIMEOUT_MS);
    const ms = performance.now() - started;
    if (!resolved.ok) return { c, outcome: 'error', problems: resolved.problems, ms };
    return { c, outcome: resolved.warnings.length > 0 ? 'warning' : 'ok', problems: resolved.warnings, ms };
  } catch (e) {
    return { c, outcome: 'crash', problems: [], ms: performance.now() - started, crash: describeEscaped(e) };
  }
}

async function check(c: FuzzCase, file: string): Promise<Result> {
  const started = performance.now();
  try {
    const problems = await checkFile(file, 'auto', CHECK_TIMEOUT_MS);
    const ms = performance.now() - started;
    const outcome: Outcome = problems.some((p) => p.severity === 'error') ? 'error' : problems.length > 0 ? 'warning' : 'ok';
    return { c, outcome, problems, ms };
  } catch (e) {
    return { c, outcome: 'crash', problems: [], ms: performance.now() - started, crash: describeEscaped(e) };
  }
}

/** What escaped: the first lines of its stack, or its message. */
function describeEscaped(e: unknown): string {
  return describeThrownWithStack(e).split('\n').slice(0, 4).join(' | ');
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of results. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

interface Tally {
  count: number;
  outcomes: Partial<Record<Outcome, number>>;
  failures: number;
  maxMs: number;
  totalMs: number;
}

function tally(results: readonly Result[], failed: ReadonlySet<string>): Record<string, Tally> {
  const out: Record<string, Tally> = {};
  for (const r of results) {
    const t = (out[r.c.category] ??= { count: 0, outcomes: {}, failures: 0, maxMs: 0, totalMs: 0 });
    t.count++;
    t.outcomes[r.outcome] = (t.outcomes[r.outcome] ?? 0) + 1;
    if (failed.has(r.c.id)) t.failures++;
    t.maxMs = Math.max(t.maxMs, Math.round(r.ms));
    t.totalMs += r.ms;
  }
  for (const t of Object.values(out)) t.totalMs = Math.round(t.totalMs);
  return out;
}

function report(failures: readonly { id: string; what: string; why: string }[]): string {
  return `${failures.length} case(s) broke the contract:\n${failures.slice(0, 40).map((f) => `  ${f.id} (${f.what}): ${f.why}`).join('\n')}`;
}

describe('reliability: fuzzed loss definition files', function () {
  this.timeout(240_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lens-fuzz-'));
  const { load, check: checkCases } = generateCases(SEED);
  const figures: Record<string, unknown> = { seed: SEED, loadTimeoutMs: LOAD_TIMEOUT_MS, checkTimeoutMs: CHECK_TIMEOUT_MS };
  let tf: Tf;
  const inProcess = new Map<string, Result>();

  before(async () => {
    tf = (await testBackend()).tf;
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    recordResults('fuzz', figures);
  });

  it('generates at least 500 cases, deterministically', () => {
    assert.ok(load.length + checkCases.length >= 500, `${load.length + checkCases.length} cases`);
    const again = generateCases(SEED);
    assert.deepEqual(again.load.map((c) => c.text), load.map((c) => c.text));
    assert.equal(new Set(load.map((c) => c.text)).size > load.length * 0.8, true, 'cases are mostly distinct');
  });

  it('starts from bases that load, so every error comes from a mutation', async () => {
    for (const [i, text] of validBases(SEED, 24).entries()) {
      const file = path.join(tmp, `base-${i}.gan.ts`);
      fs.writeFileSync(file, text);
      const r = await resolveDefinition(tf, { kind: 'file', path: file, version: 1, text }, 2000);
      assert.ok(r.ok, `base ${i} failed: ${JSON.stringify(!r.ok && r.problems)}\n${text}`);
      assert.deepEqual(r.warnings, [], `base ${i} has warnings`);
    }
  });

  it('rejects every broken file in-process with a positioned message, in bounded time and memory', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const tensorBytesBefore = tf.memory().numBytes;
    collectGarbage();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    const failures: { id: string; what: string; why: string }[] = [];
    const started = performance.now();
    for (const c of load) {
      const { file, texts } = writeCase(tmp, c);
      const r = await loadInProcess(tf, c, file);
      inProcess.set(c.id, r);
      const why = r.ms > CASE_LIMIT_MS ? `took ${Math.round(r.ms)} ms` : verdict(r, texts);
      if (why) failures.push({ id: c.id, what: c.what, why });
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const seconds = (performance.now() - started) / 1000;
    const gc = collectGarbage();
    const after = process.memoryUsage();
    const tensorsAfter = tf.memory().numTensors;
    const tensorBytesAfter = tf.memory().numBytes;
    const failed = new Set(failures.map((f) => f.id));
    figures['inProcess'] = {
      cases: load.length,
      seconds: Math.round(seconds * 10) / 10,
      failures: failures.length,
      byCategory: tally([...inProcess.values()], failed),
      memory: {
        gcExposed: gc,
        heapUsedBeforeMb: mb(before.heapUsed), heapUsedAfterMb: mb(after.heapUsed),
        rssBeforeMb: mb(before.rss), rssAfterMb: mb(after.rss), rssPeakMb: mb(peakRss),
        tensorsBefore, tensorsAfter, tensorKbBefore: Math.round(tensorBytesBefore / 1024), tensorKbAfter: Math.round(tensorBytesAfter / 1024),
      },
      failuresList: failures.slice(0, 60),
    };
    assert.equal(failures.length, 0, report(failures));
    // Tensors: a loss that throws mid-step leaves the tensors tfjs saved for the aborted backward
    // pass (its tape keeps them outside every tidy scope; a finished trainer leaves none). With the tiny dry-run networks that is kilobytes; a bound on the
    // bytes still catches a leak of anything sized like a batch, a grid or a network.
    assert.ok(tensorBytesAfter - tensorBytesBefore < 2 * 2 ** 20, `tensor memory grew by ${Math.round((tensorBytesAfter - tensorBytesBefore) / 1024)} KB (${tensorsAfter - tensorsBefore} tensors)`);
    // The heap is back near where it started (a generous margin without --expose-gc: collection is then lazy).
    assert.ok(after.heapUsed - before.heapUsed < (gc ? 48 : 160) * 2 ** 20, `heap grew from ${mb(before.heapUsed)} to ${mb(after.heapUsed)} MB`);
    assert.ok(peakRss - before.rss < 1024 * 2 ** 20, `RSS peaked ${mb(peakRss - before.rss)} MB above the start`);
  });

  it('ends hanging, exiting, throwing-later and polluting files through gan-lens check within its time limit', async () => {
    const started = performance.now();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
    const written = checkCases.map((c) => ({ c, ...writeCase(tmp, c) }));
    let results: Result[];
    try {
      results = await pool(written, CHECK_CONCURRENCY, ({ c, file }) => check(c, file));
    } finally {
      clearInterval(sampler);
    }
    const failures: { id: string; what: string; why: string }[] = [];
    results.forEach((r, i) => {
      const limit = CHECK_TIMEOUT_MS + 10_000;
      const why = r.ms > limit ? `took ${Math.round(r.ms)} ms` : verdict(r, written[i]!.texts);
      if (why) failures.push({ id: r.c.id, what: r.c.what, why });
    });
    figures['check'] = {
      cases: checkCases.length,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      concurrency: CHECK_CONCURRENCY,
      failures: failures.length,
      byCategory: tally(results, new Set(failures.map((f) => f.id))),
      outcomesOfAny: results.filter((r) => r.c.expect === 'any').map((r) => ({ id: r.c.id, what: r.c.what, outcome: r.outcome, message: r.problems[0]?.message.slice(0, 160) })),
      memory: { rssBeforeMb: mb(rssBefore), rssPeakMb: mb(peakRss), rssAfterMb: mb(process.memoryUsage().rss) },
      failuresList: failures,
    };
    assert.equal(failures.length, 0, report(failures));
  });

  it('gives the same first problem through gan-lens check as in-process (a sample of every category)', async () => {
    // The first two of every category but the top-level loops (their message names the loader's
    // time limit, which differs between this test and the worker), and of the cases whose stack
    // overflows wherever the thread's stack size says.
    const sample = [...new Set(load.map((c) => c.category))].filter((k) => k !== 'topLevelLoop').flatMap((k) => load.filter((c) => c.category === k && !c.overflowAnywhere).slice(0, 2));
    assert.ok(sample.length >= 20, `${sample.length} sampled`);
    const started = performance.now();
    const results = await pool(sample, CHECK_CONCURRENCY, (c) => check(c, path.join(tmp, c.id, `${c.category}.gan.${c.ext}`)));
    const mismatches: string[] = [];
    for (const r of results) {
      const mine = inProcess.get(r.c.id);
      if (!mine) continue;
      const a = r.problems[0];
      const b = mine.problems[0];
      const same = a && b && a.severity === b.severity && a.message === b.message && a.line === b.line && a.column === b.column && a.file === b.file;
      if (!same) mismatches.push(`${r.c.id}: check ${JSON.stringify(a)} vs loader ${JSON.stringify(b)}`);
    }
    figures['parity'] = { cases: sample.length, mismatches: mismatches.length, seconds: Math.round((performance.now() - started) / 100) / 10 };
    assert.deepEqual(mismatches, []);
  });
});
