// Synthetic run of a non-saturating GAN on a two-mode target, for the webview harness.
// `installSynthetic` is serialised into the page with page.evaluate, so it must be
// self-contained (no imports, no closure over module scope). It defines window.__gl with
// builders for realistic 'run' and 'snapshot' messages.

export function installSynthetic() {
  const N = 400;
  const X0 = -5;
  const X1 = 5;
  const dx = (X1 - X0) / (N - 1);
  const grid = Array.from({ length: N }, (_, i) => X0 + i * dx);
  const LOG4 = Math.log(4);
  const normal = (x, m, s) => Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
  // Deterministic noise: the same step always gives the same numbers.
  const rand = (step, k) => {
    const v = Math.sin(step * 12.9898 + k * 78.233) * 43758.5453;
    return v - Math.floor(v);
  };
  const gauss = (step, k) => Math.sqrt(-2 * Math.log(rand(step, k) + 1e-12)) * Math.cos(2 * Math.PI * rand(step, k + 17));
  const p = grid.map((x) => 0.5 * normal(x, -2, 0.5) + 0.5 * normal(x, 2, 0.5));

  /** The generator's density after `step` steps (speed < 1 for a slower run). */
  const qAt = (step, speed = 1) => {
    const s = 1 - Math.exp(-(step * speed) / 260);
    const m = 1.72 * s + 0.04 * gauss(step, 1) * s;
    const sd = 0.3 + 0.3 * s;
    const wl = 0.5 + 0.14 * (1 - s) + 0.05;
    return grid.map((x) => wl * normal(x, -m, sd) + (1 - wl) * normal(x, m, sd));
  };

  const trapz = (f) => {
    let t = 0;
    for (let i = 1; i < N; i++) t += 0.5 * (f[i] + f[i - 1]) * dx;
    return t;
  };
  const xlogy = (a, b) => (a > 0 ? a * Math.log(a / b) : 0);

  const exact = (q) => {
    const jsd = trapz(grid.map((_, i) => {
      const m = 0.5 * (p[i] + q[i]);
      return 0.5 * xlogy(p[i], m) + 0.5 * xlogy(q[i], m);
    }));
    const kl = trapz(grid.map((_, i) => xlogy(p[i], q[i] + 1e-300)));
    const reverseKl = trapz(grid.map((_, i) => xlogy(q[i], p[i] + 1e-300)));
    let cp = 0, cq = 0, w1 = 0;
    for (let i = 0; i < N; i++) { cp += p[i] * dx; cq += q[i] * dx; w1 += Math.abs(cp - cq) * dx; }
    return { jsd, kl, reverseKl, w1 };
  };

  const metricsAt = (step, speed = 1) => {
    const q = qAt(step, speed);
    const e = exact(q);
    const lag = 0.05 + 0.22 * e.jsd + 0.012 * gauss(step, 3);
    const estimate = Math.max(0.002, e.jsd - lag);
    return {
      step,
      analytic: e.jsd,
      estimate,
      minibatchEstimate: estimate + 0.045 * gauss(step, 5),
      effective: e.reverseKl - 2 * e.jsd,
      criticLoss: LOG4 - 2 * estimate + 0.03 * gauss(step, 7),
      generatorLoss: Math.log(2) + 1.1 * e.jsd + 0.04 * gauss(step, 9),
      criticGradNorm: 0.25 + 1.4 * Math.exp(-step / 180) + 0.12 * Math.abs(gauss(step, 11)),
      generatorGradNorm: 0.02 + 0.6 * e.jsd * (1 + 0.3 * gauss(step, 13)) ** 2,
      jsd: e.jsd,
      kl: e.kl,
      reverseKl: e.reverseKl,
      wasserstein1: e.w1,
      // What the generator descends (alignment): the critic's forces improve as it trains; parameter-space cosines stay high.
      alignmentDivergence: Math.min(1, 0.72 + 0.2 * Math.exp(-step / 900) + 0.03 * gauss(step, 23)),
      alignmentEffective: Math.min(1, 0.96 + 0.02 * gauss(step, 25)),
      alignmentUpdate: Math.max(-1, Math.min(1, 0.45 + 0.15 * gauss(step, 27))),
      alignmentForce: Math.min(1, 0.85 - 0.65 * Math.exp(-step / 600) + 0.04 * gauss(step, 29)),
    };
  };

  const KEYS = ['step', 'analytic', 'estimate', 'minibatchEstimate', 'effective', 'criticLoss', 'generatorLoss',
    'criticGradNorm', 'generatorGradNorm', 'jsd', 'kl', 'reverseKl', 'wasserstein1',
    'alignmentDivergence', 'alignmentEffective', 'alignmentUpdate', 'alignmentForce'];

  const history = (from, to, every, speed = 1) => {
    const h = Object.fromEntries(KEYS.map((k) => [k, []]));
    for (let step = from; step <= to; step += every) {
      const m = vm(metricsAt(step, speed));
      for (const k of KEYS) h[k].push(m[k]);
    }
    return h;
  };

  const summary = {
    lossName: 'Non-saturating GAN',
    estimating: 'JSD = (V + log 4)/2 (original GAN discriminator)',
    divergence: 'jsd',
    effectiveObjective: 'KL(Q‖P) − 2·JSD(P‖Q)',
    criticOutput: 'discriminator',
    target: 'mixture 0.5·N(−2, 0.5²) + 0.5·N(2, 0.5²)',
    generator: 'MLP 1→32→32→1 (leakyRelu)',
    critic: 'MLP 1→32→32→1 (leakyRelu)',
    structureKey: 'synthetic',
    lossKey: 'nonSaturating',
  };

  // Other losses, to exercise the critic kinds and infinite values.
  const variants = {
    wgan: {
      summary: { ...summary, lossName: 'WGAN (weight clipping)', estimating: 'K·W₁ (critic gap E_P[f] − E_Q[f]; K set by weight clipping)',
        divergence: 'wasserstein1', effectiveObjective: 'W₁(P, Q)', criticOutput: 'wasserstein', lossKey: 'wgan', lipschitz: 'weightClipping' },
      metrics: (m) => ({ ...m, analytic: m.wasserstein1, estimate: 0.013 * m.wasserstein1 * (1 + 0.05 * gauss(m.step, 31)),
        minibatchEstimate: 0.013 * m.wasserstein1 * (1 + 0.3 * gauss(m.step, 33)), effective: m.wasserstein1 }),
    },
    'wgan-gp': {
      summary: { ...summary, lossName: 'WGAN-GP (λ = 10, one-sided)', estimating: 'W₁ (critic gap E_P[f] − E_Q[f], Lipschitz by gradient penalty)',
        divergence: 'wasserstein1', effectiveObjective: 'W₁(P, Q)', criticOutput: 'wasserstein', lossKey: 'wgan-gp', lipschitz: 'gradientPenalty' },
      metrics: (m) => ({ ...m, analytic: m.wasserstein1, estimate: 0.88 * m.wasserstein1 * (1 + 0.03 * gauss(m.step, 31)),
        minibatchEstimate: 0.88 * m.wasserstein1 * (1 + 0.2 * gauss(m.step, 33)), effective: m.wasserstein1 }),
    },
    neyman: {
      summary: { ...summary, lossName: 'f-GAN Neyman χ² (non-saturating)', estimating: 'Neyman χ²(P‖Q) = ∫(q − p)²/p',
        divergence: 'neyman', effectiveObjective: '−E_Q[f′(p/q)] (pathwise; not D_f)', criticOutput: 'fgan', lossKey: 'neyman' },
      // Once q has heavier tails than p the integral diverges: the analytic value is +∞.
      metrics: (m) => ({ ...m, analytic: m.step > 250 ? Infinity : 0.8 + 2 * m.jsd, estimate: 0.5 + 1.2 * m.jsd, minibatchEstimate: 0.5 + 1.2 * m.jsd + 0.1 * gauss(m.step, 41), effective: -0.3 - m.jsd }),
    },
  };

  // A long run whose discriminator went blind: steps in the tens of thousands (axis ticks "10k"),
  // critic loss at log 4 and estimate ≈ 0 while the JSD stays up (the header says so).
  variants.chance = {
    summary: { ...summary, chance: { loss: LOG4, label: 'log 4', estimate: 0, lossPerUnit: 2 } },
    metrics: (m) => ({ ...m, step: m.step * 64, estimate: 0.001 * gauss(m.step, 51), minibatchEstimate: 0.003 * gauss(m.step, 53),
      criticLoss: LOG4 + 0.012 * gauss(m.step, 55), analytic: 0.12 + 0.5 * m.jsd, jsd: 0.12 + 0.5 * m.jsd }),
  };

  const RUN_ID = 7;
  const VERSION = 5;
  let variant = null;
  const runInfo = (state = 'running') => ({
    runId: RUN_ID, title: 'non-saturating.gan.ts', file: variant ? `examples/${variant}.gan.ts` : 'examples/non-saturating.gan.ts', version: VERSION,
    summary: variant ? variants[variant].summary : summary, backend: 'wasm', engine: 'fused', state,
  });
  const vm = (m) => (variant ? variants[variant].metrics(m) : m);

  const snapshot = (step) => {
    const q = qAt(step);
    const p32 = Float32Array.from(p);
    const q32 = Float32Array.from(q);
    // As if both densities underflowed at the grid's ends.
    for (const i of [0, 1, 2, N - 3, N - 2, N - 1]) { p32[i] = 0; q32[i] = 0; }
    // D* straight from float32 densities: 0/0 = NaN in the far tails, which the chart must survive.
    const optimal = p32.map((v, i) => v / (v + q32[i]));
    const critic = Float32Array.from(grid, (x, i) => {
      const logit = Math.max(-6, Math.min(6, Math.log(p[i] + 1e-300) - Math.log(q[i] + 1e-300)));
      return 1 / (1 + Math.exp(-(0.62 * logit + 0.25 * Math.sin(1.7 * x + step / 40))));
    });
    let criticOut = critic;
    let optimalOut = optimal;
    if (variant === 'wgan' || variant === 'wgan-gp') {
      // The Kantorovich potential f*′ = sign(F_Q − F_P); a clipped critic is small (K ≈ 0.01), a penalised one near f*.
      let cp = 0, cq = 0, f = 0;
      optimalOut = Float32Array.from(grid, (_, i) => { cp += p[i] * dx; cq += q[i] * dx; f += Math.sign(cq - cp) * dx; return f; });
      const k = variant === 'wgan' ? 0.01 : 0.85;
      criticOut = Float32Array.from(optimalOut, (v, i) => k * v * (1 + 0.1 * Math.sin(grid[i])) + 0.3);
    } else if (variant === 'neyman') {
      // T* = 1 − (q/p)²: runs to −∞ where p vanishes faster than q.
      optimalOut = Float32Array.from(grid, (_, i) => 1 - (q32[i] / p32[i]) ** 2);
      criticOut = Float32Array.from(grid, (x, i) => 1 - Math.exp(-Math.max(-3, Math.min(3, Math.log(p[i] / q[i] + 1e-300) * 0.8 + 0.3 * Math.sin(x)))));
    }
    // G(z) = F_q⁻¹(Φ(z)) on 512 latent quantiles, and forces at 256 of them.
    const cdf = [0];
    for (let i = 1; i < N; i++) cdf.push(cdf[i - 1] + 0.5 * (q[i] + q[i - 1]) * dx);
    const inverse = (u) => { let i = 1; while (i < N - 1 && cdf[i] < u * cdf[N - 1]) i++; return grid[i]; };
    const phi = (z) => 0.5 * (1 + Math.tanh(0.7978845608 * (z + 0.044715 * z ** 3)));
    const zs = Array.from({ length: 512 }, (_, i) => -3.1 + (6.2 * i) / 511);
    const gx = zs.map((z) => inverse(phi(z)));
    const fx = Array.from({ length: 256 }, (_, i) => inverse((i + 0.5) / 256));
    const exactF = fx.map((x) => Math.tanh(2 * ((x < 0 ? -2 : 2) - x)));
    const criticF = exactF.map((f, i) => 0.8 * f + 0.35 * Math.sin(fx[i] * 3 + step / 50));
    return {
      forces: { x: Float32Array.from(fx), critic: Float32Array.from(criticF, (v) => v * 0.04), exact: Float32Array.from(exactF, (v) => v * 1.7) },
      generatorMap: { z: Float32Array.from(zs), x: Float32Array.from(gx) },
      runId: RUN_ID, version: VERSION, metrics: vm(metricsAt(step)), stepsPerSecond: 812 + 40 * gauss(step, 21),
      workerHeapBytes: 40e6, backend: 'wasm', engine: 'fused', dataDim: 1,
      qEstimator: 'push-forward of 20,000 latent quantiles (G linear between them and beyond the ends)',
      generatorMean: q.reduce((a, v, i) => a + v * grid[i] * dx, 0), generatorStd: 0.3 + 0.3 * (1 - Math.exp(-step / 260)),
      x: Float32Array.from(grid), p: p32, q: q32, critic: criticOut, optimalCritic: optimalOut,
    };
  };

  const replay = (lastStep) => ({
    type: 'run',
    run: runInfo(),
    history: history(0, lastStep, 2),
    // v3 restarted the run (new network), v4 and v5 swapped the loss in place.
    markers: [
      { step: 0, version: 3, restarted: true },
      { step: 180, version: 4, restarted: false },
      { step: 300, version: 5, restarted: false },
    ],
    previous: history(0, 520, 4, 0.55),
    // The previous run (v2) estimated the JSD: a run of another divergence must not draw it.
    previousFrom: { divergence: 'jsd', target: 'mixture 0.5·N(−2, 0.5²) + 0.5·N(2, 0.5²)', label: 'examples/non-saturating.gan.ts v2' },
  });

  window.__gl = { replay, snapshot, runInfo, setVariant: (v) => { variant = v; }, post: (m) => window.postMessage(m, '*') };
}
