/** How P and Q sit in ℝ² when either has no density (theory.md §7); the protocol carries it, the webview checks it. */
export const SINGULAR_CASES = ['none', 'q-singular', 'p-singular', 'disjoint-curves', 'both-singular'] as const;
export type SingularCase = typeof SINGULAR_CASES[number];

/**
 * Why KL(P‖Q) and Pearson χ² are shown as undecided for a push-forward q (divergences2d.ts's
 * qEmptyUnknown): p's mass in cells the latent lattice leaves without q. One wording for the CLI and the panel.
 */
export function undecidedNote(unresolvedMass: number, format: (v: number) => string): string {
  return unresolvedMass > 0
    ? `KL(P‖Q) and Pearson χ² undecided: p has mass ${format(unresolvedMass)} where the latent lattice puts no q (q's tails there are not resolved)`
    : '';
}
