/** The words of the 2-D maps: names of the critic and its optimum per critic kind, and why a map is missing. */
import type { CriticOutputKind, PlaneSnapshot } from '../../src/protocol';

export interface CriticText {
  /** Symbol in readouts and captions. */
  readonly critic: string;
  readonly optimal: string;
  readonly criticTitle: string;
  readonly optimalTitle: string;
  readonly criticCaption: string;
}

export const CRITIC_TEXT: Record<CriticOutputKind, CriticText> = {
  discriminator: {
    critic: 'D', optimal: 'D*', criticTitle: 'Discriminator D(x)', optimalTitle: 'Optimal discriminator D*(x) = p/(p+q)',
    criticCaption: 'D(x) = P(data | x), the same scale on both maps',
  },
  fgan: {
    critic: 'T', optimal: 'T*', criticTitle: 'Critic T(x) = g_f(V(x))', optimalTitle: 'Optimal critic T*(x) = f′(p/q)',
    criticCaption: 'T(x), the same scale on both maps',
  },
  wasserstein: {
    critic: 'f_w', optimal: 'f*', criticTitle: 'Critic f_w(x), centred and scaled', optimalTitle: 'Optimal critic',
    criticCaption: 'f_w(x) centred on the mass of p and q, scaled to ±1',
  },
  score: {
    critic: 's', optimal: 's*', criticTitle: 'Critic score s(x)', optimalTitle: 'Optimal score s*(x)',
    criticCaption: 's(x), the same scale on both maps',
  },
};

/** Why a snapshot carries no optimal-critic map, in words for the place where it would be. */
export function noOptimalReason(kind: CriticOutputKind, plane: PlaneSnapshot): string {
  const t = CRITIC_TEXT[kind];
  if (plane.singular === 'q-singular') {
    return `${t.optimal} is undefined off the curve: q lies on a curve (a 1-D latent), so it has no density and ${t.optimal} = ${kind === 'discriminator' ? 'p/(p+q)' : 'f′(p/q)'} has no value to draw — binning the curve would only draw the cell size.`;
  }
  if (plane.singular !== 'none') return `No ${t.optimal} map: ${plane.singularNote}.`;
  if (kind === 'wasserstein') return 'A Wasserstein critic has no pointwise optimum to draw: the best f_w is a transport potential, not a function of p(x) and q(x).';
  return `This loss has no closed-form ${t.optimal} to compare the critic with.`;
}

/** Why a snapshot carries no contribution map. */
export function noContributionReason(kind: CriticOutputKind, plane: PlaneSnapshot): string {
  if (plane.singular !== 'none') return `No per-cell contribution: ${plane.singularNote}; no sum over cells is the divergence.`;
  if (kind === 'wasserstein') return 'W₁ is a transport cost, not a sum of per-cell terms: it has no map of where it lives.';
  return 'This divergence has no per-cell terms to draw.';
}
