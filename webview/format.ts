/** Text helpers of the panel's legends; numbers are written by src/numberFormat.ts. */

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
