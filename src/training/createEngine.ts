/** Builds the engine a definition runs on, and moves a running training between engines. */
import type { GanDefinition } from '../definition/types';
import type { EngineName, EnginePreference } from '../protocol';
import type { Tf } from './backend';
import { chooseEngine, type TrainingEngine } from './engine';
import { FusedEngine } from './fused/fusedEngine';
import { fusedKernelProblem } from './fused/kernel';
import { Stepper } from './stepper';
import { TfjsEngine } from './tfjsEngine';

/** A run on the named engine, without the choice: the tests', and the dry run's on tfjs. */
export function engineNamed(tf: Tf, definition: GanDefinition, name: EngineName): TrainingEngine {
  return new Stepper(tf, definition, (shapes, initial) => (name === 'fused' ? new FusedEngine(tf, shapes, initial, definition) : new TfjsEngine(tf, shapes, initial, definition)));
}

/** `note` hears why the engine asked for is not the one that runs. */
export function createEngine(tf: Tf, definition: GanDefinition, preference: EnginePreference, note?: (message: string) => void): TrainingEngine {
  const choice = chooseEngine(definition, preference, fusedKernelProblem);
  if (choice.note !== undefined) note?.(choice.note);
  return engineNamed(tf, definition, choice.name);
}

/**
 * The engine for a changed loss: the same one when it still fits, else a new engine carrying on
 * from the old one's weights, optimiser state and step (both save the same checkpoint names).
 * A loss that gains a gradient penalty moves a fused run to tfjs this way, and back.
 */
export async function engineForLoss(tf: Tf, current: TrainingEngine, definition: GanDefinition, preference: EnginePreference, note?: (message: string) => void): Promise<TrainingEngine> {
  if (chooseEngine(definition, preference, fusedKernelProblem).name === current.name) {
    current.replaceLoss(definition);
    return current;
  }
  const next = createEngine(tf, definition, preference, note);
  try {
    await next.restoreState(await current.saveState(), current.step);
  } catch (e) {
    next.dispose();
    throw e;
  }
  current.dispose();
  return next;
}
