/**
 * Keeps the window's run on disk so that it outlives a window reload: written after checkpoints
 * (at most every SAVE_EVERY_MS), on Stop and when the extension deactivates; read once at
 * activation. One file per workspace (the extension's workspace storage, else its global one).
 */
import * as vscode from 'vscode';
import { decodeStoredRun, encodeStoredRun, type StoredRun } from '../session/savedRun';
import { describeThrown } from '../errors';

const FILE = 'last-run.json';
const SAVE_EVERY_MS = 15_000;

export class RunStore {
  private lastSave = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly dir: vscode.Uri, private readonly log: vscode.LogOutputChannel) {}

  private get file(): vscode.Uri {
    return vscode.Uri.joinPath(this.dir, FILE);
  }

  /** Saves soon (at most every SAVE_EVERY_MS): after a checkpoint, which comes every few seconds. */
  saveSoon(read: () => StoredRun | undefined): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastSave + SAVE_EVERY_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save(read());
    }, wait);
  }

  /** Saves now; writes are serialised so that an older state never lands after a newer one. */
  save(stored: StoredRun | undefined): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!stored) return this.writing;
    this.lastSave = Date.now();
    const text = encodeStoredRun(stored);
    this.writing = this.writing.then(async () => {
      try {
        await vscode.workspace.fs.createDirectory(this.dir);
        await vscode.workspace.fs.writeFile(this.file, Buffer.from(text, 'utf8'));
      } catch (e) {
        this.log.warn(`could not save the run for the next window: ${describeThrown(e)}`);
      }
    });
    return this.writing;
  }

  /** The saved run, if there is one that can be read; a broken file is reported and ignored. */
  async load(): Promise<StoredRun | undefined> {
    let text: string;
    try {
      text = Buffer.from(await vscode.workspace.fs.readFile(this.file)).toString('utf8');
    } catch {
      return undefined;
    }
    const stored = decodeStoredRun(text);
    if (typeof stored === 'string') {
      this.log.warn(`the saved run in ${this.file.fsPath} was not restored: ${stored}`);
      return undefined;
    }
    return stored;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
