/** Builds the engine a run trains on. */
import type { GanDefinition } from '../definition/types';
import type { EngineName, EnginePreference } from '../protocol';
import type { Tf } from './backend';
import { chooseEngine, type TrainingEngine } from './engine';
import { FusedEngine } from './fused/fusedEngine';
import { defaultThreads, fusedKernelProblem } from './fused/kernel';
import { Stepper } from './stepper';
import { TfjsEngine } from './tfjsEngine';

/**
 * A run on the named engine, without the choice: the tests', and the dry run's on tfjs. The
 * fused engine takes `threads` (default: two where there are two cores).
 */
export function engineNamed(tf: Tf, definition: GanDefinition, name: EngineName, threads = defaultThreads()): TrainingEngine {
  return new Stepper(tf, definition, (shapes, initial) => (name === 'fused' ? new FusedEngine(tf, shapes, initial, definition, threads) : new TfjsEngine(tf, shapes, initial, definition)));
}

/** `note` hears why the engine asked for is not the one that runs. */
export function createEngine(tf: Tf, definition: GanDefinition, preference: EnginePreference, note?: (message: string) => void, threads = defaultThreads()): TrainingEngine {
  const choice = chooseEngine(preference, fusedKernelProblem);
  if (choice.note !== undefined) note?.(choice.note);
  return engineNamed(tf, definition, choice.name, threads);
}
