/**
 * A comparison's wall-clock time with its runs one at a time and two at a time: the same cells
 * (session/compareRuns.ts, as `gan-lens compare --jobs 1` and `--jobs 2` run them), timed from
 * the plan to the last result. Two workers on two cores should take about half as long; the
 * figure is reported, never asserted.
 */
import { planCompare, presetDefinition, runCompare } from '../session/compareRuns';

export interface CompareJobsPoint {
  readonly jobs: number;
  readonly seconds: number;
}

export interface CompareJobs {
  readonly definitions: readonly string[];
  readonly seeds: readonly number[];
  readonly steps: number;
  readonly points: readonly CompareJobsPoint[];
}

const DEFINITIONS = ['non-saturating', 'minimax'];

export async function measureCompareJobs(steps: number, seeds: readonly number[], jobs: readonly number[] = [1, 2]): Promise<CompareJobs> {
  const definitions = DEFINITIONS.map(presetDefinition);
  const points: CompareJobsPoint[] = [];
  for (const k of jobs) {
    const settings = { steps, jobs: k, backend: 'auto', engine: 'auto' } as const;
    const started = performance.now();
    const plan = await planCompare(definitions, seeds, settings);
    if (!plan.ok) throw new Error(plan.reason);
    const results = await runCompare(plan, settings);
    const failed = results.find((r) => r?.error !== undefined);
    if (failed) throw new Error(`${failed.definition} seed ${failed.seed} failed: ${failed.error}`);
    points.push({ jobs: k, seconds: (performance.now() - started) / 1000 });
  }
  return { definitions: DEFINITIONS, seeds, steps, points };
}
