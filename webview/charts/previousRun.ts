/**
 * Whether and how the previous run's exact-divergence curve is overlaid. Only a curve of the
 * same divergence (same meaning, same unit) is comparable: a W₁ history up to 14 on a JSD axis
 * flattens the JSD curve and means nothing there. The curve is context, so it does not set the
 * y range: points above the current run's range are left out rather than stretching the axis.
 */
import type { PreviousSource } from '../../src/protocol';

/** The legend label of the overlay, or null when the previous run is not comparable (another divergence or target, or unknown). */
export function previousLabel(current: { readonly divergence: string; readonly target: string } | undefined, from: PreviousSource | null): string | null {
  if (!from || current === undefined || from.divergence !== current.divergence || from.target !== current.target) return null;
  return `previous run: ${from.label} (exact)`;
}

/** The previous run's values with those above the current run's top (plus a margin) as gaps. */
export function withinCurrentRange(previous: readonly (number | null | undefined)[], current: readonly (readonly (number | null | undefined)[])[]): (number | null | undefined)[] {
  let top = -Infinity;
  for (const col of current) for (const v of col) if (typeof v === 'number' && Number.isFinite(v) && v > top) top = v;
  if (top === -Infinity) return previous.slice();
  const limit = top + 0.05 * Math.abs(top);
  return previous.map((v) => (typeof v === 'number' && v > limit ? null : v));
}
