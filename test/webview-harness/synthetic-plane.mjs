// Synthetic 2-D run for the webview harness: a non-saturating GAN on a ring of 8 Gaussians
// (radius 2, std 0.2) on a 128² lattice over [−3, 3]², whose generator finds 6 of the 8 modes.
// `installSyntheticPlane` is serialised into the page with page.evaluate, so it must be
// self-contained (no imports, no closure over module scope). It defines window.__gl2 with
// builders for 'run' and 'snapshot' messages shaped like the worker's (src/protocol.ts).

export function installSyntheticPlane() {
  const SIDE = 128;
  const LO = -3;
  const HI = 3;
  const W = (HI - LO) / SIDE;
  const AREA = W * W;
  const CELLS = SIDE * SIDE;
  const MODES = 8;
  const RADIUS = 2;
  const STD = 0.2;
  const COVERED = [0, 1, 2, 3, 5, 6];
  const means = Array.from({ length: MODES }, (_, k) => [RADIUS * Math.cos((2 * Math.PI * k) / MODES), RADIUS * Math.sin((2 * Math.PI * k) / MODES)]);
  const centre = (i) => LO + (i + 0.5) * W;
  const gauss2 = (x, y, mx, my, s) => Math.exp(-((x - mx) ** 2 + (y - my) ** 2) / (2 * s * s)) / (2 * Math.PI * s * s);
  const rand = (seed, k) => {
    const v = Math.sin(seed * 12.9898 + k * 78.233) * 43758.5453;
    return v - Math.floor(v);
  };
  const normal = (seed, k) => Math.sqrt(-2 * Math.log(rand(seed, k) + 1e-12)) * Math.cos(2 * Math.PI * rand(seed, k + 0.5));

  const pDensity = new Float64Array(CELLS);
  for (let j = 0; j < SIDE; j++) {
    for (let i = 0; i < SIDE; i++) {
      let d = 0;
      for (const [mx, my] of means) d += gauss2(centre(i), centre(j), mx, my, STD) / MODES;
      pDensity[i + SIDE * j] = d;
    }
  }

  /** The generator at `step`: a blob at the origin that splits towards 6 of the 8 modes. */
  const generatorAt = (step, variant) => {
    const a = 1 - Math.exp(-step / 700);
    const s = 0.2 + 0.35 * Math.exp(-step / 700);
    const pull = 0.35 + 0.65 * a;
    const components = [{ w: 1 - 0.94 * a, mx: 0, my: 0, s: 0.7 }];
    for (const k of COVERED) {
      const wobble = 0.04 * Math.sin(step / 90 + k);
      components.push({ w: (0.94 * a) / COVERED.length, mx: means[k][0] * pull + wobble, my: means[k][1] * pull - wobble, s });
    }
    if (variant === 'singular') {
      // A 1-D latent: the generator's points lie on a circle of radius 2·pull.
      return { components, curve: RADIUS * pull };
    }
    return { components };
  };

  const qOf = (gen) => {
    const q = new Float64Array(CELLS);
    for (let j = 0; j < SIDE; j++) {
      for (let i = 0; i < SIDE; i++) {
        let d = 0;
        if (gen.curve) {
          // Mass on a circle: per unit area, only the cells the curve crosses.
          const r = Math.hypot(centre(i), centre(j));
          d = Math.abs(r - gen.curve) < W / 2 ? 1 / (2 * Math.PI * gen.curve * W) : 0;
        } else {
          for (const c of gen.components) d += c.w * gauss2(centre(i), centre(j), c.mx, c.my, c.s);
        }
        q[i + SIDE * j] = d;
      }
    }
    // A push-forward of 65,536 latent points leaves cells that hold less than about half a point with no q at all.
    const floor = 0.5 / 65536 / AREA;
    if (!gen.curve) for (let c = 0; c < CELLS; c++) if (q[c] < floor) q[c] = 0;
    return q;
  };

  const xlogy = (a, b) => (a > 0 ? a * Math.log(a / b) : 0);
  const divergences = (q) => {
    let jsd = 0, kl = 0, reverseKl = 0, unresolved = 0;
    const contribution = new Float32Array(CELLS);
    for (let c = 0; c < CELLS; c++) {
      const p = pDensity[c];
      const m = 0.5 * (p + q[c]);
      const term = m > 0 ? 0.5 * xlogy(p, m) + 0.5 * xlogy(q[c], m) : 0;
      contribution[c] = term;
      jsd += term * AREA;
      if (q[c] === 0) unresolved += p * AREA;
      else kl += xlogy(p, q[c]) * AREA;
      reverseKl += q[c] > 0 ? xlogy(q[c], p + 1e-300) * AREA : 0;
    }
    return { jsd, kl: unresolved > 0 ? NaN : kl, reverseKl, unresolved, contribution };
  };

  const metricsAt = (step, d) => {
    const lag = 0.06 + 0.2 * d.jsd + 0.01 * normal(step, 3);
    const estimate = Math.max(0.002, d.jsd - lag);
    return {
      step, analytic: d.jsd, estimate, minibatchEstimate: estimate + 0.04 * normal(step, 5),
      effective: d.reverseKl - 2 * d.jsd, criticLoss: Math.log(4) - 2 * estimate + 0.03 * normal(step, 7),
      generatorLoss: Math.log(2) + 1.1 * d.jsd + 0.04 * normal(step, 9),
      criticGradNorm: 0.3 + 1.2 * Math.exp(-step / 400) + 0.1 * Math.abs(normal(step, 11)),
      generatorGradNorm: 0.03 + 0.5 * d.jsd * (1 + 0.3 * normal(step, 13)) ** 2,
      jsd: d.jsd, kl: d.kl, reverseKl: d.reverseKl, wasserstein1: 0.35 + 1.4 * Math.exp(-step / 700),
      // What the generator descends (alignment): the critic's forces improve as it trains; parameter-space cosines stay high.
      alignmentDivergence: Math.min(1, 0.72 + 0.2 * Math.exp(-step / 900) + 0.03 * normal(step, 23)),
      alignmentEffective: Math.min(1, 0.96 + 0.02 * normal(step, 25)),
      alignmentUpdate: Math.max(-1, Math.min(1, 0.45 + 0.15 * normal(step, 27))),
      alignmentForce: Math.min(1, 0.85 - 0.65 * Math.exp(-step / 600) + 0.04 * normal(step, 29)),
    };
  };

  const KEYS = ['step', 'analytic', 'estimate', 'minibatchEstimate', 'effective', 'criticLoss', 'generatorLoss',
    'criticGradNorm', 'generatorGradNorm', 'jsd', 'kl', 'reverseKl', 'wasserstein1',
    'alignmentDivergence', 'alignmentEffective', 'alignmentUpdate', 'alignmentForce'];

  const summaries = {
    null: {
      lossName: 'Non-saturating GAN', estimating: 'JSD = (V + log 4)/2 (original GAN discriminator)', divergence: 'jsd',
      effectiveObjective: 'KL(Q‖P) − 2·JSD(P‖Q)', criticOutput: 'discriminator',
      target: 'ring of 8 Gaussians (radius 2, std 0.2)', dataDim: 2, generator: 'MLP 2→64→64→2 (leakyRelu)', critic: 'MLP 2→64→64→1 (leakyRelu)',
      structureKey: 'ring', lossKey: 'nonSaturating',
    },
  };
  summaries.wgan = { ...summaries.null, lossName: 'WGAN-GP', estimating: 'W₁ (critic gap E_P[f] − E_Q[f])', divergence: 'wasserstein1', effectiveObjective: 'W₁(P, Q)', criticOutput: 'wasserstein', lossKey: 'wgan' };
  summaries.singular = { ...summaries.null, generator: 'MLP 1→64→64→2 (leakyRelu), latentDim 1' };

  let variant = null;
  const RUN_ID = 11;
  const runInfo = (state = 'running') => ({
    runId: RUN_ID, title: 'ring.gan.ts', file: 'examples/ring.gan.ts', version: 2, summary: summaries[variant], backend: 'wasm', engine: 'fused', state,
  });

  /** Points drawn from a mixture of {w, mx, my, s} (or on the curve), deterministically per step. */
  const sampleFrom = (components, n, seed, curve) => {
    const out = new Float32Array(2 * n);
    const total = components.reduce((t, c) => t + c.w, 0);
    for (let k = 0; k < n; k++) {
      if (curve) {
        const phi = 2 * Math.PI * rand(seed, k);
        out[2 * k] = curve * Math.cos(phi);
        out[2 * k + 1] = curve * Math.sin(phi);
        continue;
      }
      let u = rand(seed, k) * total;
      let c = components[0];
      for (const cc of components) { c = cc; u -= cc.w; if (u <= 0) break; }
      out[2 * k] = c.mx + c.s * normal(seed, k + 0.25);
      out[2 * k + 1] = c.my + c.s * normal(seed, k + 0.75);
    }
    return out;
  };
  const realSamples = sampleFrom(means.map(([mx, my]) => ({ w: 1, mx, my, s: STD })), 512, 4242);

  const snapshot = (step) => {
    const gen = generatorAt(step, variant);
    const q = qOf(gen);
    const d = divergences(q);
    const p32 = Float32Array.from(pDensity);
    const q32 = Float32Array.from(q);
    const logit = (x, y) => {
      let p = 0, qq = 0;
      for (const [mx, my] of means) p += gauss2(x, y, mx, my, STD) / MODES;
      for (const c of gen.components) qq += c.w * gauss2(x, y, c.mx, c.my, c.s);
      return 0.7 * Math.max(-6, Math.min(6, Math.log(p + 1e-300) - Math.log(qq + 1e-300))) + 0.3 * Math.sin(1.5 * x + 0.7 * y + step / 50);
    };
    const critic = new Float32Array(CELLS);
    for (let j = 0; j < SIDE; j++) for (let i = 0; i < SIDE; i++) critic[i + SIDE * j] = 1 / (1 + Math.exp(-logit(centre(i), centre(j))));
    let criticOut = critic;
    if (variant === 'wgan') criticOut = critic.map((v) => 0.02 * Math.log(v / (1 - v)));
    const optimal = variant === 'wgan' || variant === 'singular' ? new Float32Array(0) : p32.map((v, c) => v / (v + q32[c]));
    const samples = sampleFrom(gen.components, 1024, step, gen.curve);
    const forces = new Float32Array(4 * 256);
    // The exact force of the JSD, −∂ₓφ with φ = ½(log 2 − softplus(l)), l = log p − log q without the critic's wobble.
    const exactForces = new Float32Array(2 * 256);
    const trueLogit = (x, y) => {
      let p = 0, qq = 0;
      for (const [mx, my] of means) p += gauss2(x, y, mx, my, STD) / MODES;
      for (const c of gen.components) qq += c.w * gauss2(x, y, c.mx, c.my, c.s);
      return Math.max(-30, Math.min(30, Math.log(p + 1e-300) - Math.log(qq + 1e-300)));
    };
    for (let k = 0; k < 256; k++) {
      const x = samples[2 * k], y = samples[2 * k + 1];
      const h = 1e-3;
      const s = 1 / (1 + Math.exp(-trueLogit(x, y)));
      exactForces.set([0.5 * s * (trueLogit(x + h, y) - trueLogit(x - h, y)) / (2 * h), 0.5 * s * (trueLogit(x, y + h) - trueLogit(x, y - h)) / (2 * h)], 2 * k);
    }
    for (let k = 0; k < 256; k++) {
      const x = samples[2 * k], y = samples[2 * k + 1];
      const h = 1e-3;
      const dl = [(logit(x + h, y) - logit(x - h, y)) / (2 * h), (logit(x, y + h) - logit(x, y - h)) / (2 * h)];
      // −∂ₓ(−log D) = (1 − D)·∇ₓ logit D.
      const D = 1 / (1 + Math.exp(-logit(x, y)));
      forces.set([x, y, (1 - D) * dl[0], (1 - D) * dl[1]], 4 * k);
    }
    const massNear = Float32Array.from(means, ([mx, my]) => {
      let m = 0;
      for (let j = 0; j < SIDE; j++) for (let i = 0; i < SIDE; i++) if (Math.hypot(centre(i) - mx, centre(j) - my) <= 3 * STD) m += q[i + SIDE * j] * AREA;
      return m;
    });
    const covered = massNear.filter((m) => m >= 0.5 / MODES).length;
    const singular = variant === 'singular' ? 'q-singular' : 'none';
    const metrics = metricsAt(step, d);
    if (variant === 'wgan') Object.assign(metrics, { analytic: metrics.wasserstein1, estimate: 0.9 * metrics.wasserstein1, minibatchEstimate: 0.9 * metrics.wasserstein1 + 0.02 * normal(step, 17), effective: metrics.wasserstein1 });
    if (variant === 'singular') Object.assign(metrics, { analytic: Math.log(2), jsd: Math.log(2), kl: Infinity, reverseKl: Infinity });
    return {
      runId: RUN_ID, version: 2, metrics, stepsPerSecond: 410 + 20 * normal(step, 21), workerHeapBytes: 48e6,
      backend: 'wasm', engine: 'fused',
      qEstimator: variant === 'singular' ? '65,536 points on a curve (latentDim 1): Q is singular, these masses are not a density' : 'push-forward of 65,536 latent quantiles (256² lattice, G evaluated at 128² of them and bilinear between), cloud-in-cell',
      dataDim: 2, generatorMean: NaN, generatorStd: NaN,
      x: new Float32Array(0), p: new Float32Array(0), q: new Float32Array(0), critic: new Float32Array(0), optimalCritic: new Float32Array(0),
      plane: {
        x: { lo: LO, hi: HI, count: SIDE }, y: { lo: LO, hi: HI, count: SIDE },
        p: p32, q: q32, critic: criticOut, optimalCritic: optimal,
        samples, realSamples, forces, exactForces: variant === 'wgan' || variant === 'singular' ? new Float32Array(0) : exactForces,
        contribution: variant === 'wgan' || variant === 'singular' ? new Float32Array(0) : d.contribution,
        unresolvedMass: variant === 'singular' ? 0 : d.unresolved,
        generatorMean: [0, 0], generatorCov: [1.6, 0, 1.6],
        singular, singularNote: singular === 'none' ? '' : 'q is supported on a curve: P and Q are mutually singular (exact values, not binned)',
        modes: { covered, of: MODES, massNear, weights: new Float32Array(MODES).fill(1 / MODES), means: Float32Array.from(means.flat()) },
        wasserstein1: { side: 32, step: step - (step % 40), coarseningBound: 0.094 },
      },
    };
  };

  /** The host's replay: the run with ~60 snapshots of history, then its latest snapshot. */
  const replay = (lastStep, points = 61) => {
    const h = Object.fromEntries(KEYS.map((k) => [k, []]));
    for (let n = 0; n < points; n++) {
      const step = Math.round((lastStep * n) / (points - 1));
      const m = metricsAt(step, divergences(qOf(generatorAt(step, variant))));
      for (const k of KEYS) h[k].push(m[k]);
    }
    return [
      { type: 'run', run: runInfo(), history: h, markers: [{ step: 0, version: 2, restarted: true }] },
      { type: 'snapshot', snapshot: snapshot(lastStep) },
    ];
  };

  window.__gl2 = { replay, snapshot, runInfo, setVariant: (v) => { variant = v; }, post: (m) => window.postMessage(m, '*') };
}
