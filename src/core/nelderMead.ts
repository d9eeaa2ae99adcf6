/**
 * Nelder–Mead from a start point: the local optimum a descent from there reaches, which is what
 * a trained generator should land on (a global optimiser would find another mode of a
 * multimodal divergence). Used for the direct-minimisation optima the f-GAN fits are checked against.
 */
export function nelderMead(f: (v: readonly number[]) => number, start: readonly number[], options: { readonly iterations?: number; readonly step?: number } = {}): number[] {
  const n = start.length;
  const step = options.step ?? 0.3;
  let simplex = [start, ...start.map((_, k) => start.map((s, i) => (i === k ? s + step : s)))].map((v) => ({ v: [...v], y: f(v) }));
  for (let it = 0; it < (options.iterations ?? 600); it++) {
    simplex.sort((a, b) => a.y - b.y);
    const worst = simplex[n]!;
    const c = start.map((_, i) => simplex.slice(0, n).reduce((s, p) => s + p.v[i]!, 0) / n);
    const at = (t: number) => { const v = c.map((ci, i) => ci + t * (worst.v[i]! - ci)); return { v, y: f(v) }; };
    const r = at(-1);
    if (r.y < simplex[0]!.y) { const e = at(-2); simplex[n] = e.y < r.y ? e : r; continue; }
    if (r.y < simplex[n - 1]!.y) { simplex[n] = r; continue; }
    const k = at(0.5);
    if (k.y < worst.y) { simplex[n] = k; continue; }
    const best = simplex[0]!;
    simplex = [best, ...simplex.slice(1).map((s) => { const v = s.v.map((x, i) => (x + best.v[i]!) / 2); return { v, y: f(v) }; })];
  }
  simplex.sort((a, b) => a.y - b.y);
  return simplex[0]!.v;
}
