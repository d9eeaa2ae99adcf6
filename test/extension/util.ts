// Helpers shared by the extension test files (bundled into each; not a test file itself).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { GanLensApi } from '../../src/extension/extension';
import type { HostToWebview } from '../../src/protocol';
import type { TrainingSession } from '../../src/session/trainingSession';

export const EXTENSION_ID = 'gan-lens.gan-lens';

/** The extension under test, activated. */
export async function activateExtension(): Promise<vscode.Extension<GanLensApi>> {
  const extension = vscode.extensions.getExtension<GanLensApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded; is extensionDevelopmentPath the repository root?`);
  await extension.activate();
  return extension;
}

/** The API object `activate()` returns: the run controller and the panel. */
export async function ganLens(): Promise<GanLensApi> {
  const api = (await activateExtension()).exports;
  assert.ok(api && typeof api.panel === 'function', 'activate() did not return the GAN Lens API');
  return api;
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * How long a wait may take before it fails. Not a margin the product must meet: a deadlock
 * guard that names what did not happen, well above what a loaded two-core machine needs and
 * below mocha's own test timeout (test/extension/index.ts), so a failure says what it waited for.
 */
export const WAIT_LIMIT_MS = 120_000;

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Polls `probe` until it returns a truthy value; the extension host answers asynchronously. */
export async function waitFor<T>(probe: () => T | Promise<T>, what: string | (() => string), timeoutMs = WAIT_LIMIT_MS): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await delay(50);
  }
}

/** Resolves with the first event that matches, or rejects after `timeoutMs`. */
export function nextEvent<T>(event: vscode.Event<T>, matches: (e: T) => boolean, what: string, timeoutMs = WAIT_LIMIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event((e) => {
      if (!matches(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

/** Records every message the controller sends towards the panel until disposed. */
export function recordMessages(api: GanLensApi): { readonly messages: HostToWebview[]; of<K extends HostToWebview['type']>(type: K): Extract<HostToWebview, { type: K }>[]; dispose(): void } {
  const messages: HostToWebview[] = [];
  const sub = api.controller.onMessage((m) => messages.push(m));
  return {
    messages,
    of: <K extends HostToWebview['type']>(type: K) => messages.filter((m): m is Extract<HostToWebview, { type: K }> => m.type === type),
    dispose: () => sub.dispose(),
  };
}

/** The current training session, which must exist. */
export function session(api: GanLensApi): TrainingSession {
  const s = api.controller.current;
  assert.ok(s, 'there is no training session');
  return s;
}

/** Waits until the current run is training and past `step` (snapshots arrive ~30 times a second). */
export async function waitForStep(api: GanLensApi, step: number, timeoutMs = WAIT_LIMIT_MS): Promise<number> {
  return waitFor(() => {
    const s = api.controller.current;
    return s && s.state === 'running' && s.step > step ? s.step : 0;
  }, () => `step > ${step} (now ${api.controller.current?.state ?? 'no run'} at step ${api.controller.current?.step ?? '-'})`, timeoutMs);
}

/** Waits until a snapshot has been seen and no new one arrives for `quietMs`: the worker is idle. */
export async function waitForQuiet(api: GanLensApi, quietMs = 400, timeoutMs = WAIT_LIMIT_MS): Promise<number> {
  let last = Date.now();
  const sub = api.controller.onMessage((m) => {
    if (m.type === 'snapshot') last = Date.now();
  });
  try {
    await waitFor(() => Date.now() - last >= quietMs, `no snapshot for ${quietMs} ms`, timeoutMs);
  } finally {
    sub.dispose();
  }
  return session(api).step;
}

/** The fixture workspace folder (test/fixtures/workspace, or a copy of it). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the fixture workspace open as a folder');
  return folder.uri;
}

export function fixture(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

const SCRATCH = 'scratch';
let scratchCount = 0;

/**
 * A fresh copy of a fixture file under scratch/, for tests that edit or create files: the
 * fixtures themselves stay untouched. Removed by `removeScratch`.
 */
export async function scratchCopy(name: string, edit: (text: string) => string = (t) => t): Promise<vscode.Uri> {
  const text = Buffer.from(await vscode.workspace.fs.readFile(fixture(name))).toString('utf8');
  const uri = vscode.Uri.joinPath(workspaceRoot(), SCRATCH, `${++scratchCount}-${name}`);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(edit(text), 'utf8'));
  return uri;
}

export function scratchUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), SCRATCH, name);
}

export async function removeScratch(): Promise<void> {
  await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), SCRATCH), { recursive: true, useTrash: false }).then(undefined, () => undefined);
}

/** Stops the run (if any) and closes every editor, so that each test starts from nothing. */
export async function cleanSlate(api: GanLensApi): Promise<void> {
  await vscode.commands.executeCommand('ganLens.stop');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor(() => api.panel() === undefined, 'the inspector panel to close');
}

/** Replaces the first occurrence of `find` in the open document and saves it. */
export async function editAndSave(doc: vscode.TextDocument, find: string | RegExp, replacement: string): Promise<void> {
  const text = doc.getText();
  const match = typeof find === 'string' ? { index: text.indexOf(find), length: find.length } : (() => {
    const m = find.exec(text);
    return { index: m ? m.index : -1, length: m ? m[0].length : 0 };
  })();
  assert.ok(match.index >= 0, `${String(find)} is not in ${doc.uri.path}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(match.index), doc.positionAt(match.index + match.length)), replacement);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the workspace edit was not applied');
  assert.ok(await doc.save(), `${doc.uri.path} was not saved`);
}

/** 0-based line of the first line containing `needle`. */
export function lineOf(doc: vscode.TextDocument, needle: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(needle)) return i;
  assert.fail(`${needle} is not in ${doc.uri.path}`);
}

export function ganDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'GAN Lens');
}

/** Threads of this process (the extension host), where /proc exists. */
export function threadCount(): number | undefined {
  try {
    return fs.readdirSync('/proc/self/task').length;
  } catch {
    return undefined;
  }
}
