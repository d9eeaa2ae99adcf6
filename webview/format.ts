/**
 * Number formatting for the header, legends and axes. Divergences can be infinite (disjoint
 * supports, χ² with heavy tails); those must read "∞", never as a huge number.
 */

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A value with `digits` significant digits; ∞ / −∞ / "—" for non-finite or missing values. */
export function formatValue(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const text = abs >= 1e6 || abs < 1e-4 ? v.toExponential(digits - 1) : trimZeros(v.toPrecision(digits));
  return text.replace('-', '−');
}

function trimZeros(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

export function formatInteger(v: number): string {
  return Number.isFinite(v) ? INTEGER.format(v) : formatValue(v);
}

export function formatRate(stepsPerSecond: number): string {
  if (!Number.isFinite(stepsPerSecond) || stepsPerSecond < 0) return '—';
  return stepsPerSecond >= 100 ? INTEGER.format(stepsPerSecond) : trimZeros(stepsPerSecond.toFixed(1));
}

/** Axis tick labels: short, no trailing zeros, exponent form only for extreme magnitudes. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e5 || abs < 1e-3) return v.toExponential(0).replace('-', '−');
  return trimZeros(v.toPrecision(4)).replace('-', '−');
}

/** Short symbols for the divergence names in DefinitionSummary.divergence (machine names). */
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

/**
 * The leading formula of a long label, for legends: cut at the first ":", " (" or ", "
 * outside brackets ("KL(Q‖P) − 2·JSD(P‖Q)" stays whole, "W₁(P, Q)" too).
 */
export function shortFormula(label: string, max = 40): string {
  let depth = 0;
  for (let i = 0; i < label.length; i++) {
    const c = label[i];
    if (c === '(' || c === '[') {
      if (depth === 0 && c === '(' && label[i - 1] === ' ') return clip(label.slice(0, i).trim(), max);
      depth++;
    } else if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === ':' || (c === ',' && label[i + 1] === ' '))) return clip(label.slice(0, i).trim(), max);
  }
  return clip(label, max);
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
