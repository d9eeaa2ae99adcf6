/**
 * The y range of a log₁₀ chart, from the data's positive minimum and maximum, padded by a
 * twentieth of its decades, where uPlot's log axis can place its ticks.
 *
 * uPlot 1.6 builds a log axis's ticks in a loop that does not end (it grows its array until
 * memory runs out) from two kinds of scale minimum, measured over every 0.001 of a decade:
 * just under a power of ten below 1 (within 0.023 of a decade: 0.0096 fails, 0.0094 and 0.01
 * do not; its step becomes the minimum itself, which it then rounds to 0), and anything under
 * about 1e-25. A gradient norm's curve whose minimum fell there froze the whole workbench for
 * 9–12 s (code-server: the webview shares its main thread), in half the host benchmark's runs.
 * So the minimum steps out of the first window (down to 0.05 of a decade under the power of
 * ten) and the range spans at most MAX_DECADES, never below 10^LOWEST_DECADE: smaller values
 * fall below the plot, which uPlot clips (a curve more than 15 decades under the largest one is
 * not read off a log chart anyway; the linear scale shows it as 0).
 */
export const LOWEST_DECADE = -20;
export const MAX_DECADES = 15;
/** How far under a power of ten (in decades) a minimum is moved away from, and to. */
const UNDER_POWER = { avoid: 0.04, to: 0.05 } as const;

export function logRange(min: number, max: number): [number, number] {
  if (!(min > 0 && max > 0 && Number.isFinite(max))) return [0.01, 1];
  if (min > max) [min, max] = [max, min];
  const hi = Math.max(Math.log10(max), LOWEST_DECADE + 1);
  const lo = Math.max(Math.log10(min), hi - MAX_DECADES, LOWEST_DECADE);
  const pad = Math.max(0.05, (hi - lo) * 0.05);
  let bottom = lo - pad;
  const power = Math.ceil(bottom);
  if (power <= 0 && power - bottom > 0 && power - bottom < UNDER_POWER.avoid) bottom = power - UNDER_POWER.to;
  return [10 ** bottom, 10 ** (hi + pad)];
}
