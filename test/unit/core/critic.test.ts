import * as assert from 'node:assert/strict';
import { analyticFDivergence, divergencesBetween } from '../../../src/core/analytic';
import { criticDifference, ganJsdEstimate, optimalCritic, optimalDiscriminator, variationalEstimate, variationalEstimateFromSamples } from '../../../src/core/critic';
import { F_DIVERGENCES, type FDivergenceName } from '../../../src/core/divergences';
import { createGrid, targetOnGrid } from '../../../src/core/grid';
import { createRng } from '../../../src/core/rng';
import { createTarget } from '../../../src/core/targets';
import { assertClose, assertNear } from './helpers';

const P = createTarget({ kind: 'mixture', components: [{ weight: 0.5, mean: -2, std: 0.5 }, { weight: 0.5, mean: 2, std: 0.5 }] });
const Q = createTarget({ kind: 'mixture', components: [{ weight: 1, mean: 0.3, std: 1.2 }] });
const grid = createGrid(P, { include: Q.range() });
const p = targetOnGrid(P, grid);
const q = targetOnGrid(Q, grid);
const pDensity = p.logDensity.map(Math.exp);
const qMass = q.logDensity.map((l) => Math.exp(l) * grid.dx);
const exact = divergencesBetween(P, Q);

describe('core/critic', () => {
  it('gives D* = p/(p + q) without overflow, NaN where both vanish', () => {
    const d = optimalDiscriminator([Math.log(0.3), -800, -Infinity, 0, -Infinity], [Math.log(0.1), -1000, 0, -Infinity, -Infinity]);
    assertClose(d[0], 0.75, 1e-15, 'D*');
    assert.equal(d[1], 1);
    assert.equal(d[2], 0);
    assert.equal(d[3], 1);
    assert.ok(Number.isNaN(d[4]));
  });

  it('makes the f-GAN bound tight at T* and strictly smaller for a perturbed critic', () => {
    for (const name of Object.keys(F_DIVERGENCES) as FDivergenceName[]) {
      if (exact[name] === Infinity) continue;
      const d = F_DIVERGENCES[name];
      const tStar = optimalCritic(d, p.logDensity, q.logDensity);
      const tight = variationalEstimate(d, grid, pDensity, qMass, tStar);
      assertClose(tight, analyticFDivergence(d, grid, p, q), 1e-12, `${name}: bound at T* vs grid D_f`);
      // TV's plain grid sum has O(dx²) kinks; every other row meets the quadrature reference.
      assertClose(tight, exact[name], name === 'total_variation' ? 1e-4 : 1e-8, `${name}: bound at T* vs exact D_f`);
      // Pushed toward the inside of dom f* (T* shrunk for TV, lowered for the rest), the bound must drop.
      const perturbed = tStar.map((t, i) => (name === 'total_variation' ? t * (0.8 + 0.1 * Math.sin(grid.x[i])) : t - 0.05 * (1 + Math.sin(grid.x[i]))));
      const lower = variationalEstimate(d, grid, pDensity, qMass, perturbed);
      assert.ok(lower < tight - 1e-6, `${name}: perturbed bound ${lower} not below ${tight}`);
    }
  });

  it('estimates JSD from discriminator logits as (V + log 4)/2, exactly at v = log p − log q', () => {
    const logits = p.logDensity.map((lp, i) => lp - q.logDensity[i]);
    assertClose(ganJsdEstimate(grid, pDensity, qMass, logits), exact.jsd, 1e-8, 'JSD at D*');
    const worse = ganJsdEstimate(grid, pDensity, qMass, logits.map((v, i) => v + 0.3 * Math.cos(grid.x[i])));
    assert.ok(worse < exact.jsd - 1e-4, `perturbed JSD estimate ${worse}`);
  });

  it('estimates D_f from minibatches of critic values', () => {
    const p0 = createTarget({ kind: 'mixture', components: [{ weight: 1, mean: 0, std: 1 }] });
    const q0 = createTarget({ kind: 'mixture', components: [{ weight: 1, mean: 1, std: 1 }] });
    const rng = createRng(8);
    const kl = F_DIVERGENCES.kl;
    const t = (xs: Float64Array): Float64Array => xs.map((x) => kl.optimalCritic(p0.logPdf(x) - q0.logPdf(x)));
    const estimate = variationalEstimateFromSamples(kl, t(p0.sample(rng, 50_000)), t(q0.sample(rng, 50_000)));
    // KL = 0.5; the estimator's standard error at this size is about 0.01.
    assertNear(estimate, 0.5, 0.04, 'minibatch KL estimate');
  });

  it('gives the W₁ critic gap E_P[f] − E_Q[f], equal to W₁ for the optimal 1-Lipschitz f', () => {
    const p0 = createTarget({ kind: 'mixture', components: [{ weight: 1, mean: 0, std: 1 }] });
    const q0 = createTarget({ kind: 'mixture', components: [{ weight: 1, mean: 1.5, std: 1 }] });
    const g = createGrid(p0, { include: q0.range() });
    const pd = targetOnGrid(p0, g).logDensity.map(Math.exp);
    const qm = targetOnGrid(q0, g).logDensity.map((l) => Math.exp(l) * g.dx);
    assertClose(criticDifference(g, pd, qm, g.x.map((x) => -x)), 1.5, 1e-9, 'optimal critic f(x) = −x');
    assert.ok(criticDifference(g, pd, qm, g.x.map((x) => -Math.tanh(x))) < 1.5 - 0.1, 'a suboptimal 1-Lipschitz critic');
  });
});
