/** bench/results.json and the docs/benchmarks.md made from it: the docs only ever show measured numbers. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameCostResult } from './frameCost';
import type { PanelFrames } from './panelFrames';
import { LAG_RESOLUTION_MS, type HostLag, type MemoryPoint } from './sessionFigures';
import type { Spread } from './stats';
import type { EngineThroughput, ThroughputConfig } from './throughput';

export interface PeerResult {
  readonly engine: string;
  readonly stepsPerSecond: Spread;
  readonly learned: { readonly steps: number; readonly jsd: number; readonly leftModeMass: number };
}

export interface BenchResults {
  readonly date: string;
  readonly machine: { readonly cpus: string; readonly cores: number; readonly memoryGiB: number; readonly platform: string; readonly node: string };
  readonly backend: string;
  readonly engine: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly throughput: readonly {
    readonly config: ThroughputConfig;
    /** Each engine, with its steps/s over PyTorch's (null without PyTorch). */
    readonly engines: readonly (EngineThroughput & { readonly ratio: number | null })[];
    readonly peer: PeerResult | { readonly absent: string };
  }[];
  readonly frameCost: FrameCostResult;
  readonly reloadLatencyMs: Spread;
  readonly memory: readonly MemoryPoint[];
  readonly hostLag: HostLag;
  readonly panelFrames: PanelFrames | { readonly absent: string };
}

export function machine(): BenchResults['machine'] {
  const cpus = os.cpus();
  return { cpus: cpus[0]?.model ?? 'unknown', cores: cpus.length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}`, node: process.version };
}

const f = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** monitorEventLoopDelay's values are tick intervals at the 10 ms resolution the bench uses. */
const lag = (intervalMs: number): string => f(Math.max(0, intervalMs - LAG_RESOLUTION_MS), 1);
const range = (s: Spread, digits = 0): string => `${f(s.median, digits)} (${f(s.min, digits)}–${f(s.max, digits)})`;

export function markdown(r: BenchResults): string {
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (`gan-lens bench`) from `bench/results.json`; do not edit by hand.',
    `Measured ${r.date} on ${r.machine.cpus}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.platform}, Node ${r.machine.node}.`,
    `Backend **${r.backend}**, engine **${r.engine}**; ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    'Figures are medians with the range over repeated runs in parentheses.',
    '',
    '## Training throughput (steps/s; one critic step + one generator step)',
    '',
    'Non-saturating GAN on the bimodal target, MLP 1→h→h→1 for both networks (LeakyReLU 0.2), Adam 1e-3 β = (0.5, 0.999).',
    'The peer is the same configuration in PyTorch with one thread, run in the same invocation. "Learned" is the JSD and',
    'the share of q left of 0 after the learning run of the given number of steps (both modes held: near 0.5).',
    '',
    '| config | engine | steps/s | learned: steps, JSD / left mass | ÷ PyTorch |',
    '|---|---|---|---|---|',
  ];
  const learned = (l: { steps: number; jsd: number; leftModeMass: number }): string => `${f(l.steps)}, ${f(l.jsd, 3)} / ${f(l.leftModeMass, 2)}`;
  for (const t of r.throughput) {
    const config = `${t.config.name} (h ${t.config.hidden}, batch ${t.config.batch})`;
    for (const e of t.engines) lines.push(`| ${config} | GAN Lens ${e.engine} | ${range(e.stepsPerSecond)} | ${learned(e.learned)} | ${e.ratio === null ? '—' : `${f(e.ratio, 2)}×`} |`);
    lines.push('absent' in t.peer ? `| ${config} | PyTorch | absent: ${t.peer.absent} | — | — |` : `| ${config} | PyTorch (1 thread) | ${range(t.peer.stepsPerSecond)} | ${learned(t.peer.learned)} | 1× |`);
  }
  lines.push(
    '',
    '## Frame cost (ms)',
    '',
    '| what | ms |',
    '|---|---|',
    `| one snapshot on the ${r.frameCost.engine} engine (generator on 20,000 latent quantiles, critic on the 512-point grid, q, every divergence, the estimate) | ${range(r.frameCost.snapshotMs, 2)} |`,
    `| of which the divergence core (push-forward q, all divergences, T*, estimate) | ${f(r.frameCost.coreMs, 2)} |`,
    '',
    '## Reload latency (ms)',
    '',
    'A changed loss definition handed to the running training (bundle, evaluate, validate, dry run, swap) until the new loss is in use.',
    '',
    `| reload of examples/non-saturating.gan.ts with a loss-only edit | ${range(r.reloadLatencyMs, 1)} |`,
    '|---|---|',
    '',
    '## Responsiveness while training at full speed',
    '',
    `Host: the event-loop delay of the thread running the session (the extension host in VS Code) over ${f(r.hostLag.seconds, 0)} s while the worker trains the`,
    `non-saturating preset at ${f(r.hostLag.stepsPerSecond)} steps/s and posts ${f(r.hostLag.snapshotsPerSecond, 1)} snapshots/s; VS Code's own message serialisation is not included.`,
    'Panel: frames per second of the webview (real bundle and CSP, headless Chromium) with a full 2,000-point history and 60 snapshots/s (`test/webview-harness`, scenario perf).',
    '',
    'Node\'s `monitorEventLoopDelay` at 10 ms resolution records the interval between two 10 ms ticks: the lag is that interval minus 10 ms.',
    '',
    '| what | target | measured |',
    '|---|---|---|',
    `| host event-loop lag, median / p99 / max (ms) | < 20 | ${lag(r.hostLag.p50Ms)} / ${lag(r.hostLag.p99Ms)} / ${lag(r.hostLag.maxMs)} |`,
    'absent' in r.panelFrames
      ? `| panel frames per second | ≥ 30 | not measured: ${r.panelFrames.absent} |`
      : `| panel frames per second (worst frame ${f(r.panelFrames.worstFrameMs, 1)} ms, ${f(r.panelFrames.historyPoints)} history points) | ≥ 30 | ${f(r.panelFrames.fps, 1)} |`,
    '',
    '## Memory over a long run',
    '',
    'Host and worker share one process: RSS covers both (and the wasm heap); the worker heap is its V8 isolate.',
    '',
    '| step | process RSS (MiB) | worker heap (MiB) |',
    '|---|---|---|',
    ...r.memory.map((m) => `| ${f(m.step)} | ${f(m.hostRssMiB, 1)} | ${f(m.workerHeapMiB, 1)} |`),
    '',
  );
  return lines.join('\n');
}

export function writeResults(root: string, r: BenchResults): { json: string; doc: string } {
  const json = path.join(root, 'bench', 'results.json');
  fs.mkdirSync(path.dirname(json), { recursive: true });
  fs.writeFileSync(json, JSON.stringify(r, null, 2) + '\n');
  return { json, doc: writeReport(root, r) };
}

/** docs/benchmarks.md from results; also on its own, after a change to the report's wording. */
export function writeReport(root: string, r: BenchResults): string {
  const doc = path.join(root, 'docs', 'benchmarks.md');
  fs.writeFileSync(doc, markdown(r));
  return doc;
}
