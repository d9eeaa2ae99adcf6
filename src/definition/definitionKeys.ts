import type { GanDefinition } from './types';

/** JSON with function bodies, so an edit inside a custom loss function changes the key. */
function stableText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'function' ? `fn:${String(v)}` : v));
}

/**
 * A change to any of these needs fresh networks or optimisers: the run restarts. Anything else
 * (the loss, critic steps, batch size) is swapped into the running training.
 */
export function structureKey(d: GanDefinition): string {
  return stableText([d.target, d.generator, d.critic, d.generatorOptimizer, d.criticOptimizer, d.seed]);
}

export function lossKey(d: GanDefinition): string {
  return stableText([d.loss, d.criticSteps, d.batchSize]);
}
