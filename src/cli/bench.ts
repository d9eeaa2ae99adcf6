/**
 * `gan-lens bench`: throughput against PyTorch (same invocation), frame cost, reload latency
 * and memory; writes bench/results.json and regenerates docs/benchmarks.md. It only reports:
 * no figure here is an assertion.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { SingleBar } from 'cli-progress';
import { measureCompareJobs } from '../bench/compareJobs';
import { measureFrames } from '../bench/frameCost';
import { machine, writeReport, writeResults, type BenchResults, type PeerResult } from '../bench/report';
import * as os from 'node:os';
import { measurePanelFrames } from '../bench/panelFrames';
import { measureHostLag, measureMemory, measurePlaneSession, measureReloadLatency, type HostLag } from '../bench/sessionFigures';
import { measurePlaneFrames, PANEL_SNAPSHOTS_PER_SECOND, planeFrameLine } from '../bench/planeFrameCost';
import { latentNodesSummary, measureLatentNodes } from '../bench/latentNodesAccuracy';
import { measureWorkbenchHost } from '../bench/workbenchHost';
import { CONFIGS, configMismatch, measureThroughput, THROUGHPUT_EXAMPLES, throughputDefinition, throughputDefinitionText, type Learned, type ThroughputConfig } from '../bench/throughput';
import type { GanDefinition } from '../definition/types';
import type { Tf } from '../training/backend';
import { resolveDefinition } from '../training/definitionSource';
import type { EngineName } from '../protocol';
import { describeThrown } from '../errors';
import { defaultWasmDir, loadBackend } from '../training/backend';
import { defaultThreads, kernelVariant } from '../training/fused/kernel';

const run = promisify(execFile);

/** Steps of the 2-D learning run, and of the ring run whose snapshots are timed: long enough for the ring to form. */
const RING_LEARN_STEPS = 5000;

function learnedLine(l: Learned): string {
  return `JSD ${l.jsd.toFixed(3)}, ${'modes' in l ? `${l.modesCovered}/${l.modes} modes covered` : `left mass ${l.leftModeMass.toFixed(2)}`}`;
}

export interface BenchOptions {
  readonly quick: boolean;
}

/** Steps of the WGAN-GP learning run: examples/wgan-gp.gan.ts claims W₁ below 0.35 by step 600. */
const WGAN_GP_LEARN_STEPS = 600;

/** Steps timed per repeat, and steps of the learning check: the tfjs engine's large and WGAN-GP runs are slow. */
function stepsFor(engine: EngineName, c: ThroughputConfig, quick: boolean): { steps: number; learnSteps: number } {
  if (quick) return { steps: c.name === 'large' || c.name === 'wgan-gp' ? 20 : 100, learnSteps: 300 };
  if (engine === 'tfjs' && c.name === 'large') return { steps: 100, learnSteps: 500 };
  if (c.name === 'ring') return { steps: engine === 'tfjs' ? 500 : 2000, learnSteps: RING_LEARN_STEPS };
  if (c.name === 'wgan-gp') return { steps: engine === 'tfjs' ? 100 : 1000, learnSteps: WGAN_GP_LEARN_STEPS };
  return { steps: c.name === 'small' ? 2000 : 200, learnSteps: 3000 };
}

/** A row's definition: its example file's, checked against the row, or the non-saturating one built for it. */
async function rowDefinition(tf: Tf, c: ThroughputConfig): Promise<GanDefinition> {
  const example = THROUGHPUT_EXAMPLES[c.loss ?? 'ns'];
  if (example === undefined) return throughputDefinition(c, 1);
  const file = path.join(root, 'examples', example);
  const resolved = await resolveDefinition(tf, { kind: 'file', path: file, version: 1, text: fs.readFileSync(file, 'utf8') });
  if (!resolved.ok) throw new Error(`examples/${example} does not load: ${resolved.problems.map((p) => p.message).join('; ')}`);
  const mismatch = configMismatch(c, resolved.definition);
  if (mismatch !== undefined) throw new Error(`examples/${example}: ${mismatch}`);
  return resolved.definition;
}

/** The repository (or installed package) root: dist/cli.js lives one level below it. */
const root = path.resolve(__dirname, '..');

async function peer(c: ThroughputConfig, steps: number, repeats: number, learnSteps: number): Promise<PeerResult | { absent: string }> {
  const python = process.env['GAN_LENS_PYTHON'] ?? '/usr/bin/python3';
  const script = path.join(root, 'bench', 'peer_torch.py');
  try {
    const args = ['--data-dim', String(c.dataDim), '--hidden', String(c.hidden), '--batch', String(c.batch), '--steps', String(steps), '--repeats', String(repeats), '--learn-steps', String(learnSteps), '--loss', c.loss ?? 'ns'];
    const { stdout } = await run(python, [script, ...args], { timeout: 30 * 60_000, maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as PeerResult;
  } catch (e) {
    const message = describeThrown(e);
    return { absent: /No module named 'torch'/.test(message) ? `PyTorch is not installed for ${python} (Debian: apt-get install python3-torch)` : `the peer failed: ${message.split('\n')[0]}` };
  }
}

function version(pkg: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'bundled';
  }
}

export async function runBenchCommand(opts: BenchOptions): Promise<number> {
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const started = machine();
  const { tf, backend } = await loadBackend('auto', defaultWasmDir());
  const kernel = kernelVariant();
  log(`backend: ${backend}; engines: fused (WebAssembly ${kernel}) and tfjs`);
  const repeats = opts.quick ? 1 : 3;
  const throughput: BenchResults['throughput'][number][] = [];
  for (const c of CONFIGS) {
    const definition = await rowDefinition(tf, c);
    const engines = (['fused', 'tfjs'] as const).map((engine) => {
      const { steps, learnSteps } = stepsFor(engine, c, opts.quick);
      log(`throughput ${c.name}: ${engine} engine (${repeats} × ${steps} steps, then ${learnSteps} to check it learns)…`);
      const ours = measureThroughput(tf, engine, definition, { steps, repeats, learnSteps });
      log(`  ${ours.stepsPerSecond.median.toFixed(1)} steps/s; ${learnedLine(ours.learned)}`);
      return ours;
    });
    const { steps, learnSteps } = stepsFor('fused', c, opts.quick);
    log(`throughput ${c.name}: PyTorch peer…`);
    const theirs = await peer(c, steps, repeats, learnSteps);
    log('absent' in theirs ? `  absent: ${theirs.absent}` : `  ${theirs.stepsPerSecond.median.toFixed(1)} steps/s (${theirs.blas ?? 'BLAS not reported'}); ${learnedLine(theirs.learned)}`);
    if (!('absent' in theirs) && theirs.blas === 'reference BLAS') log('  note: PyTorch runs on the reference BLAS here; with OpenBLAS (Debian: apt-get install libopenblas0) it is a fairer peer');
    throughput.push({
      config: c,
      engines: engines.map((e) => ({ ...e, ratio: 'absent' in theirs ? null : e.stepsPerSecond.median / theirs.stepsPerSecond.median })),
      peer: theirs,
    });
  }
  log('frame cost…');
  const frameCost = measureFrames(tf, opts.quick ? 20 : 200);
  log(`  snapshot ${frameCost.snapshotMs.median.toFixed(2)} ms (${frameCost.engine} engine), core ${frameCost.coreMs.toFixed(2)} ms`);
  log(`2-D snapshot cost (ring, ${RING_LEARN_STEPS} steps trained, 128² lattice, 256² latent lattice)…`);
  const planeFrameCost = measurePlaneFrames(tf, opts.quick ? 10 : 60, opts.quick ? 300 : RING_LEARN_STEPS);
  log(`  ${planeFrameLine(planeFrameCost)}`);
  log('2-D q from the latent nodes against G at every point (four activations)…');
  const latentNodes = measureLatentNodes(tf, throughputDefinition(CONFIGS.find((c) => c.name === 'ring')!, 1), opts.quick ? [0, 300] : [0, 300, 1000, 3000, 6000]);
  const nodesSummary = latentNodesSummary(latentNodes);
  log(`  JSD within ${(100 * nodesSummary.nodes).toFixed(2)} % of the reference via the nodes, ${(100 * nodesSummary.everyPoint).toFixed(2)} % at every point`);
  const ring = path.join(root, 'examples', 'ring-of-8.gan.ts');
  const planeSession = [];
  // The last two: training with a snapshot a second, for scale, at the snapshot thread's kernel threads and at its own default.
  for (const [thread, kernelThreads, rate] of [[true, undefined, PANEL_SNAPSHOTS_PER_SECOND], [true, 2, PANEL_SNAPSHOTS_PER_SECOND], [false, undefined, PANEL_SNAPSHOTS_PER_SECOND], [true, undefined, 1], [false, undefined, 1]] as const) {
    const r = await measurePlaneSession(ring, opts.quick ? 3 : 15, thread, kernelThreads, rate);
    log(`  2-D run in the worker at ${rate} snapshots/s, snapshot thread ${thread ? 'on' : 'off'}${kernelThreads ? `, ${kernelThreads} kernel threads` : ''}: ${r.stepsPerSecond.toFixed(0)} steps/s, ${r.snapshotsPerSecond.toFixed(1)} snapshots/s`);
    planeSession.push(r);
  }
  log('reload latency…');
  const reloadLatencyMs = await measureReloadLatency(path.join(root, 'examples', 'non-saturating.gan.ts'), opts.quick ? 3 : 10);
  log(`  ${reloadLatencyMs.median.toFixed(1)} ms`);
  log('host event-loop lag while training…');
  const lagLine = (l: HostLag): string => `  p50 ${l.p50Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms, max ${l.maxMs.toFixed(1)} ms at ${l.stepsPerSecond.toFixed(0)} steps/s`;
  const hostLag = await measureHostLag(opts.quick ? 3 : 15);
  log(lagLine(hostLag));
  // The large row in a session: its products run on two threads where there are two cores.
  const large = CONFIGS.find((c) => c.name === 'large')!;
  const threads = defaultThreads();
  log(`host event-loop lag while training the large configuration (${threads} kernel thread${threads === 1 ? '' : 's'})…`);
  const largeFile = path.join(os.tmpdir(), `gan-lens-bench-large-${process.pid}.gan.ts`);
  const hostLagLarge = { ...(await measureHostLag(opts.quick ? 3 : 15, { kind: 'file', path: largeFile, version: 1, text: throughputDefinitionText(large, 1) })), threads };
  log(lagLine(hostLagLarge));
  log('panel frame rate (webview harness in Chromium)…');
  const panelFrames = await measurePanelFrames(root);
  log('absent' in panelFrames ? `  absent: ${panelFrames.absent}` : `  ${panelFrames.fps.toFixed(1)} frames/s, worst frame ${panelFrames.worstFrameMs.toFixed(1)} ms`);
  log('extension host in the workbench while training at Max (code-server in Chromium)…');
  const workbenchHost = await measureWorkbenchHost(root);
  log('absent' in workbenchHost ? `  absent: ${workbenchHost.absent}` : `  host busy ${(workbenchHost.training.utilization * 100).toFixed(1)} % (idle ${(workbenchHost.idle.utilization * 100).toFixed(1)} %), hover median ${workbenchHost.training.hoverMs.median.toFixed(0)} ms (idle ${workbenchHost.idle.hoverMs.median.toFixed(0)} ms)`);
  log('compare: the same 4 runs with --jobs 1 and --jobs 2…');
  const compareJobs = await measureCompareJobs(opts.quick ? 300 : 3000, [1, 2]);
  log(`  ${compareJobs.points.map((p) => `${p.jobs} job${p.jobs > 1 ? 's' : ''} ${p.seconds.toFixed(1)} s`).join(', ')}`);
  const checkpoints = opts.quick ? [500, 1000] : [10_000, 200_000];
  log(`memory at steps ${checkpoints.join(', ')}…`);
  const bar = new SingleBar({ format: 'memory run {bar} {value}/{total} steps', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 10_000 });
  bar.start(Math.max(...checkpoints), 0);
  const memory = await measureMemory(checkpoints, (step) => bar.update(step));
  bar.stop();
  // 2-D: the ring of 8, whose snapshots allocate lattice-sized maps each time, to 10⁶ steps (#13; about ten minutes).
  const checkpoints2d = opts.quick ? [200, 400] : [10_000, 100_000, 1_000_000];
  log(`2-D memory (ring of 8) at steps ${checkpoints2d.join(', ')}…`);
  bar.start(Math.max(...checkpoints2d), 0);
  const memory2d = await measureMemory(checkpoints2d, (step) => bar.update(step), { kind: 'file', path: path.join(root, 'examples', 'ring-of-8.gan.ts'), version: 1 });
  bar.stop();
  const results: BenchResults = {
    date: new Date().toISOString().slice(0, 10),
    machine: started,
    backend,
    engine: `fused (WebAssembly ${kernel}) where its kernel loads, else tfjs`,
    versions: { '@tensorflow/tfjs-core': version('@tensorflow/tfjs-core'), '@tensorflow/tfjs-backend-wasm': version('@tensorflow/tfjs-backend-wasm') },
    throughput,
    frameCost,
    planeFrameCost,
    latentNodes,
    planeSession,
    reloadLatencyMs,
    memory,
    memory2d,
    hostLag,
    hostLagLarge,
    panelFrames,
    workbenchHost,
    compareJobs,
  };
  const written = writeResults(root, results);
  log(`wrote ${path.relative(process.cwd(), written.json)} and ${path.relative(process.cwd(), written.doc)}`);
  return 0;
}

/** docs/benchmarks.md from the last measured bench/results.json, after a change to the report's wording. */
export function rewriteBenchReport(): number {
  const results = JSON.parse(fs.readFileSync(path.join(root, 'bench', 'results.json'), 'utf8')) as BenchResults;
  writeReport(root, results);
  process.stderr.write('wrote docs/benchmarks.md from bench/results.json\n');
  return 0;
}
