/**
 * The comparison's table, one row per definition: the final value of its own loss's divergence,
 * JSD, KL both ways, W₁, modes covered (2-D mixtures) and steps/s, each as mean ± sd over its
 * seeds, how many seeds are done, and a line per failed seed with its message. The f-GAN fits
 * show the experiment's table instead: each fitted (μ, σ) next to the divergence's exact optimum.
 */
import { mixedTargets, type CompareRow } from '../../src/compareProtocol';
import { formatCount, formatMeanSd, formatValue } from '../../src/numberFormat';
import { el } from '../charts/chart';
import type { Palette } from '../theme';
import { definitionColour, distinctLabels } from './legend';
import type { CellData, CompareModel } from './model';

interface Column {
  readonly head: string;
  readonly title?: string;
  readonly cell: (row: CompareRow | undefined) => string;
}

const stat = (key: keyof CompareRow['summary']) => (row: CompareRow | undefined): string => formatMeanSd(row?.summary[key]);

const RUN_COLUMNS: readonly Column[] = [
  { head: 'loss', cell: (r) => r?.loss ?? '—' },
  { head: 'divergence of the loss', title: 'The divergence the definition’s critic estimates, exact, at the last step', cell: (r) => (r?.divergenceName ? `${r.divergenceName} ${formatMeanSd(r.summary.divergence)}` : '—') },
  { head: 'JSD', cell: stat('jsd') },
  { head: 'KL(P‖Q)', cell: stat('kl') },
  { head: 'KL(Q‖P)', cell: stat('reverse_kl') },
  { head: 'W₁', cell: stat('wasserstein1') },
];

const MODES_COLUMN: Column = { head: 'modes', title: 'Mixture components covered by q (2-D)', cell: (r) => (r?.modes ? `${formatMeanSd(r.summary.modes)} of ${r.modes}` : '—') };
const RATE_COLUMN: Column = { head: 'steps/s', cell: stat('stepsPerSecond') };

const FIT_COLUMNS: readonly Column[] = [
  { head: 'μ trained', cell: (r) => formatMeanSd(r?.fit?.mean) },
  { head: 'σ trained', cell: (r) => formatMeanSd(r?.fit?.std) },
  { head: 'μ*', title: 'The mean of the Gaussian minimising the exact divergence, from the same start', cell: (r) => (r?.fit ? formatValue(r.fit.optimum.mean, 4) : '—') },
  { head: 'σ*', title: 'Its standard deviation', cell: (r) => (r?.fit ? formatValue(r.fit.optimum.std, 4) : '—') },
  { head: 'D at the optimum', cell: (r) => (r?.fit ? formatValue(r.fit.optimum.value, 4) : '—') },
  { head: 'D trained', title: 'The divergence at the trained Gaussian, exact', cell: stat('divergence') },
];

/** "3 of 3", "1 of 3 · seed 2 at 1,200", "2 of 3 · 1 failed". */
function progress(cells: readonly CellData[], steps: number): string {
  const done = cells.filter((c) => c.info.state === 'finished').length;
  const failed = cells.filter((c) => c.info.state === 'failed').length;
  const stopped = cells.filter((c) => c.info.state === 'stopped').length;
  const running = cells.filter((c) => c.info.state === 'running' || c.info.state === 'loading');
  const parts = [`${done} of ${cells.length}`];
  for (const c of running) parts.push(c.info.state === 'loading' ? `seed ${c.info.seed} loading` : `seed ${c.info.seed} at ${formatCount(c.info.step)} of ${formatCount(steps)}`);
  if (failed) parts.push(`${failed} failed`);
  if (stopped) parts.push(`${stopped} stopped`);
  return parts.join(' · ');
}

export class CompareTable {
  readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly intro: HTMLElement;
  private readonly note: HTMLElement;
  private readonly table: HTMLTableElement;

  constructor(private palette: Palette, private readonly model: CompareModel) {
    this.root = el('section', 'card compare-table-card');
    this.root.id = 'compare-table';
    const head = el('header', 'card-head', this.root);
    const titles = el('div', 'card-titles', head);
    this.title = el('h2', 'card-title', titles);
    this.intro = el('p', 'card-subtitle', titles);
    this.note = el('p', 'compare-note', this.root);
    this.note.setAttribute('role', 'note');
    const wrap = el('div', 'compare-table-wrap', this.root);
    this.table = el('table', 'compare-table', wrap);
  }

  setPalette(p: Palette): void {
    this.palette = p;
    this.refresh();
  }

  refresh(): void {
    const info = this.model.info;
    if (!info) return;
    const fits = info.kind === 'fganFits';
    this.title.textContent = fits ? 'f-GAN fits: trained against optimal' : 'Final values, mean ± sd over seeds';
    this.intro.textContent = fits
      ? 'Each row: a Gaussian x = μ + σ·z fitted to the two-mode target by the f-GAN of one divergence (saturating generator) from (μ, σ) = (0.5, 1); μ*, σ*: the Gaussian that minimises the exact divergence, descended from the same start.'
      : `After ${formatCount(info.steps)} steps; sd over seeds (n − 1).`;
    const targets = mixedTargets(this.model.rows);
    this.note.textContent = targets ? `The definitions train on different targets (${targets.join('; ')}): their divergences are not on one scale.` : '';
    this.note.hidden = !targets;
    const twoD = info.dataDim === 2 && this.model.rows.some((r) => r.modes !== undefined);
    const columns = fits ? [...FIT_COLUMNS, RATE_COLUMN] : [...RUN_COLUMNS, ...(twoD ? [MODES_COLUMN] : []), RATE_COLUMN];
    const head = document.createElement('thead');
    const hr = el('tr', '', head);
    for (const h of [fits ? 'fitted by' : 'definition', 'seeds done', ...columns.map((c) => c.head)]) {
      const th = el('th', '', hr);
      th.scope = 'col';
      th.textContent = h;
      const title = columns.find((c) => c.head === h)?.title;
      if (title) th.title = title;
    }
    const body = document.createElement('tbody');
    const names = distinctLabels(info.definitions, info.kind);
    info.definitions.forEach((label, d) => {
      const row = this.model.rows.find((r) => r.definition === label);
      const cells = this.model.cellsOf(d);
      const tr = el('tr', '', body);
      const name = el('th', 'definition', tr);
      name.scope = 'row';
      name.title = label;
      const swatch = el('span', 'swatch', name);
      swatch.style.background = definitionColour(this.palette, d);
      name.append(names[d]!);
      el('td', 'progress', tr).textContent = progress(cells, info.steps);
      for (const c of columns) el('td', 'number', tr).textContent = c.cell(row);
      for (const cell of cells) {
        if (cell.info.state !== 'failed') continue;
        const failure = el('tr', 'failure', body);
        const td = el('td', '', failure);
        td.colSpan = columns.length + 2;
        td.textContent = `seed ${cell.info.seed} failed: ${cell.info.error ?? 'no reason given'}`;
      }
    });
    this.table.replaceChildren(head, body);
  }
}
