/**
 * Numbers as a person writes them, for the panel, the status bar and the CLI's tables: step
 * counts with thousands separators (31,910), axis ticks in short form (10k, 31.9k), values
 * with a few significant digits and no exponent in ordinary ranges (0.0019, 183, 31,910), a
 * power of ten written out only for extreme magnitudes (1 × 10⁻⁹), a true minus sign, ∞ for
 * infinite divergences and "—" for a value that is missing or not a number.
 *
 * Imported by the host, the CLI and the webview: no Node, DOM or vscode imports.
 */

const MINUS = '−';
const MISSING = '—';
const SUPERSCRIPT: Readonly<Record<string, string>> = {
  '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
};

/** Below this magnitude a decimal would need more than three leading zeros. */
const SMALLEST_DECIMAL = 1e-4;
/** From here on grouped digits get too long to read at a glance. */
const LARGEST_GROUPED = 1e9;

/** NaN, ±∞, null and undefined in words; undefined for an ordinary number. */
function special(v: number | null | undefined): string | undefined {
  if (v === null || v === undefined || Number.isNaN(v)) return MISSING;
  if (v === Infinity) return '∞';
  if (v === -Infinity) return `${MINUS}∞`;
  return undefined;
}

function withMinus(text: string): string {
  return text.replace('-', MINUS);
}

/** "1.500" → "1.5", "2.000" → "2"; integers and exponent forms are left alone. */
function trimZeros(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

/** m × 10ⁿ with `digits` significant digits in m, trailing zeros dropped: 1.23 × 10⁻⁹; 10⁻⁹ when m is 1 and `bare`. */
function scientific(v: number, digits: number, bare: boolean): string {
  const [mantissa, exponent] = v.toExponential(Math.max(0, digits - 1)).split('e') as [string, string];
  const power = `10${[...String(Number(exponent))].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
  const m = trimZeros(mantissa);
  if (bare && (m === '1' || m === '-1')) return withMinus(`${m === '-1' ? '-' : ''}${power}`);
  return withMinus(`${m} × ${power}`);
}

const groupedWith = new Map<number, Intl.NumberFormat>();

/** Grouped digits with up to `fraction` decimals: 1,234.57. */
function grouped(v: number, fraction: number): string {
  let f = groupedWith.get(fraction);
  if (!f) groupedWith.set(fraction, (f = new Intl.NumberFormat('en-US', { maximumFractionDigits: fraction })));
  return withMinus(f.format(v));
}

/**
 * A measured value: `digits` significant digits without trailing zeros (0.6931, 0.0019, 183),
 * grouped from 1,000 on (31,910; never fewer than the whole digits), m × 10ⁿ below 10⁻⁴ and
 * from a billion on.
 */
export function formatValue(v: number | null | undefined, digits = 4): string {
  const word = special(v);
  if (word !== undefined) return word;
  const x = v as number;
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs < SMALLEST_DECIMAL || abs >= LARGEST_GROUPED) return scientific(x, digits, false);
  // Number(…) undoes toPrecision's exponent form (183.7 to 2 digits is "1.8e+2") and drops
  // trailing zeros; between 10⁻⁴ and 10⁹ it never writes an exponent itself.
  const rounded = Number(x.toPrecision(digits));
  if (Math.abs(rounded) < 1000) return withMinus(String(rounded));
  const whole = Math.floor(Math.log10(abs)) + 1;
  return grouped(x, Math.max(0, digits - whole));
}

/** A count (steps): whole and grouped, 31,910. */
export function formatCount(v: number | null | undefined): string {
  return special(v) ?? grouped(v as number, 0);
}

/** Steps per second: whole from 100 on, one decimal below, "—" when unknown. */
export function formatRate(stepsPerSecond: number): string {
  if (!Number.isFinite(stepsPerSecond) || stepsPerSecond < 0) return MISSING;
  return stepsPerSecond >= 100 ? grouped(stepsPerSecond, 0) : trimZeros(stepsPerSecond.toFixed(1));
}

const SUFFIXES = [[1e6, 'M'], [1e3, 'k']] as const;

/**
 * An axis tick: short, at most three significant digits, thousands and millions as k and M
 * (10k, 31.9k, 2.5M), powers of ten written out for extreme magnitudes.
 */
export function formatTick(v: number): string {
  const word = special(v);
  if (word !== undefined) return word;
  if (v === 0) return '0';
  const abs = Math.abs(v);
  // Rounded first, so 999.96 reads 1k rather than 1000.
  const rounded = Number(v.toPrecision(3));
  if (abs < 1e-3 || Math.abs(rounded) >= 1e9) return scientific(v, 3, true);
  for (const [size, suffix] of SUFFIXES) {
    if (Math.abs(rounded) >= size) return withMinus(`${Number((rounded / size).toPrecision(3))}${suffix}`);
  }
  return withMinus(String(rounded));
}

/**
 * A mean over seeds and its spread: "0.1234 ± 0.012"; the value alone over one seed or when it
 * is infinite (there is no spread to speak of); "—" when absent.
 */
export function formatMeanSd(s: { readonly mean: number; readonly sd: number; readonly n?: number } | undefined): string {
  if (s === undefined) return MISSING;
  if (!Number.isFinite(s.mean) || s.n === 1) return formatValue(s.mean, 4);
  return `${formatValue(s.mean, 4)} ± ${formatValue(s.sd, 2)}`;
}
