/**
 * The oracle identity of theory.md §8, measured on the engines: with the optimal critic held fixed
 * on the lattice and each sample's loss the loss's value at that critic interpolated with the
 * cloud-in-cell kernel, the generator loss's parameter gradient is the gradient of its effective
 * objective — minimax of 2·JSD, non-saturating of KL(Q‖P) − 2·JSD, log-ratio of KL(Q‖P),
 * saturating f-GAN KL of KL — while non-saturating against JSD is not.
 *
 * The loss side takes each bin's loss from outputLoss.ts (the closed forms the fused engine
 * trains with) at the optimal critic's raw output, so it shares no formula with the objective
 * side (core/firstVariation.ts); core/oracleCritic.ts is checked against the same values.
 */
import assert from 'node:assert/strict';
import { effectiveFunctional, JSD_FUNCTIONAL } from '../../../src/core/firstVariation';
import { latentQuantiles } from '../../../src/core/generatorDensity';
import { createGrid, targetOnGrid } from '../../../src/core/grid';
import { createLattice2D, type Lattice } from '../../../src/core/lattice';
import { gridBins, gridLattice, latticeBins } from '../../../src/core/latticeBins';
import { oracleBinLosses } from '../../../src/core/oracleCritic';
import { latentQuantileLattice } from '../../../src/core/pushForward2d';
import { cloudInCellLogBins, interpolationGradients } from '../../../src/core/sampleGradients';
import { targetOnLattice2D } from '../../../src/core/targetCells2d';
import { defineGan, losses } from '../../../src/definition/api';
import type { GanDefinition, LossSpec } from '../../../src/definition/types';
import { PRESETS } from '../../../src/definition/presets';
import type { EngineName } from '../../../src/protocol';
import { cosine } from '../../../src/training/alignment';
import { engineNamed } from '../../../src/training/createEngine';
import type { TrainingEngine } from '../../../src/training/engine';
import { createLoss } from '../../../src/training/losses';
import { createOutputLoss } from '../../../src/training/outputLoss';
import { RING } from '../core/affineCases';
import { testBackend } from './helpers';

interface OracleCase {
  readonly label: string;
  readonly spec: LossSpec;
  /** The optimal critic's raw output from l = log P − log Q: the GAN logit is l, the f-GAN KL critic T* = 1 + l is its own output. */
  readonly optimalOutput: (l: number) => number;
}

const CASES: readonly OracleCase[] = [
  { label: 'minimax vs 2·JSD', spec: losses.minimax(), optimalOutput: (l) => l },
  { label: 'non-saturating vs KL(Q‖P) − 2·JSD', spec: losses.nonSaturating(), optimalOutput: (l) => l },
  { label: 'log-ratio vs KL(Q‖P)', spec: losses.logRatio(), optimalOutput: (l) => l },
  { label: 'saturating f-GAN KL vs KL(P‖Q)', spec: losses.fgan('kl', { generator: 'saturating' }), optimalOutput: (l) => 1 + l },
];


/** One snapshot: the generator's points on the latent set, binned on a lattice covering them and the target. */
interface Snapshot {
  readonly lattice: Lattice;
  readonly logP: Float64Array;
  readonly logQ: Float64Array;
  readonly xs: Float32Array;
}

function snapshot(engine: TrainingEngine, z: Float32Array): Snapshot {
  const xs = engine.generate(z);
  const t = engine.target;
  if (t.dataDim === 2) {
    const lattice = createLattice2D(t.target, { side: 64, include: xs });
    return { lattice, logP: latticeBins(targetOnLattice2D(t.target, lattice)), logQ: cloudInCellLogBins(lattice, xs), xs };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  // As the 1-D inspector's grid: 1,024 cells over the target and the points with a margin.
  const grid = createGrid(t.density, { size: 1024, include: { lo: lo - 0.25 * (hi - lo), hi: hi + 0.25 * (hi - lo) } });
  const lattice = gridLattice(grid);
  return { lattice, logP: gridBins(targetOnGrid(t.density, grid)), logQ: cloudInCellLogBins(lattice, xs), xs };
}

/** ∇θ of (1/n) Σ_i v(x_i), v the bin values interpolated by cloud-in-cell. */
function parameterGradient(engine: TrainingEngine, z: Float32Array, s: Snapshot, values: Float64Array): Float32Array {
  return engine.generatorParameterGradient(z, Float32Array.from(interpolationGradients(s.lattice, s.xs, values)));
}

/** cos(∇θ loss, ∇θ objective) for each case, and NS against JSD. */
async function alignments(engine: TrainingEngine, z: Float32Array, what: string): Promise<{ cases: number[]; nsVsJsd: number }> {
  const { tf } = await testBackend();
  const s = snapshot(engine, z);
  const cases: number[] = [];
  let nsLoss: Float32Array | undefined;
  for (const c of CASES) {
    const loss = createLoss(tf, c.spec);
    const output = createOutputLoss(tf, c.spec, loss);
    const one = new Float32Array(1);
    const bin = Float64Array.from(s.logP, (lp, k) => output.generator(Float32Array.of(c.optimalOutput(lp - s.logQ[k]!)), one));
    const divergence = loss.analytic.kind === 'f' ? loss.analytic.divergence : undefined;
    const core = oracleBinLosses(loss.effective, s.lattice, s.logP, s.logQ, divergence)!;
    for (let k = 0; k < bin.length; k++) {
      // Where Q = 0 both are infinite; elsewhere the critic's output went through float32.
      if (Number.isFinite(bin[k]!)) assert.ok(Math.abs(core[k]! - bin[k]!) <= 1e-5 * (1 + Math.abs(bin[k]!)), `${what} ${c.label}: oracle bin ${k} ${core[k]} vs ${bin[k]}`);
      else assert.equal(core[k], bin[k], `${what} ${c.label}: oracle bin ${k}`);
    }
    const objective = effectiveFunctional(loss.effective, divergence)!;
    const g = parameterGradient(engine, z, s, bin);
    cases.push(cosine(g, parameterGradient(engine, z, s, objective.firstVariation(s.lattice, s.logP, s.logQ))));
    if (c.spec.kind === 'gan' && c.spec.variant === 'nonSaturating') nsLoss = g;
  }
  const nsVsJsd = cosine(nsLoss!, parameterGradient(engine, z, s, JSD_FUNCTIONAL.firstVariation(s.lattice, s.logP, s.logQ)));
  return { cases, nsVsJsd };
}

/** Checks the identity at step 0 and after `steps` non-saturating steps; returns NS-vs-JSD at both. */
async function checkRun(def: GanDefinition, z: Float32Array, steps: number, engineName: EngineName = 'fused'): Promise<number[]> {
  const { tf } = await testBackend();
  const engine = engineNamed(tf, def, engineName);
  const nsVsJsd: number[] = [];
  try {
    for (const at of [0, steps]) {
      while (engine.step < at) engine.trainStep();
      const a = await alignments(engine, z, `${def.dataDim}-D step ${at}`);
      a.cases.forEach((cos, i) => assert.ok(cos >= 0.999, `${def.dataDim}-D step ${at}, ${CASES[i]!.label}: cos ${cos.toFixed(6)}`));
      console.log(`      ${def.dataDim}-D, ${engineName}, step ${at}: 1 − cos ${a.cases.map((c) => (1 - c).toExponential(1)).join(', ')}; NS vs JSD ${a.nsVsJsd.toFixed(4)}`);
      nsVsJsd.push(a.nsVsJsd);
    }
  } finally {
    engine.dispose();
  }
  return nsVsJsd;
}

describe('oracle critic: what each generator loss descends', function () {
  this.timeout(300_000);

  // Measured (the non-saturating preset, seed 1, fused): 1 − cos ≤ 1e-11 at steps 0 and 500 (the float32 critic
  // outputs); NS vs JSD 0.801 at step 0 and 0.989 at step 500. Interpolating the logit instead of the loss
  // (theory.md §8's trap) gave cos 0.997–0.99999 against 2·JSD on this run's 1,024 cells: not a discriminating check here.
  it('1-D, two modes, MLP generator: cos ≥ 0.999 against the effective objective; NS vs JSD below 1', async () => {
    const def = PRESETS['non-saturating']!.build();
    const ns = await checkRun(def, Float32Array.from(latentQuantiles(20_000)), 500);
    for (const cos of ns) assert.ok(cos < 0.995, `NS vs JSD ${cos}`);
  });

  // Measured (examples/ring-of-8.gan.ts, 64² cells, 128² latent quantiles): 1 − cos ≤ 1e-13; NS vs JSD 0.617 at step 0, 0.658 at step 300.
  it('2-D, ring of 8, MLP generator: the same', async () => {
    const def = defineGan({
      target: RING, generator: { kind: 'mlp', latentDim: 2, hidden: [64, 64], activation: 'leakyRelu' },
      critic: { hidden: [64, 64], activation: 'leakyRelu' }, optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.5 }, batchSize: 256, seed: 1, loss: losses.nonSaturating(),
    });
    const ns = await checkRun(def, Float32Array.from(latentQuantileLattice(128)), 300);
    for (const cos of ns) assert.ok(cos < 0.995, `NS vs JSD ${cos}`);
  });

  // Measured: largest difference 2.6e-6.
  it('both engines give the same alignments on one snapshot', async () => {
    const def = PRESETS['non-saturating']!.build();
    const z = Float32Array.from(latentQuantiles(20_000));
    const { tf } = await testBackend();
    const results = [];
    for (const name of ['tfjs', 'fused'] as const) {
      const engine = engineNamed(tf, def, name);
      try {
        results.push(await alignments(engine, z, name));
      } finally {
        engine.dispose();
      }
    }
    const [a, b] = results;
    const pairs = [...a!.cases.map((c, i) => [c, b!.cases[i]!]), [a!.nsVsJsd, b!.nsVsJsd]];
    console.log(`      largest difference ${Math.max(...pairs.map(([x, y]) => Math.abs(x! - y!))).toExponential(1)}`);
    for (const [x, y] of pairs) assert.ok(Math.abs(x! - y!) <= 1e-4, `${x} vs ${y}`);
  });
});
