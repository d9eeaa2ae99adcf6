/** The status bar item while a run exists: step, steps/s, analytic divergence, backend. */
import * as vscode from 'vscode';
import { divergenceSymbol } from '../core/divergenceSymbols';
import { formatCount, formatRate, formatValue } from '../numberFormat';
import { Disposable } from './dispose';
import type { RunController } from './runController';

const REFRESH_MS = 250;

export class RunStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('ganLens.run', vscode.StatusBarAlignment.Left, 50));
  private dirty = false;

  constructor(private readonly controller: RunController, private readonly panelOpen: () => boolean) {
    super();
    this.item.name = 'GAN Lens run';
    this.item.command = 'ganLens.openInspector';
    // Snapshots arrive up to 60 times a second; the status bar needs a few updates a second.
    this.register(controller.onDidChange(() => (this.dirty = true)));
    const timer = setInterval(() => this.dirty && this.render(), REFRESH_MS);
    this.register({ dispose: () => clearInterval(timer) });
    this.render();
  }

  private render(): void {
    this.dirty = false;
    const s = this.controller.current;
    if (!s) {
      this.item.hide();
      return;
    }
    const m = s.latest?.metrics;
    const icon = s.state === 'running' ? '$(pulse)' : s.state === 'paused' ? '$(debug-pause)' : s.state === 'failed' ? '$(error)' : '$(circle-outline)';
    const value = m ? formatValue(m.analytic) : '…';
    const unseen = s.state === 'running' && !this.panelOpen();
    this.item.text = `${icon} GAN ${m ? `step ${formatCount(m.step)}` : s.state} · ${s.latest && s.state === 'running' ? formatRate(s.latest.stepsPerSecond) : '—'}/s · ${divergenceSymbol(s.summary?.divergence)} ${value} · ${s.backend ?? ''}${unseen ? ' · panel closed' : ''}`;
    this.item.tooltip = `GAN Lens: ${s.summary?.lossName ?? 'loading'} (${s.state})\nestimating ${s.summary?.estimating ?? '—'}\nbackend ${s.backend ?? '—'}, engine ${s.engine ?? '—'}\n`
      + (unseen ? 'Training goes on with the inspector closed, keeping a core busy (ganLens.pauseWhenPanelClosed pauses it instead).\n' : '')
      + 'Click to open the inspector.';
    this.item.show();
  }
}
