// Synthetic comparisons for the compare panel in the webview harness: three 1-D definitions ×
// three seeds on the two-mode target (one seed failed), and two 2-D definitions × two seeds on
// a ring of 8. `installSyntheticCompare` is serialised into the page with page.evaluate, so it
// must be self-contained. It defines window.__glc with builders for src/compareProtocol.ts's messages.

export function installSyntheticCompare() {
  const rand = (a, b) => {
    const v = Math.sin(a * 12.9898 + b * 78.233) * 43758.5453;
    return v - Math.floor(v);
  };
  const normal = (x, m, s) => Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
  const meanSd = (v) => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return { mean: m, sd: v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0, n: v.length };
  };
  const KEYS = ['step', 'analytic', 'jsd', 'kl', 'reverseKl', 'wasserstein1'];
  const post = (m) => window.postMessage(m, '*');

  // ---- 1-D ----------------------------------------------------------------------------------
  const DEFS = [
    { label: 'examples/non-saturating.gan.ts', loss: 'non-saturating GAN', symbol: 'JSD', rate: 1 / 300, floor: 0.04 },
    { label: 'examples/kl.gan.ts', loss: 'f-GAN KL (saturating)', symbol: 'KL(P‖Q)', rate: 1 / 500, floor: 0.17 },
    { label: 'examples/reverse-kl.gan.ts', loss: 'f-GAN reverse KL (saturating)', symbol: 'KL(Q‖P)', rate: 1 / 200, floor: 0.25 },
  ];
  const SEEDS = [1, 2, 3];
  const STEPS = 3000;
  /** Cell (d, seed) failed at load: the table lists it with its message. */
  const failed = (d, seed) => d === 2 && seed === 3;
  const pointAt = (d, seed, step) => {
    const def = DEFS[d];
    const noise = 0.012 * (rand(step + 7 * seed, d) - 0.5);
    const jsd = def.floor + (Math.LN2 - def.floor) * Math.exp(-step * def.rate * (0.8 + 0.15 * seed)) + noise;
    return { step, analytic: d === 0 ? jsd : 2.5 * jsd, jsd, kl: d === 2 && step > 1200 ? Infinity : 3 * jsd, reverseKl: 1.6 * jsd, wasserstein1: 2.4 * jsd };
  };
  const curveOf = (d, seed, upTo) => {
    const c = Object.fromEntries(KEYS.map((k) => [k, []]));
    // Snapshots fall where each worker's clock put them: the seeds' steps differ.
    const steps = [];
    for (let step = 0; step < upTo; step += 37 + 5 * seed + 3 * d) steps.push(step);
    // A run's last snapshot is at its last step.
    if (upTo >= 0) steps.push(upTo);
    for (const step of steps) {
      const p = pointAt(d, seed, step);
      for (const k of KEYS) c[k].push(p[k]);
    }
    return c;
  };
  const X = Array.from({ length: 256 }, (_, i) => -6 + (12 * i) / 255);
  const P = X.map((x) => 0.5 * normal(x, -2, 0.5) + 0.5 * normal(x, 2, 0.5));
  const qOf = (d, seed) => {
    const shift = 0.08 * (seed - 2);
    if (d === 0) return X.map((x) => 0.52 * normal(x, -1.9 + shift, 0.55) + 0.48 * normal(x, 2.05 + shift, 0.5));
    if (d === 1) return X.map((x) => normal(x, 0.1 + shift, 2.1));
    return X.map((x) => normal(x, (seed === 2 ? -2 : 2) + shift, 0.55));
  };
  const finalOf = (d, seed) => ({ dataDim: 1, x: Float32Array.from(X), p: Float32Array.from(P), q: Float32Array.from(qOf(d, seed)) });

  const rowsOf = (definitions, done) => definitions.map((def, d) => {
    const seeds = SEEDS.filter((s) => done(d, s) && !failed(d, s)).map((seed) => {
      const p = pointAt(d, seed, STEPS);
      return { seed, divergence: p.analytic, jsd: p.jsd, kl: p.kl, reverse_kl: p.reverseKl, wasserstein1: p.wasserstein1, generator: { mean: 0, std: 1 }, stepsPerSecond: 900 + 40 * seed, weightsChecksum: `c0ffee${d}${seed}0000000a` };
    });
    const stat = (k) => (seeds.length ? meanSd(seeds.map((s) => s[k])) : undefined);
    const summary = {};
    for (const k of ['divergence', 'jsd', 'kl', 'reverse_kl', 'wasserstein1', 'stepsPerSecond']) {
      const s = stat(k);
      if (s) summary[k] = s.mean === Infinity ? { ...s, sd: NaN } : s;
    }
    return {
      definition: def.label, loss: def.loss, target: 'mixture 0.5·N(−2, 0.5²) + 0.5·N(2, 0.5²)', divergenceName: def.symbol, seeds,
      failed: SEEDS.filter((s) => failed(d, s)).map((seed) => ({ seed, error: `${def.label}:14:3: error: critic.hidden[1] must be a positive integer, got -3` })), summary,
    };
  });

  /** The replay of the 1-D comparison: finished when `finished`, else in the middle (each definition's seed 1 done, seed 2 running). */
  const replay = (finished) => {
    const cells = [];
    const curves = [];
    const finals = [];
    for (const seed of SEEDS) {
      DEFS.forEach((_, d) => {
        const done = finished || seed === 1;
        const running = !finished && seed === 2;
        const state = failed(d, seed) ? (finished ? 'failed' : 'queued') : done ? 'finished' : running ? 'running' : 'queued';
        const upTo = state === 'finished' ? STEPS : running ? 1400 + 100 * d : -1;
        cells.push({ definition: d, seed, state, step: Math.max(0, upTo), ...(state === 'failed' ? { error: `${DEFS[d].label}:14:3: error: critic.hidden[1] must be a positive integer, got -3` } : {}) });
        curves.push(upTo >= 0 ? curveOf(d, seed, upTo) : Object.fromEntries(KEYS.map((k) => [k, []])));
        finals.push(state === 'finished' ? finalOf(d, seed) : null);
      });
    }
    const done = (d, s) => finished || s === 1;
    return {
      type: 'compare',
      compare: { id: 1, kind: 'runs', title: '3 definitions × 3 seeds', steps: STEPS, seeds: SEEDS, state: finished ? 'finished' : 'running', dataDim: 1, definitions: DEFS.map((d) => d.label) },
      cells, curves, finals, rows: rowsOf(DEFS, done),
    };
  };

  // ---- 2-D ----------------------------------------------------------------------------------
  const SIDE = 64;
  const LO = -3;
  const HI = 3;
  const W = (HI - LO) / SIDE;
  const centre = (i) => LO + (i + 0.5) * W;
  const g2 = (x, y, mx, my, s) => Math.exp(-((x - mx) ** 2 + (y - my) ** 2) / (2 * s * s)) / (2 * Math.PI * s * s);
  const MODES = Array.from({ length: 8 }, (_, k) => [2 * Math.cos((2 * Math.PI * k) / 8), 2 * Math.sin((2 * Math.PI * k) / 8)]);
  const lattice = (f) => {
    const out = new Float32Array(SIDE * SIDE);
    for (let j = 0; j < SIDE; j++) for (let i = 0; i < SIDE; i++) out[i + SIDE * j] = f(centre(i), centre(j));
    return out;
  };
  const P2 = lattice((x, y) => MODES.reduce((a, [mx, my]) => a + g2(x, y, mx, my, 0.2) / 8, 0));
  const planeFinal = (d, seed) => {
    const covered = d === 0 ? MODES.filter((_, k) => k !== seed + 2) : MODES.filter((_, k) => (k + seed) % 3 === 0);
    const q = lattice((x, y) => covered.reduce((a, [mx, my]) => a + g2(x, y, mx, my, 0.25) / covered.length, 0));
    return { dataDim: 2, x: { lo: LO, hi: HI, count: SIDE }, y: { lo: LO, hi: HI, count: SIDE }, p: P2, q, modes: { means: Float32Array.from(MODES.flat()), covered: covered.length, of: 8 } };
  };
  const replay2d = () => {
    const defs = ['examples/ring-of-8.gan.ts', 'scratch/ring-minimax.gan.ts'];
    const cells = [];
    const curves = [];
    const finals = [];
    for (const seed of [1, 2]) {
      defs.forEach((_, d) => {
        cells.push({ definition: d, seed, state: 'finished', step: 2000 });
        curves.push(curveOf(d, seed, 2000));
        finals.push(planeFinal(d, seed));
      });
    }
    const rows = defs.map((label, d) => ({
      definition: label, loss: d === 0 ? 'non-saturating GAN' : 'minimax GAN', target: 'ring of 8 (radius 2, std 0.2)', divergenceName: 'JSD', modes: 8,
      seeds: [1, 2].map((seed) => ({ seed, divergence: 0.2, jsd: 0.2, kl: NaN, reverse_kl: 0.3, wasserstein1: 0.4, modes: planeFinal(d, seed).modes.covered, generator: { mean: [0, 0], cov: [[1, 0], [0, 1]] }, stepsPerSecond: 500, weightsChecksum: 'abcdef0123456789' })),
      failed: [],
      summary: { divergence: meanSd([0.2, 0.21 + d / 10]), jsd: meanSd([0.2, 0.21 + d / 10]), reverse_kl: meanSd([0.3, 0.32]), wasserstein1: meanSd([0.4, 0.41]), modes: meanSd([1, 2].map((s) => planeFinal(d, s).modes.covered)), stepsPerSecond: meanSd([500, 510]) },
    }));
    return {
      type: 'compare',
      compare: { id: 2, kind: 'runs', title: '2 definitions × 2 seeds', steps: 2000, seeds: [1, 2], state: 'finished', dataDim: 2, definitions: defs },
      cells, curves, finals, rows,
    };
  };

  window.__glc = {
    post, replay, replay2d, pointAt, finalOf, rowsOf: () => rowsOf(DEFS, () => true),
    /** Streams points of the running cells (seed 2 of each definition, cells 3–5) up to `to`. */
    async stream(to) {
      for (let step = 1500; step <= to; step += 50) {
        DEFS.forEach((_, d) => post({ type: 'point', id: 1, index: 3 + d, point: pointAt(d, 2, step + 100 * d) }));
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
}
