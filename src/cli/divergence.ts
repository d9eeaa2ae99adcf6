/**
 * `gan-lens divergence --data <json> --model <json> [--json]`: every divergence of the catalog
 * between two mixtures. In 1-D, Gaussian and uniform parts, by adaptive quadrature split at the
 * uniforms' edges (core/exact.ts). In 2-D (a mean [x, y]), Gaussian components as the API
 * takes them, the f-divergences by tensor quadrature (core/exact2d.ts) and W₁ by exact
 * transport on a lattice, whose distance from the continuous W₁ is bounded and printed
 * (`wasserstein1_bound`). JSON keys are those of the reference file, infinite values the
 * string "inf". Invalid input: one line on `err` naming the problem, exit code 2.
 */
import { divergencesBetween } from '../core/analytic';
import { createDataTarget, targetDimension, type AnyTargetSpec } from '../core/dataTarget';
import { DIVERGENCE_JSON_KEYS, DIVERGENCE_LABELS, DIVERGENCE_NAMES, type DivergenceValues } from '../core/divergences';
import { divergencesBetween2D } from '../core/exact2d';
import { createTarget, parseMixtureJson, TargetError, type Density1D } from '../core/targets';
import type { Target2D } from '../core/targets2d';
import { wasserstein1Between2D, type TargetsW1 } from '../core/transport';
import { formatValue } from '../numberFormat';
import { table } from './format';

export interface DivergenceCommandOptions {
  /** P as mixture JSON: '[{"weight":0.5,"mean":-2,"std":0.5}, {"weight":0.5,"lo":1,"hi":2}, …]', or in 2-D '[{"weight":1,"mean":[0,0],"std":[1,0.5]}, {"mean":[2,1],"cov":[[1,0.3],[0.3,0.5]]}]'. */
  readonly data: string;
  /** Q, same form and dimension. */
  readonly model: string;
  readonly json: boolean;
}

type Mixture =
  | { readonly dataDim: 1; readonly density: Density1D; readonly description: string }
  | { readonly dataDim: 2; readonly target: Target2D; readonly description: string };

/** JSON has no infinities: they are written as strings, like the reference file does. */
function jsonValue(v: number): number | string {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Number.isNaN(v)) return 'nan';
  return v;
}

/** An array whose first component has a mean [x, y] is 2-D (dataTarget.ts decides); anything else, bad JSON included, goes to the 1-D parser. */
function mixture(flag: string, text: string): Mixture {
  try {
    let components: unknown;
    try {
      components = JSON.parse(text);
    } catch {
      components = undefined;
    }
    const spec = { kind: 'mixture', components };
    if (Array.isArray(components) && targetDimension(spec) === 2) {
      const t = createDataTarget(spec as AnyTargetSpec);
      if (t.dataDim === 2) return { dataDim: 2, target: t.target, description: t.description };
    }
    const density = createTarget(parseMixtureJson(text));
    return { dataDim: 1, density, description: density.description };
  } catch (e) {
    if (e instanceof TargetError) throw new TargetError(e.field, `${flag}: ${e.message}`);
    throw e;
  }
}

/** Returns the exit code: 0, or 2 after writing one line to `err` when an argument is invalid. */
export function runDivergenceCommand(opts: DivergenceCommandOptions, out: (line: string) => void, err: (line: string) => void): number {
  let p: Mixture;
  let q: Mixture;
  try {
    p = mixture('--data', opts.data);
    q = mixture('--model', opts.model);
  } catch (e) {
    if (!(e instanceof TargetError)) throw e;
    err(`gan-lens divergence: ${e.message.split('\n')[0]}`);
    return 2;
  }
  if (p.dataDim !== q.dataDim) {
    err(`gan-lens divergence: --model: a ${q.dataDim}-D mixture, but --data is ${p.dataDim}-D: both must have the same dimension`);
    return 2;
  }
  let values: DivergenceValues;
  let w1: TargetsW1 | undefined;
  if (p.dataDim === 2 && q.dataDim === 2) {
    w1 = wasserstein1Between2D(p.target, q.target);
    values = { ...divergencesBetween2D(p.target, q.target), wasserstein1: w1.value };
  } else if (p.dataDim === 1 && q.dataDim === 1) {
    values = divergencesBetween(p.density, q.density);
  } else throw new Error('unreachable: dimensions checked above');
  if (opts.json) {
    const object: Record<string, number | string> = Object.fromEntries(DIVERGENCE_NAMES.map((name) => [DIVERGENCE_JSON_KEYS[name], jsonValue(values[name])]));
    if (w1) object['wasserstein1_bound'] = w1.bound;
    for (const line of JSON.stringify(object, null, 2).split('\n')) out(line);
    return 0;
  }
  out(`P (data):  ${p.description}`);
  out(`Q (model): ${q.description}`);
  out('');
  const label = (name: (typeof DIVERGENCE_NAMES)[number]): string => {
    if (name !== 'wasserstein1' || !w1) return DIVERGENCE_LABELS[name];
    const exact = w1.optimal ? 'exact' : 'an upper bound (pivot cap reached)';
    return `W₁ ${exact} on a ${w1.side}² lattice, within ±${formatValue(w1.bound, 2)} of the continuous value`;
  };
  const rows = DIVERGENCE_NAMES.map((name) => [DIVERGENCE_JSON_KEYS[name], formatValue(values[name], 10), label(name)]);
  for (const line of table([['divergence', 'value', 'what is computed'], ...rows])) out(line);
  return 0;
}
