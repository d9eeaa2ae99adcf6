/** The panel's checks of what the host posts (webview/messages.ts): the critic's chance value and 2-D snapshots. */
import assert from 'node:assert/strict';
import { encodeNonFinite, emptyHistory, type DefinitionSummary, type PlaneSnapshot, type Snapshot } from '../../../src/protocol';
import { parseHostMessage } from '../../../webview/messages';

const summary: DefinitionSummary = {
  lossName: 'non-saturating GAN', estimating: 'JSD', divergence: 'jsd', effectiveObjective: 'KL(Q‖P) − 2·JSD', criticOutput: 'discriminator',
  target: 'bimodal', dataDim: 1, generator: 'MLP', critic: 'MLP', structureKey: 's', lossKey: 'l',
};
/** A 'run' message as the host sends it: through JSON, with non-finite numbers encoded. */
const runMessage = (s: unknown): unknown => JSON.parse(JSON.stringify(encodeNonFinite({
  type: 'run', run: { runId: 1, title: 't', version: 1, state: 'running', summary: s }, history: emptyHistory(), markers: [],
})));

describe('webview messages: the critic chance value', () => {
  const warn = console.warn;
  // The parser logs what it drops; the assertions say what was dropped.
  before(() => { console.warn = () => undefined; });
  after(() => { console.warn = warn; });

  it('passes a summary without one or with a well-formed one', () => {
    assert.ok(parseHostMessage(runMessage(summary)));
    const m = parseHostMessage(runMessage({ ...summary, chance: { loss: Math.log(4), label: 'log 4', estimate: 0, lossPerUnit: 2 } }));
    assert.equal(m?.type === 'run' ? m.run.summary?.chance?.label : undefined, 'log 4');
  });

  it("checks a Wasserstein critic's Lipschitz method", () => {
    assert.ok(parseHostMessage(runMessage({ ...summary, criticOutput: 'wasserstein', lipschitz: 'gradientPenalty' })));
    assert.equal(parseHostMessage(runMessage({ ...summary, criticOutput: 'wasserstein', lipschitz: 'penalty' })), undefined);
  });

  it('drops a message whose chance value is malformed', () => {
    for (const chance of [null, 1, { loss: 'x', label: 'a', estimate: 0, lossPerUnit: 1 }, { loss: Infinity, label: 'a', estimate: 0, lossPerUnit: 1 },
      { loss: 0, label: 3, estimate: 0, lossPerUnit: 1 }, { loss: 0, label: '0', estimate: 0, lossPerUnit: 0 }, { loss: 0, label: '0', estimate: NaN, lossPerUnit: 1 }]) {
      assert.equal(parseHostMessage(runMessage({ ...summary, chance })), undefined, JSON.stringify(chance));
    }
  });
});

/** A 2-D snapshot as the worker builds it, on a 4 × 3 lattice with a mixture of 2 modes. */
function planeSnapshot(): Snapshot {
  const cells = 12;
  const lattice = (v: number): Float32Array => new Float32Array(cells).fill(v);
  const plane: PlaneSnapshot = {
    x: { lo: -3, hi: 3, count: 4 }, y: { lo: -2, hi: 2, count: 3 },
    p: lattice(0.05), q: lattice(0.04), critic: lattice(0.5), optimalCritic: lattice(0.55),
    samples: new Float32Array(10), realSamples: new Float32Array(6), forces: new Float32Array(12), exactForces: new Float32Array(6), contribution: lattice(0.01),
    unresolvedMass: 0.25, generatorMean: [0, 0], generatorCov: [1, 0, 1], singular: 'none', singularNote: '',
    modes: { covered: 1, of: 2, massNear: Float32Array.of(0.4, 0.01), weights: Float32Array.of(0.5, 0.5), means: Float32Array.of(-1, 0, 1, 0) },
    wasserstein1: { side: 32, step: 100, coarseningBound: 0.09 },
  };
  const e = new Float32Array(0);
  return {
    runId: 1, version: 1, stepsPerSecond: 400, workerHeapBytes: 1e7, backend: 'wasm', engine: 'fused', qEstimator: '65,536 latent quantiles',
    dataDim: 2, generatorMean: NaN, generatorStd: NaN, x: e, p: e, q: e, critic: e, optimalCritic: e,
    metrics: { step: 100, analytic: 0.2, estimate: 0.1, minibatchEstimate: 0.1, effective: 0.3, criticLoss: 1.2, generatorLoss: 0.8, criticGradNorm: 1, generatorGradNorm: 0.1, jsd: 0.2, kl: NaN, reverseKl: 0.3, wasserstein1: 0.5,
      alignmentDivergence: 0.7, alignmentEffective: 0.99, alignmentUpdate: NaN, alignmentForce: 0.8 },
    plane,
  };
}

/** The snapshot message with `change` applied to a copy of its plane (typed arrays travel as they are; numbers are encoded). */
function planeMessage(change: (plane: Record<string, unknown>) => void = () => undefined): unknown {
  const s = planeSnapshot();
  const plane: Record<string, unknown> = { ...s.plane!, modes: { ...s.plane!.modes! } };
  change(plane);
  return encodeNonFinite({ type: 'snapshot', snapshot: { ...s, plane } });
}

describe('webview messages: 2-D snapshots', () => {
  const warn = console.warn;
  let warnings: string[] = [];
  beforeEach(() => { warnings = []; console.warn = (m: unknown) => { warnings.push(String(m)); }; });
  afterEach(() => { console.warn = warn; });

  it('passes a well-formed 2-D snapshot, with and without the optional maps', () => {
    const m = parseHostMessage(planeMessage());
    assert.equal(m?.type === 'snapshot' ? m.snapshot.plane?.modes?.of : undefined, 2);
    assert.ok(Number.isNaN(m?.type === 'snapshot' ? m.snapshot.metrics.kl : 0), 'an undecided KL arrives as NaN');
    // A Wasserstein critic or a singular pair: no optimum, no contribution; a target without modes.
    assert.ok(parseHostMessage(planeMessage((p) => {
      p['optimalCritic'] = new Float32Array(0);
      p['contribution'] = new Float32Array(0);
      p['forces'] = new Float32Array(0);
      p['exactForces'] = new Float32Array(0);
      p['unresolvedMass'] = 0;
      p['singular'] = 'q-singular';
      p['singularNote'] = 'q is supported on a curve';
      delete p['modes'];
    })));
    assert.deepEqual(warnings, []);
  });

  const modes = (p: Record<string, unknown>, patch: object): void => { p['modes'] = { ...(p['modes'] as object), ...patch }; };
  const broken: [field: string, what: string, change: (p: Record<string, unknown>) => void][] = [
    ['plane.p', '11 cells of p on a 12-cell lattice', (p) => { p['p'] = new Float32Array(11); }],
    ['plane.optimalCritic', 'an optimal critic neither empty nor one per cell', (p) => { p['optimalCritic'] = new Float32Array(5); }],
    ['plane.samples', 'samples of odd length', (p) => { p['samples'] = new Float32Array(3); }],
    ['plane.realSamples', 'real samples of odd length', (p) => { p['realSamples'] = new Float32Array(5); }],
    ['plane.realSamples', 'no real samples', (p) => { delete p['realSamples']; }],
    ['plane.forces', 'forces not a multiple of 4 long', (p) => { p['forces'] = new Float32Array(6); }],
    ['plane.forces', 'forces that are a string', (p) => { p['forces'] = 'none'; }],
    ['plane.exactForces', 'exact forces for 2 of 3 points', (p) => { p['exactForces'] = new Float32Array(4); }],
    ['plane.exactForces', 'no exact forces', (p) => { delete p['exactForces']; }],
    ['plane.contribution', 'a contribution neither empty nor one per cell', (p) => { p['contribution'] = new Float32Array(13); }],
    ['plane.contribution', 'no contribution', (p) => { delete p['contribution']; }],
    ['plane.unresolvedMass', 'an unresolved mass that is a string', (p) => { p['unresolvedMass'] = '0.2'; }],
    ['plane.unresolvedMass', 'an unresolved mass of NaN', (p) => { p['unresolvedMass'] = NaN; }],
    ['plane.unresolvedMass', 'a negative unresolved mass', (p) => { p['unresolvedMass'] = -0.1; }],
    ['plane.unresolvedMass', 'no unresolved mass', (p) => { delete p['unresolvedMass']; }],
    ['plane.modes', 'modes that are an array', (p) => { p['modes'] = [1, 2]; }],
    ['plane.modes.of', 'zero modes', (p) => modes(p, { of: 0 })],
    ['plane.modes.covered', 'more modes covered than there are', (p) => modes(p, { covered: 3 })],
    ['plane.modes.massNear', 'one mass for two modes', (p) => modes(p, { massNear: Float32Array.of(0.4) })],
    ['plane.modes.weights', 'three weights for two modes', (p) => modes(p, { weights: Float32Array.of(0.3, 0.3, 0.4) })],
    ['plane.modes.means', 'one mean for two modes', (p) => modes(p, { means: Float32Array.of(-1, 1) })],
    ['plane.singular', 'an unknown singular case', (p) => { p['singular'] = 'curved'; }],
    ['plane.wasserstein1', 'a W₁ without its bound', (p) => { p['wasserstein1'] = { side: 32, step: 1 }; }],
  ];
  for (const [field, what, change] of broken) {
    it(`drops a 2-D snapshot with ${what}, naming ${field}`, () => {
      assert.equal(parseHostMessage(planeMessage(change)), undefined);
      assert.equal(warnings.length, 1);
      assert.ok(warnings[0]!.includes(field), `the warning names ${field}: ${warnings[0]}`);
    });
  }
});

/** A 1-D snapshot on a 5-point grid with forces at 3 samples and G at 4 latent points, `change` applied to a copy. */
function lineMessage(change: (s: Record<string, unknown>) => void = () => undefined): unknown {
  const grid = (v: number): Float32Array => new Float32Array(5).fill(v);
  const s: Record<string, unknown> = {
    ...planeSnapshot(), dataDim: 1, generatorMean: 0, generatorStd: 1, plane: undefined,
    x: Float32Array.of(-2, -1, 0, 1, 2), p: grid(0.2), q: grid(0.2), critic: grid(0.5), optimalCritic: grid(0.5),
    forces: { x: Float32Array.of(-1, 0, 1), critic: Float32Array.of(0.1, 0, -0.1), exact: Float32Array.of(0.2, 0, -0.2) },
    generatorMap: { z: Float32Array.of(-2, -0.5, 0.5, 2), x: Float32Array.of(-1.9, -0.4, 0.6, 2.1) },
  };
  delete s['plane'];
  change(s);
  return encodeNonFinite({ type: 'snapshot', snapshot: s });
}

describe('webview messages: 1-D snapshots', () => {
  const warn = console.warn;
  let warnings: string[] = [];
  beforeEach(() => { warnings = []; console.warn = (m: unknown) => { warnings.push(String(m)); }; });
  afterEach(() => { console.warn = warn; });

  it('passes a 1-D snapshot with forces and G(z), and one without either', () => {
    const m = parseHostMessage(lineMessage());
    assert.equal(m?.type === 'snapshot' ? m.snapshot.generatorMap?.z.length : undefined, 4);
    assert.ok(parseHostMessage(lineMessage((s) => { delete s['forces']; delete s['generatorMap']; })));
    assert.deepEqual(warnings, []);
  });

  const broken: [field: string, what: string, change: (s: Record<string, unknown>) => void][] = [
    ['snapshot.forces.critic', 'critic forces for 2 of 3 samples', (s) => { s['forces'] = { x: Float32Array.of(-1, 0, 1), critic: Float32Array.of(1, 2), exact: new Float32Array(0) }; }],
    ['snapshot.forces.exact', 'exact forces for 2 of 3 samples', (s) => { s['forces'] = { x: Float32Array.of(-1, 0, 1), critic: Float32Array.of(1, 2, 3), exact: Float32Array.of(1, 2) }; }],
    ['snapshot.generatorMap', 'G(z) with more x than z', (s) => { s['generatorMap'] = { z: Float32Array.of(0, 1), x: Float32Array.of(0, 1, 2) }; }],
    ['snapshot.generatorMap', 'G(z) without x', (s) => { s['generatorMap'] = { z: Float32Array.of(0, 1) }; }],
    ['snapshot.generatorMap.z', 'latent points out of order', (s) => { s['generatorMap'] = { z: Float32Array.of(0, 2, 1), x: Float32Array.of(0, 1, 2) }; }],
    ['snapshot.generatorMap.z', 'a NaN latent point', (s) => { s['generatorMap'] = { z: Float32Array.of(0, NaN, 1), x: Float32Array.of(0, 1, 2) }; }],
  ];
  for (const [field, what, change] of broken) {
    it(`drops a 1-D snapshot with ${what}, naming ${field}`, () => {
      assert.equal(parseHostMessage(lineMessage(change)), undefined);
      assert.equal(warnings.length, 1);
      assert.ok(warnings[0]!.includes(field), `the warning names ${field}: ${warnings[0]}`);
    });
  }
});
