/**
 * Anything thrown, turned into text: the one place that does it, for every layer (a loss file
 * may throw `null`, an object whose `toString` throws, an Error from another realm whose
 * `message` getter throws, a revoked Proxy). Never throws itself.
 */
import { types } from 'node:util';

/** A short description of any value, for messages like `must be a number, got an array`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'function') return 'a function';
  if (value === null) return 'null';
  // `10n` and not `10`: a BigInt is not the number it prints as.
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'object') return isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/** Array.isArray throws on a revoked Proxy; such a value is no array (nor object) we can use. */
export function isArray(v: unknown): v is unknown[] {
  try {
    return Array.isArray(v);
  } catch {
    return false;
  }
}

/** The message of a thrown value (an Error's message, a string as it is, anything else described). */
export function describeThrown(e: unknown): string {
  try {
    // isNativeError, not instanceof: errors thrown by a loss file come from its own vm context.
    if (types.isNativeError(e)) {
      const message: unknown = e.message;
      return typeof message === 'string' ? message : describeValue(message);
    }
    if (typeof e === 'string') return e;
    if (typeof e === 'object' && e !== null) {
      try {
        return String(e);
      } catch {
        return 'threw an object that cannot be printed';
      }
    }
    return `threw ${describeValue(e)}`;
  } catch {
    return 'threw a value that cannot be printed';
  }
}

/** The stack of a native error, or '' — read without trusting it (its getters may throw). */
export function stackOf(e: unknown): string {
  try {
    if (!types.isNativeError(e)) return '';
    const stack: unknown = e.stack;
    return typeof stack === 'string' ? stack : '';
  } catch {
    return '';
  }
}

/** For logs: the stack where there is one, else the message. */
export function describeThrownWithStack(e: unknown): string {
  return stackOf(e) || describeThrown(e);
}

/** The first line of the message, for one-line reports. */
export function firstLineOf(e: unknown): string {
  return describeThrown(e).split('\n')[0] ?? '';
}
