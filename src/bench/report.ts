/** bench/results.json and the docs/benchmarks.md made from it: the docs only ever show measured numbers. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CompareJobs } from './compareJobs';
import type { FrameCostResult } from './frameCost';
import type { PlaneSessionRate } from './sessionFigures';
import type { PanelFrames } from './panelFrames';
import type { WorkbenchHost } from './workbenchHost';
import { LAG_RESOLUTION_MS, type HostLag, type MemoryPoint } from './sessionFigures';
import type { Spread } from './stats';
import { W1_EVERY } from '../training/planeInspector';
import { SNAPSHOT_SHARE } from '../training/snapshotPacing';
import { PANEL_SNAPSHOTS_PER_SECOND, SNAPSHOT_TARGET_MS, type PlaneFrameCost } from './planeFrameCost';
import { latentNodesSummary, type LatentNodesCase } from './latentNodesAccuracy';
import { RING, type EngineThroughput, type Learned, type ThroughputConfig } from './throughput';

export interface PeerResult {
  readonly engine: string;
  /** The BLAS PyTorch multiplied with (absent in results written before it was recorded). */
  readonly blas?: string;
  readonly stepsPerSecond: Spread;
  readonly learned: Learned;
}

export interface BenchResults {
  readonly date: string;
  /** loadAverage: the 1-minute load when the bench started; other processes on the machine slow every figure alike. */
  readonly machine: { readonly cpus: string; readonly cores: number; readonly memoryGiB: number; readonly platform: string; readonly node: string; readonly loadAverage?: number };
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
  /** A 2-D run in the real worker with and without the snapshot thread (absent in older results). */
  readonly planeSession?: readonly PlaneSessionRate[];
  readonly planeFrameCost: PlaneFrameCost;
  /** 2-D q from the latent nodes against G at every point (absent in results older than the nodes). */
  readonly latentNodes?: readonly LatentNodesCase[];
  readonly reloadLatencyMs: Spread;
  readonly memory: readonly MemoryPoint[];
  /** The same for a 2-D run (absent in results written before 2-D). */
  readonly memory2d?: readonly MemoryPoint[];
  readonly hostLag: HostLag;
  /** The same while the large row trains, with the kernel threads it may use (absent in results written before it was measured). */
  readonly hostLagLarge?: HostLag & { readonly threads: number };
  readonly panelFrames: PanelFrames | { readonly absent: string };
  /** The extension host in the real workbench while training at Max (absent from results older than it). */
  readonly workbenchHost?: WorkbenchHost | { readonly absent: string };
  /** `gan-lens compare` with one and two jobs (absent in results written before it was measured). */
  readonly compareJobs?: CompareJobs;
}

export function machine(): BenchResults['machine'] {
  const cpus = os.cpus();
  return { cpus: cpus[0]?.model ?? 'unknown', cores: cpus.length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}`, node: process.version, loadAverage: os.loadavg()[0]! };
}

const f = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** monitorEventLoopDelay's values are tick intervals at the 10 ms resolution the bench uses. */
const lag = (intervalMs: number): string => f(Math.max(0, intervalMs - LAG_RESOLUTION_MS), 1);
const range = (s: Spread, digits = 0): string => `${f(s.median, digits)} (${f(s.min, digits)}–${f(s.max, digits)})`;

/** The fused engine's ratio to PyTorch on a row against a target ratio. */
const metOrMissed = (ok: boolean): string => (ok ? 'met' : 'missed');

function verdict(r: BenchResults, row: ThroughputConfig['name'], target: number): string {
  const ratio = r.throughput.find((t) => t.config.name === row)?.engines.find((e) => e.engine === 'fused')?.ratio;
  if (ratio === undefined) return ': not measured';
  return ratio === null ? ': not judged, PyTorch absent' : `: ${f(ratio, 2)}×, ${metOrMissed(ratio >= target)}`;
}

/** The 2-D run in the real worker: the snapshot thread against snapshots between training steps. */
function planeSessionLines(rows: readonly PlaneSessionRate[] | undefined): string[] {
  if (!rows || rows.length === 0) return [];
  return [
    'The same in the real worker (examples/ring-of-8.gan.ts in a `TrainingSession` at the panel\'s 30 snapshots/s): with the',
    'snapshot thread (`ganLens.snapshotThread`, the default) a copy of the run on a second thread takes the weights at each timed',
    'snapshot and inspects them beside training, using at most half of that core on machines of under four cores (src/training/snapshotPacing.ts); without it',
    'snapshots take turns with training on one thread. With the snapshot thread on fewer than four cores, training keeps its',
    'products on one kernel thread by default; the row with two shows what sharing the second core with the snapshot thread does.',
    ...(rows.some((r) => r.snapshotRate === 1) ? [
      'The rows at one snapshot a second show training nearly alone, for scale: the snapshot thread\'s default kernel threads fix',
      'training\'s speed whatever the panel asks, and without it training has the default two where there are two cores.',
    ] : []),
    '',
    '| snapshot thread | kernel threads | snapshots/s asked | training, steps/s | snapshots/s the host received | of them from the snapshot thread |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.snapshotThread ? 'on' : 'off'} | ${r.kernelThreads ?? 'default'} | ${r.snapshotRate ?? PANEL_SNAPSHOTS_PER_SECOND} | ${f(r.stepsPerSecond)} | ${f(r.snapshotsPerSecond, 1)} | ${f(100 * r.offThreadShare, 0)} % |`),
    '',
  ];
}

function latentNodesSection(cases: readonly LatentNodesCase[]): string[] {
  const worst = latentNodesSummary(cases);
  const pct = (v: number, ref: number): string => `${f((100 * (v - ref)) / ref, 2)} %`;
  return [
    '## 2-D q from the latent nodes',
    '',
    'The 2-D panel evaluates G at the nodes of the 256² latent quantile lattice (every second quantile per axis, 128² of them) and takes',
    'it as bilinear in z between them (docs/theory.md §7). Against q from G at every point of a 1024² lattice (the reference), q from the',
    'nodes and q from G at all 256² points: JSD of the ring run (the 2-D row\'s definition) on the 128² cells a snapshot fits, per generator activation and step.',
    '',
    '| activation | step | reference JSD | nodes | every point |',
    '|---|---|---|---|---|',
    ...cases.map((c) => `| ${c.activation} | ${f(c.step)} | ${f(c.referenceJsd, 4)} | ${pct(c.nodesJsd, c.referenceJsd)} | ${pct(c.everyPointJsd, c.referenceJsd)} |`),
    '',
    `Largest error: ${f(100 * worst.nodes, 2)} % via the nodes, ${f(100 * worst.everyPoint, 2)} % at every point; per case the nodes' error is at most ${f(worst.worstRatio, 2)} times every point's (cases where every point's error exceeds 0.1 %).`,
    '',
  ];
}

function planeSection(c: PlaneFrameCost, session?: readonly PlaneSessionRate[]): string[] {
  const budget = 1000 / PANEL_SNAPSHOTS_PER_SECOND;
  const slowdown = 1 - c.training.withSnapshots / c.training.alone;
  const met = c.snapshotMs.median <= SNAPSHOT_TARGET_MS;
  const two = c.trainingThreadSnapshot && c.trainingThreadSnapshot.threads > 1 ? c.trainingThreadSnapshot.ms.median : undefined;
  // The snapshot thread gets two kernel threads where it has cores of its own (src/training/snapshotPacing.ts): the target is judged on both.
  const target = `target ≤ ${SNAPSHOT_TARGET_MS}: ${metOrMissed(met)} on one kernel thread, the snapshot thread's under four cores${two === undefined ? '' : `; ${metOrMissed(two <= SNAPSHOT_TARGET_MS)} on two, its own from four cores (${f(two, 1)} ms, below)`}`;
  return [
    '## 2-D snapshot cost (ms)',
    '',
    `One snapshot of the ring run (the 2-D row's definition) after ${f(c.trainedSteps)} steps on the ${c.engine} engine, at the default lattice:`,
    `${f(c.latticeSide)}² cells, q from the ${f(c.latentSide)}² latent quantile lattice (G at every second quantile per axis, bilinear between), on one kernel thread as the snapshot thread (the default) computes it.`,
    `First \`RunInspector.snapshot\` end to end, the run training ${f(c.stepsBetween ?? 0)} steps between snapshots as it does live (so W₁'s warm start and the`,
    `lattice's refits do their real work); each figure is the mean over ${f(W1_EVERY)} consecutive snapshots, W₁'s period, so it counts at its real share.`,
    'Then each phase on its own through the public functions the plane inspector calls,',
    'in its order and with its arguments (the inspector has no timing hook). The phases do not add up to the total exactly: the',
    'total also holds the moments, the scatter sample and the density copies, and W₁ runs on one frame in four.',
    '',
    '| what | ms |',
    '|---|---|',
    `| **one 2-D snapshot, end to end** (${target}) | **${range(c.snapshotMs, 1)}** |`,
    ...c.phases.map((p) => `| ${p.phase} | ${range(p.ms, 2)} |`),
    ...(c.trainingThreadSnapshot ? [`| the whole snapshot on the training run's engine with its ${f(c.trainingThreadSnapshot.threads)} kernel thread${c.trainingThreadSnapshot.threads === 1 ? '' : 's'} (snapshot thread off) | ${range(c.trainingThreadSnapshot.ms, 1)} |`] : []),
    `| for scale: the generator on the latent lattice on the tfjs engine | ${f(c.tfjsGeneratorMs, 1)} |`,
    `| for comparison: a snapshot with the ${f(c.smallerLatent.latentSide)}² latent lattice (JSD ${f(c.smallerLatent.jsd, 4)} against ${f(c.smallerLatent.defaultJsd, 4)} at ${f(c.latentSide)}²) | ${f(c.smallerLatent.snapshotMs, 1)} |`,
    '',
    `Training and snapshots share the worker's thread: at ${PANEL_SNAPSHOTS_PER_SECOND} snapshots/s each may take ${f(budget, 1)} ms × ⅓ = ${f(budget / 3, 1)} ms`,
    `for training to keep two thirds of its speed. A costlier snapshot comes less often: the worker never lets timed snapshots take more than ${f(100 * SNAPSHOT_SHARE, 0)} %`,
    `of its time (src/training/snapshotPacing.ts; under a third, as training runs a little slower just after a snapshot), so the panel asks for ${PANEL_SNAPSHOTS_PER_SECOND}/s and gets what that share allows. Measured in the worker\'s schedule, two kernel threads:`,
    '',
    '| training | steps/s |',
    '|---|---|',
    `| alone | ${f(c.training.alone)} |`,
    `| with snapshots (${f(c.training.snapshotsPerSecond, 1)} snapshots/s reached) | ${f(c.training.withSnapshots)} (${f(100 * slowdown, 0)}% slower; target ≤ 33%: ${metOrMissed(slowdown <= 1 / 3)}) |`,
    '',
    ...planeSessionLines(session),
  ];
}

export function markdown(r: BenchResults): string {
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (`gan-lens bench`) from `bench/results.json`; do not edit by hand.',
    `Measured ${r.date} on ${r.machine.cpus}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.platform}, Node ${r.machine.node}${r.machine.loadAverage === undefined ? '' : `; 1-minute load average ${f(r.machine.loadAverage, 1)} when it started (other processes slow every figure alike; the ratios against PyTorch, measured in the same run, less so)`}.`,
    `Backend **${r.backend}**, engine **${r.engine}**; ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    'Figures are medians with the range over repeated runs in parentheses.',
    '',
    '## Training throughput (steps/s; a step is the critic steps + one generator step)',
    '',
    'small, large and ring: non-saturating GAN, one critic step per step, Adam 1e-3 β = (0.5, 0.999), LeakyReLU 0.2, batch sampled fresh every step.',
    'small and large: the 1-D bimodal target (½N(−2, 0.5²) + ½N(2, 0.5²)), MLP 1→h→h→1 for both networks. ring: the 2-D ring of',
    `${RING.modes} Gaussians (radius ${RING.radius}, std ${RING.std}), generator 2→h→h→2 on a 2-D latent, critic 2→h→h→1.`,
    'wgan-gp: examples/wgan-gp.gan.ts as it is, WGAN-GP with the one-sided penalty λ = 10 on the bimodal target, 5 critic steps per',
    'step (each on a fresh batch and fresh interpolates), Adam β = (0.5, 0.9) at 1e-3 (critic) and 3e-4 (generator); the peer takes the',
    'penalty\'s input gradient with torch.autograd.grad(create_graph=True). Each timed run follows a warm-up of 20 steps and at least',
    '0.25 s on both sides (the fused engine\'s second thread starts, code is optimised); the fused engine runs each pass in two halves on two threads.',
    'The peer is the same configuration in PyTorch with one thread, run in the same invocation, with the BLAS it loaded (Debian\'s',
    'python3-torch uses the system\'s libblas.so.3: the reference BLAS, several times slower on the large row, unless OpenBLAS is installed). "Learned" is the JSD after the',
    'learning run of the given number of steps, and whether the modes are held: in 1-D the share of q left of 0 (near 0.5),',
    'in 2-D the modes covered (half a mode\'s weight within 3 std of its mean). The 2-D JSD is on the 128² lattice (q by',
    'cloud-in-cell of G on the 256² latent quantile lattice, p\'s exact cell masses); the peer computes it the same way.',
    `Targets for the fused engine: at least 2× PyTorch on the 2-D row${verdict(r, 'ring', 2)}; at least 2× on WGAN-GP${verdict(r, 'wgan-gp', 2)};`,
    `at least 1× on the large row${verdict(r, 'large', 1)}; at least 4× on the small row${verdict(r, 'small', 4)}.`,
    '',
    '| config | engine | steps/s | learned: steps, JSD / left mass or modes | ÷ PyTorch |',
    '|---|---|---|---|---|',
  ];
  const learned = (l: Learned): string => `${f(l.steps)}, ${f(l.jsd, 3)} / ${'modes' in l ? `${l.modesCovered} of ${l.modes} modes` : f(l.leftModeMass, 2)}`;
  const threads = (n: number): string => `${n} thread${n === 1 ? '' : 's'}`;
  for (const t of r.throughput) {
    const config = t.config.dataDim === 2 ? `${t.config.name} (2-D, h ${t.config.hidden}, batch ${t.config.batch})` : `${t.config.name} (h ${t.config.hidden}, batch ${t.config.batch})`;
    for (const e of t.engines) lines.push(`| ${config} | GAN Lens ${e.engine} (${threads(e.threads ?? 1)}) | ${range(e.stepsPerSecond)} | ${learned(e.learned)} | ${e.ratio === null ? '—' : `${f(e.ratio, 2)}×`} |`);
    lines.push('absent' in t.peer ? `| ${config} | PyTorch | absent: ${t.peer.absent} | — | — |` : `| ${config} | PyTorch (1 thread${t.peer.blas === undefined ? '' : `, ${t.peer.blas}`}) | ${range(t.peer.stepsPerSecond)} | ${learned(t.peer.learned)} | 1× |`);
  }
  lines.push(
    '',
    '## Frame cost, 1-D (ms)',
    '',
    '| what | ms |',
    '|---|---|',
    `| one snapshot on the ${r.frameCost.engine} engine (generator on 20,000 latent quantiles, critic on the 512-point grid, q, every divergence, the estimate) | ${range(r.frameCost.snapshotMs, 2)} |`,
    `| of which the divergence core (push-forward q, all divergences, T*, estimate) | ${f(r.frameCost.coreMs, 2)} |`,
    ...(r.frameCost.alignmentMs !== undefined ? [`| of which the alignment (G, the critic's forces and three generator backward passes on 4,096 latent quantiles) | ${f(r.frameCost.alignmentMs, 2)} |`] : []),
    '',
    ...planeSection(r.planeFrameCost, r.planeSession),
    ...(r.latentNodes ? latentNodesSection(r.latentNodes) : []),
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
    ...(r.hostLagLarge
      ? [`| the same while the large configuration trains at ${f(r.hostLagLarge.stepsPerSecond)} steps/s on up to ${r.hostLagLarge.threads} kernel thread${r.hostLagLarge.threads === 1 ? '' : 's'} (every core busy with ${r.machine.cores}) | < 20 | ${lag(r.hostLagLarge.p50Ms)} / ${lag(r.hostLagLarge.p99Ms)} / ${lag(r.hostLagLarge.maxMs)} |`]
      : []),
    'absent' in r.panelFrames
      ? `| panel frames per second | ≥ 30 | not measured: ${r.panelFrames.absent} |`
      : `| panel frames per second (worst frame ${f(r.panelFrames.worstFrameMs, 1)} ms, ${f(r.panelFrames.historyPoints)} history points) | ≥ 30 | ${f(r.panelFrames.fps, 1)} |`,
    ...('plane' in r.panelFrames && r.panelFrames.plane
      ? [`| 2-D panel frames per second (${f(r.panelFrames.plane.lattice)}² maps, 30 snapshots/s, worst frame ${f(r.panelFrames.plane.worstFrameMs, 1)} ms) | ≥ 30 | ${f(r.panelFrames.plane.fps, 1)} |`]
      : []),
    '',
    ...workbenchSection(r.workbenchHost),
    ...compareSection(r.compareJobs),
    '## Memory over a long run',
    '',
    'Host and worker share one process: RSS covers both (and the wasm heap); the worker heap is its V8 isolate.',
    '',
    '| run | step | process RSS (MiB) | worker heap (MiB) |',
    '|---|---|---|---|',
    ...r.memory.map((m) => `| 1-D non-saturating | ${f(m.step)} | ${f(m.hostRssMiB, 1)} | ${f(m.workerHeapMiB, 1)} |`),
    ...(r.memory2d ?? []).map((m) => `| 2-D ring of 8 | ${f(m.step)} | ${f(m.hostRssMiB, 1)} | ${f(m.workerHeapMiB, 1)} |`),
    '',
  );
  return lines.join('\n');
}

function compareSection(c: CompareJobs | undefined): string[] {
  if (!c) return [];
  const one = c.points.find((p) => p.jobs === 1);
  return [
    '## Comparisons: runs in parallel',
    '',
    `\`gan-lens compare\` of the presets ${c.definitions.join(' and ')} × seeds ${c.seeds.join(', ')} (${c.definitions.length * c.seeds.length} runs of ${f(c.steps)} steps, each in its own`,
    'worker thread), timed from the check of the definitions to the last result, with one run at a time and with two.',
    '',
    '| jobs | seconds | speed-up over 1 job |',
    '|---|---|---|',
    ...c.points.map((p) => `| ${p.jobs} | ${f(p.seconds, 1)} | ${one ? `${f(one.seconds / p.seconds, 2)}×` : '—'} |`),
    '',
  ];
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

/** The extension host in the workbench (test/extension/hostBench.ts), idle and while training at Max. */
function workbenchSection(w: BenchResults['workbenchHost']): string[] {
  const head = [
    '### The extension host in the workbench',
    '',
    'code-server\'s workbench in Chromium with the extension, a `.ts` file open and the panel beside it: the extension host\'s main thread',
    '(its busy share, `performance.eventLoopUtilization`, and its event-loop delay) and the latency of TypeScript\'s hover on the file',
    '(`vscode.executeHoverProvider`, every 250 ms), first idle, then while `examples/non-saturating.gan.ts` trains at Max.',
    '',
  ];
  if (!w) return [...head, 'Not measured yet: the results predate this measurement.', ''];
  if ('absent' in w) return [...head, `Not measured: ${w.absent}.`, ''];
  const row = (name: string, p: WorkbenchHost['idle']): string =>
    `| ${name} | ${f(p.utilization * 100, 1)} % | ${f(p.loopDelayMs.p50, 1)} / ${f(p.loopDelayMs.p99, 1)} / ${f(p.loopDelayMs.max, 1)} | ${f(p.hoverMs.median, 0)} / ${f(p.hoverMs.max, 0)} (${f(p.hoverMs.count)}) | ${f(p.stepsPerSecond)} | ${f(p.snapshotsPerSecond, 1)} |`;
  return [
    ...head,
    '| phase | host main thread busy | loop delay median / p99 / max (ms) | hover median / max (ms) (hovers) | steps/s | snapshots/s |',
    '|---|---|---|---|---|---|',
    row('idle', w.idle),
    row('training at Max', w.training),
    '',
    `The host's own work per snapshot: ${f(w.perSnapshotMs, 2)} ms of its main thread (the busy share's increase over the snapshots per second), on ${f(w.cores)} cores.`,
    '',
  ];
}
