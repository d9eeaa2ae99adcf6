/**
 * "Export Run…": the metrics over steps as CSV or JSON, the panel's charts as PNG or SVG
 * files, and for a 2-D run the latest snapshot's maps as CSV (../latticeCsv). Called from the palette it asks what and where; called with a target Uri (and
 * optionally a format) it writes there without asking, which is how tests and other
 * extensions use it.
 */
import * as vscode from 'vscode';
import { CHART_FORMATS, SCALAR_KEYS, type History, type ReloadMarker, type RunInfo } from '../protocol';
import { latticeCsv } from '../latticeCsv';
import type { InspectorPanel } from './inspectorPanel';
import type { RunController } from './runController';

export const EXPORT_FORMATS = ['csv', 'json', 'lattice', ...CHART_FORMATS] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One row per recorded step, columns in SCALAR_KEYS order; non-finite values as inf/-inf/nan. */
export function metricsCsv(history: History): string {
  const cell = (v: number): string => (Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  const rows = history.step.map((_, i) => SCALAR_KEYS.map((k) => cell(history[k][i]!)).join(','));
  return [SCALAR_KEYS.join(','), ...rows].join('\n') + '\n';
}

/** The run, its history and reload markers; JSON has no ±Infinity or NaN, so they are strings. */
export function runJson(run: RunInfo | undefined, history: History, markers: readonly ReloadMarker[]): string {
  const replacer = (_key: string, v: unknown): unknown => {
    if (typeof v !== 'number' || Number.isFinite(v)) return v;
    return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  };
  return JSON.stringify({ run, history, markers }, replacer, 2) + '\n';
}

function formatOf(uri: vscode.Uri): ExportFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(uri.path)?.[1]?.toLowerCase();
  return EXPORT_FORMATS.find((f) => f === ext);
}

async function ask(twoD: boolean): Promise<{ target: vscode.Uri; format: ExportFormat } | undefined> {
  type Item = vscode.QuickPickItem & { format: ExportFormat };
  const items: Item[] = [
    { label: 'metrics.csv', description: 'every recorded step, one column per metric', format: 'csv' },
    { label: 'run.json', description: 'the run, its metrics and reload markers', format: 'json' },
    ...(twoD ? [{ label: 'lattice.csv', description: 'the latest 2-D maps, one row per cell: p, q, critic, optimal critic, contribution', format: 'lattice' } as Item] : []),
    { label: 'Charts as PNG', description: 'one image per chart, as drawn in the inspector', format: 'png' },
    { label: 'Charts as SVG', description: 'one vector file per chart', format: 'svg' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Export Run', placeHolder: 'What to export' });
  if (!picked) return undefined;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (picked.format === 'png' || picked.format === 'svg') {
    const folders = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Export charts here', title: 'Export the charts to a folder', ...(root ? { defaultUri: root } : {}) });
    return folders?.[0] && { target: folders[0], format: picked.format };
  }
  const defaultUri = root ? vscode.Uri.joinPath(root, picked.label) : vscode.Uri.file(picked.label);
  const target = await vscode.window.showSaveDialog({ defaultUri, filters: picked.format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] } });
  return target && { target, format: picked.format };
}

/**
 * Writes the export and returns the files written (none when the person cancelled). For PNG
 * and SVG `target` is a folder that receives one file per chart; `openPanel` shows the
 * inspector, whose webview draws the charts.
 */
export async function exportRun(controller: RunController, openPanel: () => InspectorPanel, target?: vscode.Uri, format?: ExportFormat): Promise<vscode.Uri[]> {
  const s = controller.current;
  if (!s) throw new Error('there is no run to export');
  let choice: { target: vscode.Uri; format: ExportFormat } | undefined;
  if (target) {
    const f = format ?? formatOf(target);
    if (!f) throw new Error(`cannot tell the export format of ${target.path}: use .csv or .json, or give the format (${EXPORT_FORMATS.join(', ')})`);
    choice = { target, format: f };
  } else {
    choice = await ask(s.latest?.plane !== undefined);
  }
  if (!choice) return [];
  if (choice.format === 'png' || choice.format === 'svg') {
    const charts = await openPanel().exportCharts(choice.format);
    if (charts.length === 0) throw new Error('the inspector has no chart drawn yet');
    await vscode.workspace.fs.createDirectory(choice.target);
    const written: vscode.Uri[] = [];
    for (const c of charts) {
      const uri = vscode.Uri.joinPath(choice.target, `${c.name}.${choice.format}`);
      await vscode.workspace.fs.writeFile(uri, c.bytes);
      written.push(uri);
    }
    return written;
  }
  if (choice.format === 'lattice') {
    const plane = s.latest?.plane;
    if (!plane) throw new Error('lattice data exists for 2-D runs only, once a snapshot has arrived');
    await vscode.workspace.fs.writeFile(choice.target, Buffer.from(latticeCsv(plane), 'utf8'));
    return [choice.target];
  }
  const history = s.history.snapshot();
  const text = choice.format === 'csv' ? metricsCsv(history) : runJson(controller.runInfo(), history, s.history.markers());
  await vscode.workspace.fs.writeFile(choice.target, Buffer.from(text, 'utf8'));
  return [choice.target];
}
