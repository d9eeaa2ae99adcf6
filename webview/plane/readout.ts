/** The hover readout: every map's value at the cell under the pointer, as lines of text. */
import type { CriticOutputKind, PlaneSnapshot } from '../../src/protocol';
import { formatValue } from '../../src/numberFormat';
import { CRITIC_TEXT } from './planeText';

export interface ReadoutSource {
  readonly plane: PlaneSnapshot;
  readonly kind: CriticOutputKind;
  /** The critic as drawn (a Wasserstein critic centred and scaled). */
  readonly critic: ArrayLike<number>;
  readonly difference: ArrayLike<number> | null;
}

const v = (a: ArrayLike<number>, c: number): string => (c < a.length ? formatValue(a[c], 3) : '—');

export function readoutLines(s: ReadoutSource, i: number, j: number, x: number, y: number): string[] {
  const { plane } = s;
  const c = i + plane.x.count * j;
  const t = CRITIC_TEXT[s.kind];
  const lines = [
    `x = (${formatValue(x, 3)}, ${formatValue(y, 3)})`,
    `p ${v(plane.p, c)} · q ${v(plane.q, c)}`,
  ];
  const critic = `${t.critic} ${v(s.critic, c)}`;
  lines.push(plane.optimalCritic.length ? `${critic} · ${t.optimal} ${v(plane.optimalCritic, c)}` : critic);
  if (s.difference) lines.push(`${t.critic} − ${t.optimal} ${v(s.difference, c)}`);
  if (plane.contribution.length) lines.push(`contribution ${v(plane.contribution, c)}`);
  return lines;
}
