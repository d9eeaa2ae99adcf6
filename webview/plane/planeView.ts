/**
 * The 2-D half of the inspector: the maps of a PlaneSnapshot (data and model, critic, optimal
 * critic, their difference, where the divergence lives) and the mode coverage. Like the line
 * charts it keeps only the newest snapshot and draws when the inspector's animation frame asks.
 */
import type { CriticOutputKind, DefinitionSummary, PlaneSnapshot, Snapshot } from '../../src/protocol';
import { divergenceSymbol } from '../../src/core/divergenceSymbols';
import { el } from '../charts/chart';
import { Toggle } from '../charts/toggle';
import type { Palette } from '../theme';
import { SCALE_TRANSFORMS, type ScaleTransform } from './colourScale';
import { contributionMap } from './contributionMap';
import { criticMaps } from './criticMaps';
import { dataMap, PContours, type DataMapOptions } from './dataMap';
import { supportMask } from './domains';
import { MapCard, type HoverPoint, type MapImage } from './mapCard';
import { ModeBars } from './modeBars';
import { CRITIC_TEXT } from './planeText';
import { updateViewState, viewState } from '../state';
import { readoutLines, type ReadoutSource } from './readout';

const SCALE_LABELS: Record<ScaleTransform, string> = { linear: 'linear', sqrt: '√ (square root)', log: 'log' };

export interface ExportedMap extends MapImage {
  readonly name: string;
}

export class PlaneView {
  readonly root: HTMLElement;
  private readonly data: MapCard;
  private readonly critic: MapCard;
  private readonly optimal: MapCard;
  private readonly difference: MapCard;
  private readonly contribution: MapCard;
  private readonly modes: ModeBars;
  private readonly cards: MapCard[];
  private readonly pContours = new PContours();
  private palette: Palette;
  private kind: CriticOutputKind = 'discriminator';
  private divergence: string | undefined;
  private options: DataMapOptions = viewState().planeMap;
  private pending: PlaneSnapshot | null = null;
  private shown: PlaneSnapshot | null = null;
  private readout: ReadoutSource | null = null;
  private hover: { at: HoverPoint; from: MapCard } | null = null;
  private contributionSubtitle = '';

  constructor(palette: Palette) {
    this.palette = palette;
    this.root = el('section', 'plane');
    this.root.setAttribute('aria-label', '2-D maps');
    const onHover = (at: HoverPoint | null, from: MapCard): void => {
      this.hover = at ? { at, from } : null;
      this.showHover();
    };
    this.data = new MapCard('data', 'Data and model', palette, onHover);
    this.data.setSubtitle('Colour: q, the generator’s density. Lines: p, the data’s density');
    this.critic = new MapCard('critic', CRITIC_TEXT.discriminator.criticTitle, palette, onHover);
    this.optimal = new MapCard('optimal', CRITIC_TEXT.discriminator.optimalTitle, palette, onHover);
    this.difference = new MapCard('difference', 'Critic minus its optimum', palette, onHover);
    this.contribution = new MapCard('contribution', 'Where the divergence lives', palette, onHover);
    this.modes = new ModeBars(palette);
    this.modes.root.hidden = true;
    this.cards = [this.data, this.critic, this.optimal, this.difference, this.contribution];
    this.root.append(...this.cards.map((c) => c.root), this.modes.root);
    this.buildTools();
    this.setKind('discriminator');
  }

  private buildTools(): void {
    const tools = this.data.tools;
    const redraw = (patch: Partial<DataMapOptions>): void => {
      this.options = { ...this.options, ...patch };
      updateViewState({ planeMap: this.options });
      if (this.shown && !this.pending) this.pending = this.shown;
      this.refresh();
    };
    new Toggle(tools, 'Generated', 'Show generated samples (orange dots)', this.options.generated, (on) => redraw({ generated: on }));
    new Toggle(tools, 'Real', 'Show samples of the data (white rings)', this.options.real, (on) => redraw({ real: on }));
    new Toggle(tools, 'Forces', 'Show the force the generator loss puts on generated points (white) and the force of the exact divergence (dashed cyan)', this.options.forces, (on) => redraw({ forces: on }));
    const label = el('label', 'map-scale', tools);
    el('span', '', label).textContent = 'Scale';
    const select = el('select', '', label);
    select.title = 'Colour scale of q: a square root or log scale keeps low-mass regions visible beside the peaks';
    for (const t of SCALE_TRANSFORMS) {
      const o = el('option', '', select);
      o.value = t;
      o.textContent = SCALE_LABELS[t];
    }
    select.value = this.options.transform;
    select.addEventListener('change', () => {
      const t = SCALE_TRANSFORMS.find((s) => s === select.value);
      if (t) redraw({ transform: t });
    });
  }

  setKind(kind: CriticOutputKind): void {
    this.kind = kind;
    const t = CRITIC_TEXT[kind];
    this.critic.setTitle(t.criticTitle);
    this.optimal.setTitle(t.optimalTitle);
    this.difference.setTitle(`${t.critic} − ${t.optimal}: where the critic is off`);
    if (this.shown && !this.pending) this.pending = this.shown;
  }

  setSummary(summary: DefinitionSummary | undefined): void {
    this.divergence = summary?.divergence;
    if (summary) this.setKind(summary.criticOutput);
    this.contributionSubtitle = summary ? `Each cell’s term of ${divergenceSymbol(summary.divergence)} per unit area; summed over the lattice it is the exact value` : '';
  }

  setSnapshot(s: Snapshot): void {
    if (s.plane) this.pending = s.plane;
  }

  setPalette(p: Palette): void {
    this.palette = p;
    for (const c of this.cards) c.setPalette(p);
    this.modes.setPalette(p);
    if (this.shown && !this.pending) this.pending = this.shown;
    this.refresh();
  }

  clear(): void {
    this.pending = null;
    this.shown = null;
    this.readout = null;
    for (const c of this.cards) c.set(null);
    this.difference.root.hidden = false;
    this.modes.set(null);
    for (const c of this.cards) c.draw();
  }

  /** Draws the newest snapshot, if one came since the last draw. */
  refresh(): void {
    const plane = this.pending;
    this.pending = null;
    if (!plane) return;
    this.shown = plane;
    const pLines = this.pContours.of(plane);
    const mask = supportMask(plane.p, plane.q);
    const data = dataMap(plane, this.options, this.palette, pLines);
    this.data.set(data.content);
    this.data.setNote(data.note);
    const critic = criticMaps(this.kind, plane, mask, pLines, this.palette);
    this.critic.set(critic.critic);
    this.optimal.set(critic.optimal);
    this.difference.set(critic.difference);
    this.difference.setNote(critic.differenceNote);
    this.optimal.setSubtitle(critic.optimal.layer ? `On the critic’s colour scale; hatched where p + q has no mass` : '');
    this.difference.setSubtitle('Diverging scale centred on 0');
    // Without an optimum the optimal-critic card says why; a second card saying it again is noise.
    this.difference.root.hidden = critic.difference.layer === null;
    const contribution = contributionMap(this.kind, this.divergence, plane, pLines, this.palette);
    this.contribution.set(contribution.content);
    this.contribution.setSubtitle(contribution.content.layer ? this.contributionSubtitle : '');
    this.contribution.setNote(contribution.note);
    this.modes.set(plane.modes ?? null);
    this.readout = { plane, kind: this.kind, critic: critic.criticValues, difference: critic.differenceValues };
    for (const c of this.cards) c.draw();
    this.showHover();
  }

  private showHover(): void {
    const h = this.hover;
    for (const c of this.cards) {
      const lines = h && c === h.from && this.readout ? readoutLines(this.readout, h.at.i, h.at.j, h.at.x, h.at.y) : null;
      c.showCursor(h?.at ?? null, lines);
    }
  }

  /** Every map drawn, as PNG data URLs named for the export files. */
  exportPngs(): ExportedMap[] {
    const out: ExportedMap[] = [];
    for (const c of this.cards) {
      const image = c.toPng();
      if (image) out.push({ name: `map-${c.id}`, ...image });
    }
    const modes = this.modes.toPng();
    if (modes) out.push({ name: 'map-modes', ...modes });
    return out;
  }
}
