/**
 * Short symbols for the divergence names in DefinitionSummary.divergence (machine names), for
 * the panel's labels and the CLI's notes.
 */
const DIVERGENCE_SYMBOLS: Readonly<Record<string, string>> = {
  jsd: 'JSD',
  jensen_shannon: '2·JSD',
  gan: '2·JSD − log 4',
  kl: 'KL(P‖Q)',
  reverse_kl: 'KL(Q‖P)',
  pearson: 'Pearson χ²',
  neyman: 'Neyman χ²',
  squared_hellinger: 'H²',
  total_variation: 'TV',
  triangular: 'Δ',
  wasserstein1: 'W₁',
};

export function divergenceSymbol(name: string | undefined): string {
  if (!name) return 'divergence';
  return DIVERGENCE_SYMBOLS[name] ?? name;
}

/** Units of a divergence's values: W₁ is a distance along x, the others are in nats. */
export function divergenceUnits(name: string | undefined): string {
  return name === 'wasserstein1' ? 'x units' : 'nats';
}
