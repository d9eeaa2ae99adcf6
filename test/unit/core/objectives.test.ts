import * as assert from 'node:assert/strict';
import { divergencesBetween } from '../../../src/core/analytic';
import { F_DIVERGENCES } from '../../../src/core/divergences';
import { createGrid, targetOnGrid } from '../../../src/core/grid';
import { EFFECTIVE_OBJECTIVES, effectiveObjective, type EffectiveObjectiveKind } from '../../../src/core/objectives';
import { integrate } from '../../../src/core/quadrature';
import { normalCdf } from '../../../src/core/special';
import { createTarget } from '../../../src/core/targets';
import { assertClose, assertNear, referenceCases } from './helpers';

const bimodal = referenceCases()[2];
const P = createTarget({ kind: 'mixture', components: bimodal.p });
const Q = createTarget({ kind: 'mixture', components: bimodal.q });
const grid = createGrid(P, { include: Q.range() });
const ctx = { grid, p: targetOnGrid(P, grid), q: targetOnGrid(Q, grid) };
const ref = (key: string): number => bimodal.values[key] as number;

describe('core/objectives', () => {
  it('gives the effective objective of each GAN generator loss (theory.md §2)', () => {
    assertClose(effectiveObjective('minimax', ctx), 2 * ref('jsd') - Math.log(4), 1e-6, 'minimax');
    assertClose(effectiveObjective('minimax', ctx), ref('gan'), 1e-6, 'minimax = GAN f');
    assertClose(effectiveObjective('nonSaturating', ctx), ref('reverse_kl') - 2 * ref('jsd'), 1e-6, 'non-saturating');
    assertClose(effectiveObjective('logRatio', ctx), ref('reverse_kl'), 1e-6, 'log ratio');
    assertClose(effectiveObjective('wgan', ctx), ref('wasserstein1'), 1e-6, 'WGAN');
  });

  it('gives D_f for saturating f-GANs and −E_Q[f′(p/q)] for non-saturating ones', () => {
    assertClose(effectiveObjective('fganSaturating', { ...ctx, divergence: F_DIVERGENCES.kl }), ref('kl'), 1e-6, 'saturating KL');
    // For KL, −E_Q[1 + log p/q] = KL(Q‖P) − 1: the reverse KL, not KL.
    assertClose(effectiveObjective('fganNonSaturating', { ...ctx, divergence: F_DIVERGENCES.kl }), ref('reverse_kl') - 1, 1e-6, 'non-saturating KL');
    // For reverse KL, −E_Q[−q/p] = ∫q²/p = Neyman χ² + 1: e − 1 + 1 for unit Gaussians one apart.
    const unit = referenceCases()[0];
    const p0 = createTarget({ kind: 'mixture', components: unit.p });
    const q0 = createTarget({ kind: 'mixture', components: unit.q });
    const g = createGrid(p0, { include: q0.range() });
    const c0 = { grid: g, p: targetOnGrid(p0, g), q: targetOnGrid(q0, g) };
    assertClose(effectiveObjective('fganNonSaturating', { ...c0, divergence: F_DIVERGENCES.reverse_kl }), Math.E, 1e-8, 'non-saturating reverse KL');
    // Hinge: Q(p < q) − Q(p > q) = Φ(½) − Φ(−½) for these two; sign(p − q) jumps, so the grid sum is O(dx).
    assertClose(effectiveObjective('hinge', c0), normalCdf(0.5) - normalCdf(-0.5), 1e-3, 'hinge');
    assert.throws(() => effectiveObjective('fganSaturating', ctx), /needs the f-divergence/);
  });

  it('gives the least-squares loss at D* by quadrature, and NaN for custom losses', () => {
    const cuts = [-Infinity, -6, -2, 0, 2, 6, Infinity];
    const expected = 0.5 * integrate((x) => {
      const p = P.pdf(x);
      const q = Q.pdf(x);
      return q === 0 ? 0 : q * (q / (p + q)) ** 2;
    }, cuts);
    assertClose(effectiveObjective('leastSquares', ctx), expected, 1e-8, 'least squares');
    assert.ok(Number.isNaN(effectiveObjective('custom', ctx)));
  });

  it('labels every kind and says which are divergences', () => {
    const kinds: EffectiveObjectiveKind[] = ['minimax', 'nonSaturating', 'logRatio', 'fganSaturating', 'fganNonSaturating', 'wgan', 'leastSquares', 'hinge', 'custom'];
    assert.deepEqual(Object.keys(EFFECTIVE_OBJECTIVES).sort(), [...kinds].sort());
    for (const k of kinds) {
      assert.equal(EFFECTIVE_OBJECTIVES[k].kind, k);
      assert.ok(EFFECTIVE_OBJECTIVES[k].label.length > 3 && EFFECTIVE_OBJECTIVES[k].loss.length > 3);
    }
    assert.deepEqual(kinds.filter((k) => !EFFECTIVE_OBJECTIVES[k].isDivergence), ['leastSquares', 'hinge', 'custom']);
    assertNear(divergencesBetween(P, Q).jsd, ref('jsd'), 1e-9, 'shared reference');
  });
});
