/**
 * Warnings about the mathematics of a custom divergence, checked numerically on a test grid:
 * f(1) = 0, f convex, the conjugate really bounds sup_u {ut − f(u)} from above, and the output
 * activation stays inside dom f*. Mistakes here train silently but estimate nonsense.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { Problem } from '../protocol';
import { findFieldPosition } from './fieldPosition';
import { describeThrown } from '../errors';
import type { CustomFDivergence, GanDefinition } from './types';

type Tf = typeof TfCore;

/** u on a log grid from 1e-3 to 1e3: where p/q lives for any sensible pair of densities. */
const U = Array.from({ length: 121 }, (_, i) => Math.exp(Math.log(1e-3) + (i / 120) * Math.log(1e6)));
const V = Array.from({ length: 41 }, (_, i) => -5 + i * 0.25);
const TOL = 1e-6;

function checkF(f: (u: number) => number, name: string): string[] {
  const out: string[] = [];
  let f1: number;
  try {
    f1 = f(1);
  } catch (e) {
    return [`f of '${name}' throws at u = 1: ${describeThrown(e)}`];
  }
  if (!(Math.abs(f1) < 1e-9)) out.push(`f of '${name}' has f(1) = ${f1.toPrecision(4)}; an f-divergence needs f(1) = 0 (otherwise D_f(P‖P) ≠ 0)`);
  for (let i = 1; i < U.length - 1; i++) {
    const [a, b, c] = [U[i - 1]!, U[i]!, U[i + 1]!];
    // Convexity on an uneven grid: the chord from a to c lies above f(b).
    const chord = f(a) + ((f(c) - f(a)) * (b - a)) / (c - a);
    if (f(b) > chord + TOL * (1 + Math.abs(chord))) {
      out.push(`f of '${name}' is not convex near u = ${b.toPrecision(3)}`);
      break;
    }
  }
  return out;
}

function checkConjugate(tf: Tf, d: CustomFDivergence): string[] {
  const out: string[] = [];
  const t = tf.tidy(() => Array.from(d.activation(tf.tensor1d(V), tf).dataSync()));
  const fStar = tf.tidy(() => Array.from(d.conjugate(tf.tensor1d(t), tf).dataSync()));
  for (let i = 0; i < t.length; i++) {
    const ti = t[i]!;
    const sup = Math.max(...U.map((u) => u * ti - d.f(u)));
    if (!Number.isFinite(fStar[i]!)) {
      out.push(`activation of '${d.name}' leaves dom f*: f*(${ti.toPrecision(3)}) is not finite (at v = ${V[i]})`);
      break;
    }
    if (fStar[i]! < sup - 1e-4 * (1 + Math.abs(sup))) {
      out.push(`conjugate of '${d.name}' is not the convex conjugate of f: f*(${ti.toPrecision(3)}) = ${fStar[i]!.toPrecision(4)} < sup_u {ut − f(u)} ≥ ${sup.toPrecision(4)}`);
      break;
    }
  }
  return out;
}

export function lintDefinition(tf: Tf, def: GanDefinition, text: string, file: string): Problem[] {
  const loss = def.loss;
  const messages: string[] = [];
  try {
    if (loss.kind === 'fgan' && typeof loss.divergence !== 'string') {
      messages.push(...checkF((u) => (loss.divergence as CustomFDivergence).f(u), loss.divergence.name), ...checkConjugate(tf, loss.divergence));
    } else if (loss.kind === 'custom' && typeof loss.divergence === 'object') {
      const d = loss.divergence;
      messages.push(...checkF((u) => d.f(u), d.name));
    }
  } catch (e) {
    // Whatever the person's functions threw, read safely: a lint must never fail the load.
    messages.push(`could not check the custom divergence: ${describeThrown(e).slice(0, 300)}`);
  }
  const at = findFieldPosition(text, 'loss');
  return messages.map((message) => ({ severity: 'warning', message, file, ...(at ?? {}) }));
}
