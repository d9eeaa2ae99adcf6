/**
 * "Export Run…": the metrics over steps as CSV (../metricsCsv, the same writer as
 * `gan-lens train --out`), the run as JSON with its definition's source, the panel's charts as
 * PNG or SVG files, and for a 2-D run the latest snapshot's maps as CSV (../latticeCsv). From the
 * palette it asks what (several at once) and into which folder; called with a target Uri (and
 * optionally a format, or several for a folder) it writes there without asking, which is how
 * tests and other extensions use it.
 */
import * as vscode from 'vscode';
import { CHART_FORMATS, type DefinitionSource, type History, type ReloadMarker, type RunInfo } from '../protocol';
import { latticeCsv } from '../latticeCsv';
import { metricsCsv } from '../metricsCsv';
import type { TrainingSession } from '../session/trainingSession';
import type { InspectorPanel } from './inspectorPanel';
import type { RunController } from './runController';

export const EXPORT_FORMATS = ['csv', 'json', 'lattice', ...CHART_FORMATS] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The file each format writes into a folder; charts write one file per chart instead. */
const FILE_NAMES: Readonly<Record<Exclude<ExportFormat, 'png' | 'svg'>, string>> = { csv: 'metrics.csv', json: 'run.json', lattice: 'lattice.csv' };

/** The run, its definition (with the file's text as it was loaded), its history and reload markers; non-finite numbers as strings. */
export function runJson(run: RunInfo | undefined, definition: DefinitionSource, history: History, markers: readonly ReloadMarker[]): string {
  const replacer = (_key: string, v: unknown): unknown => {
    if (typeof v !== 'number' || Number.isFinite(v)) return v;
    return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  };
  const source = definition.kind === 'file'
    ? { kind: 'file', path: definition.path, version: definition.version, ...(definition.text !== undefined ? { text: definition.text } : {}) }
    : definition;
  return JSON.stringify({ run, definition: source, history, markers }, replacer, 2) + '\n';
}

function formatOf(uri: vscode.Uri): ExportFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(uri.path)?.[1]?.toLowerCase();
  return EXPORT_FORMATS.find((f) => f === ext);
}

async function ask(twoD: boolean): Promise<{ folder: vscode.Uri; formats: ExportFormat[] } | undefined> {
  type Item = vscode.QuickPickItem & { format: ExportFormat };
  const items: Item[] = [
    { label: 'metrics.csv', description: 'every recorded step, one column per metric', format: 'csv', picked: true },
    { label: 'run.json', description: 'the run, its definition file as loaded, its metrics and reload markers', format: 'json', picked: true },
    ...(twoD ? [{ label: 'lattice.csv', description: 'the latest 2-D maps, one row per cell: p, q, critic, optimal critic, contribution', format: 'lattice' } as Item] : []),
    { label: 'Charts as PNG', description: 'one image per chart, at twice the screen\'s resolution', format: 'png', picked: true },
    { label: 'Charts as SVG', description: 'one vector file per chart', format: 'svg' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Export Run', placeHolder: 'What to export (several at once)', canPickMany: true });
  if (!picked || picked.length === 0) return undefined;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const folders = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Export here', title: 'Export the run into a folder', ...(root ? { defaultUri: root } : {}) });
  return folders?.[0] && { folder: folders[0], formats: picked.map((p) => p.format) };
}

/** Writes one format: into `target` itself for a file format, or as files inside it for the charts. */
async function write(s: TrainingSession, controller: RunController, openPanel: () => InspectorPanel, format: ExportFormat, target: vscode.Uri): Promise<vscode.Uri[]> {
  if (format === 'png' || format === 'svg') {
    const charts = await openPanel().exportCharts(format);
    if (charts.length === 0) throw new Error('the inspector has no chart drawn yet');
    await vscode.workspace.fs.createDirectory(target);
    const written: vscode.Uri[] = [];
    for (const c of charts) {
      const uri = vscode.Uri.joinPath(target, `${c.name}.${format}`);
      await vscode.workspace.fs.writeFile(uri, c.bytes);
      written.push(uri);
    }
    return written;
  }
  let text: string;
  if (format === 'lattice') {
    const plane = s.latest?.plane;
    if (!plane) throw new Error('lattice data exists for 2-D runs only, once a snapshot has arrived');
    text = latticeCsv(plane);
  } else if (format === 'csv') {
    text = metricsCsv(s.history.rows(), s.summary?.dataDim ?? 1);
  } else {
    text = runJson(controller.runInfo(), s.definition, s.history.snapshot(), s.history.markers());
  }
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  return [target];
}

/**
 * Writes the export and returns the files written (none when the person cancelled). With one
 * format, `target` is the file (or, for charts, the folder); with several it is a folder that
 * receives metrics.csv, run.json, lattice.csv and the charts. `openPanel` shows the inspector,
 * whose webview draws the charts.
 */
export async function exportRun(controller: RunController, openPanel: () => InspectorPanel, target?: vscode.Uri, format?: ExportFormat | readonly ExportFormat[]): Promise<vscode.Uri[]> {
  const s = controller.current;
  if (!s) throw new Error('there is no run to export');
  let folder: vscode.Uri;
  let formats: readonly ExportFormat[];
  if (target && !Array.isArray(format)) {
    const f = (format as ExportFormat | undefined) ?? formatOf(target);
    if (!f) throw new Error(`cannot tell the export format of ${target.path}: use .csv or .json, or give the format (${EXPORT_FORMATS.join(', ')})`);
    return write(s, controller, openPanel, f, target);
  } else if (target) {
    [folder, formats] = [target, format as readonly ExportFormat[]];
  } else {
    const choice = await ask(s.latest?.plane !== undefined);
    if (!choice) return [];
    [folder, formats] = [choice.folder, choice.formats];
  }
  await vscode.workspace.fs.createDirectory(folder);
  const written: vscode.Uri[] = [];
  for (const f of formats) {
    written.push(...await write(s, controller, openPanel, f, f === 'png' || f === 'svg' ? folder : vscode.Uri.joinPath(folder, FILE_NAMES[f])));
  }
  return written;
}
