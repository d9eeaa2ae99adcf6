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
