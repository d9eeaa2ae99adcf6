/**
 * How the compare panel names and colours each definition: one colour per definition, the
 * same in the table, the curves, the densities and the maps. VS Code's chart colours first (they
 * follow the theme), then four of Tableau's ten for comparisons of more than six.
 */
import type { CompareKind } from '../../src/compareProtocol';
import { divergenceSymbol } from '../../src/core/divergenceSymbols';
import type { Palette } from '../theme';

const MORE = ['#9c755f', '#ff9da7', '#76b7b2', '#bab0ac'];

export function definitionColour(p: Palette, index: number): string {
  const colours = [p.blue, p.orange, p.green, p.red, p.purple, p.yellow, ...MORE];
  return colours[index % colours.length]!;
}

/** A short name for legends: the file's name without `.gan.ts`, a preset's name, or in the f-GAN fits the divergence. */
function shortLabel(label: string, kind: CompareKind): string {
  const name = label.replace(/^preset /, '').split(/[\\/]/).pop()!.replace(/\.gan\.[mc]?[jt]s$/, '');
  if (kind === 'fganFits' && name.startsWith('fgan-fit-')) return divergenceSymbol(name.slice('fgan-fit-'.length).replace(/-/g, '_'));
  return name;
}

/** Short names for all definitions; where two would read alike, their full labels. */
export function distinctLabels(labels: readonly string[], kind: CompareKind): string[] {
  const short = labels.map((l) => shortLabel(l, kind));
  return short.map((s, i) => (short.indexOf(s) !== short.lastIndexOf(s) ? labels[i]! : s));
}
