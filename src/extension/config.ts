/** Typed, validated access to the `ganLens.*` settings. */
import * as vscode from 'vscode';
import { clampResolution } from '../core/planeResolution';
import { BACKEND_PREFERENCES, ENGINE_PREFERENCES, isOneOf, type BackendPreference, type EnginePreference } from '../protocol';

export interface GanLensConfig {
  readonly reload: 'onSave' | 'onType';
  readonly reloadDelayMs: number;
  readonly snapshotRate: number;
  readonly gridSize: number;
  readonly latentSamples: number;
  readonly latticeSide: number;
  readonly latentSide: number;
  readonly snapshotThread: boolean;
  readonly historyLength: number;
  readonly backend: BackendPreference;
  readonly engine: EnginePreference;
  readonly stepTimeLimitMs: number;
  readonly writeTscConfig: boolean;
  readonly warmUp: boolean;
  readonly pauseWhenPanelClosed: boolean;
}

function clampInt(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return isOneOf(allowed, value) ? value : fallback;
}

export function readConfig(): GanLensConfig {
  const c = vscode.workspace.getConfiguration('ganLens');
  return {
    reload: oneOf(c.get('reload'), ['onSave', 'onType'], 'onSave'),
    reloadDelayMs: clampInt(c.get('reloadDelayMs'), 300, 50, 5000),
    snapshotRate: clampInt(c.get('snapshotRate'), 30, 1, 60),
    gridSize: clampInt(c.get('gridSize'), 512, 64, 8192),
    latentSamples: clampInt(c.get('latentSamples'), 20000, 1000, 200000),
    latticeSide: clampResolution('latticeSide', c.get('latticeSide')),
    latentSide: clampResolution('latentSide', c.get('latentSide')),
    snapshotThread: c.get('snapshotThread') !== false,
    historyLength: clampInt(c.get('historyLength'), 2000, 100, 100000),
    backend: oneOf(c.get('backend'), BACKEND_PREFERENCES, 'auto'),
    engine: oneOf(c.get('engine'), ENGINE_PREFERENCES, 'auto'),
    stepTimeLimitMs: clampInt(c.get('stepTimeLimitMs'), 10000, 1000, 600000),
    writeTscConfig: c.get('writeTscConfig') === true,
    warmUp: c.get('warmUp') !== false,
    pauseWhenPanelClosed: c.get('pauseWhenPanelClosed') === true,
  };
}
