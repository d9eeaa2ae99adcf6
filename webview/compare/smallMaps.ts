/**
 * 2-D: the final q of every run as small multiples, a row per definition and a map per seed,
 * each with p's 50 % and 90 % mass contours and the mixture's mode means, on one colour scale
 * so that the maps compare (viridis, square-root, as the inspector's data map by default).
 */
import type { CellFinal } from '../../src/compareProtocol';
import { formatValue } from '../../src/numberFormat';
import { el } from '../charts/chart';
import { ColourScale, lutOf } from '../plane/colourScale';
import { drawPContours, PContours } from '../plane/dataMap';
import { densityDomain } from '../plane/domains';
import { MapCard, type HoverPoint } from '../plane/mapCard';
import { drawModeMeans } from '../plane/marks';
import { canvasFont, type Palette } from '../theme';
import { definitionColour, distinctLabels } from './legend';
import type { CompareModel } from './model';

type PlaneFinal = Extract<CellFinal, { dataDim: 2 }>;

interface MapEntry {
  readonly card: MapCard;
  readonly contours: PContours;
  final: PlaneFinal | null;
  /** The shared scale's top it was drawn with (NaN: draw again). */
  top: number;
}

export class SmallMaps {
  readonly root: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly note: HTMLElement;
  private readonly maps = new Map<string, MapEntry>();

  constructor(private palette: Palette, private readonly model: CompareModel) {
    this.root = el('section', 'card compare-maps');
    this.root.id = 'compare-maps';
    const head = el('header', 'card-head', this.root);
    const title = el('h2', 'card-title', head);
    title.textContent = 'Final q of each run';
    this.grid = el('div', 'compare-maps-grid', this.root);
    this.note = el('p', 'card-note', this.root);
  }

  setPalette(p: Palette): void {
    this.palette = p;
    for (const m of this.maps.values()) {
      m.card.setPalette(p);
      m.top = NaN;
    }
    this.refresh();
  }

  clear(): void {
    this.maps.clear();
    this.grid.replaceChildren();
    this.note.textContent = '';
  }

  refresh(): void {
    const info = this.model.info;
    if (!info) return;
    const finals = this.model.cells.flatMap((c) => (c.final?.dataDim === 2 ? [{ cell: c, final: c.final }] : []));
    // One scale for all: a map brighter than another has more mass per unit area there.
    const top = Math.max(...finals.map(({ final }) => densityDomain(final.p, final.q).top), 0) || 1;
    const scale = new ColourScale(lutOf('density'), { lo: 0, hi: top, transform: 'sqrt' });
    const wanted = new Set<string>();
    const names = distinctLabels(info.definitions, info.kind);
    info.definitions.forEach((_, d) => {
      this.model.cellsOf(d).forEach((c, k) => {
        const key = `${info.id}:${d}:${c.info.seed}`;
        wanted.add(key);
        let map = this.maps.get(key);
        if (!map) {
          const card = new MapCard(`compare-${d}-${c.info.seed}`, `${names[d]} · seed ${c.info.seed}`, this.palette, (at, from) => this.hover(at, from));
          card.root.style.setProperty('--definition-colour', definitionColour(this.palette, d));
          card.root.classList.add('compare-map');
          // A row per definition: its first seed starts one.
          card.root.classList.toggle('first-seed', k === 0);
          map = { card, contours: new PContours(), final: null, top: NaN };
          this.maps.set(key, map);
          this.grid.append(card.root);
        }
        const final = c.final?.dataDim === 2 ? c.final : null;
        map.card.setSubtitle(final?.modes ? `${final.modes.covered} of ${final.modes.of} modes covered` : c.info.state === 'finished' ? '' : c.info.state === 'failed' ? 'failed' : `${c.info.state}…`);
        // A cell's state message changes only the subtitle: the lattice is recoloured when its q or the shared scale changes.
        if (map.final === final && map.top === top) return;
        map.final = final;
        map.top = top;
        map.card.set(final ? this.content(final, scale, map.contours) : null);
        map.card.draw();
      });
    });
    for (const [key, m] of this.maps) {
      if (wanted.has(key)) continue;
      m.card.root.remove();
      this.maps.delete(key);
    }
    this.note.textContent = finals.length > 0
      ? `Colour: q per unit area, square-root scale from 0 to ${formatValue(top, 3)}, one scale for every map. White lines: p’s 50 % (solid) and 90 % (dashed) mass; +: the modes’ means.`
      : '';
  }

  private content(final: PlaneFinal, scale: ColourScale, contours: PContours): Parameters<MapCard['set']>[0] {
    const lines = contours.of(final);
    const modes = final.modes;
    return {
      box: final,
      layer: { values: final.q, scale },
      bar: null,
      legend: [],
      summary: `Final generator density q as colour with the data density p as contours${modes ? `; ${modes.covered} of ${modes.of} modes covered` : ''}.`,
      marks: (ctx, g) => {
        drawPContours(ctx, g, lines);
        if (modes) drawModeMeans(ctx, g, modes.means, false, canvasFont(this.palette, -1, 600));
      },
    };
  }

  private hover(at: HoverPoint | null, from: MapCard): void {
    for (const m of this.maps.values()) {
      const f = m.final;
      const i = at && f ? at.i + f.x.count * at.j : -1;
      m.card.showCursor(at, m.card === from && f && i >= 0 ? [`x = (${formatValue(at!.x, 3)}, ${formatValue(at!.y, 3)})`, `q = ${formatValue(f.q[i]!, 3)}`, `p = ${formatValue(f.p[i]!, 3)}`] : null);
    }
  }
}
