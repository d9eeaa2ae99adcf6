/**
 * `gan-lens divergence --data <json> --model <json> [--json]`: every divergence of the catalog
 * between two mixtures of Gaussian and uniform parts, by adaptive quadrature split at the
 * uniforms' edges (core/exact.ts). JSON keys are those
 * of the reference file, infinite values the string "inf". Invalid input: one line on `err`
 * naming the problem, exit code 2.
 */
import { divergencesBetween } from '../core/analytic';
import { DIVERGENCE_JSON_KEYS, DIVERGENCE_LABELS, DIVERGENCE_NAMES } from '../core/divergences';
import { createTarget, parseMixtureJson, TargetError, type Density1D } from '../core/targets';
import { formatValue } from '../numberFormat';
import { table } from './format';

export interface DivergenceCommandOptions {
  /** P as mixture JSON: '[{"weight":0.5,"mean":-2,"std":0.5}, {"weight":0.5,"lo":1,"hi":2}, …]'. */
  readonly data: string;
  /** Q, same form. */
  readonly model: string;
  readonly json: boolean;
}

/** JSON has no infinities: they are written as strings, like the reference file does. */
function jsonValue(v: number): number | string {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Number.isNaN(v)) return 'nan';
  return v;
}

function mixture(flag: string, text: string): Density1D {
  try {
    return createTarget(parseMixtureJson(text));
  } catch (e) {
    if (e instanceof TargetError) throw new TargetError(e.field, `${flag}: ${e.message}`);
    throw e;
  }
}

/** Returns the exit code: 0, or 2 after writing one line to `err` when an argument is invalid. */
export function runDivergenceCommand(opts: DivergenceCommandOptions, out: (line: string) => void, err: (line: string) => void): number {
  let p: Density1D;
  let q: Density1D;
  try {
    p = mixture('--data', opts.data);
    q = mixture('--model', opts.model);
  } catch (e) {
    if (!(e instanceof TargetError)) throw e;
    err(`gan-lens divergence: ${e.message.split('\n')[0]}`);
    return 2;
  }
  const values = divergencesBetween(p, q);
  if (opts.json) {
    const object = Object.fromEntries(DIVERGENCE_NAMES.map((name) => [DIVERGENCE_JSON_KEYS[name], jsonValue(values[name])]));
    for (const line of JSON.stringify(object, null, 2).split('\n')) out(line);
    return 0;
  }
  out(`P (data):  ${p.description}`);
  out(`Q (model): ${q.description}`);
  out('');
  const rows = DIVERGENCE_NAMES.map((name) => [DIVERGENCE_JSON_KEYS[name], formatValue(values[name], 10), DIVERGENCE_LABELS[name]]);
  for (const line of table([['divergence', 'value', 'what is computed'], ...rows])) out(line);
  return 0;
}
