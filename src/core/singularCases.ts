/** How P and Q sit in ℝ² when either has no density (theory.md §7); the protocol carries it, the webview checks it. */
export const SINGULAR_CASES = ['none', 'q-singular', 'p-singular', 'disjoint-curves', 'both-singular'] as const;
export type SingularCase = typeof SINGULAR_CASES[number];
