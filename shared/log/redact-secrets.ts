import { isSecretKey } from './is-secret-key.js';
import { REDACTED, scrubSecretText } from './scrub-secret-text.js';

// Deeper or larger structures are cut rather than walked: they are never legitimate log context,
// a bounded walk cannot overflow the stack, and a budget stops a small object whose shared
// sub-objects repeat exponentially (`a = [b, b]`, `b = [c, c]` …) from taking forever.
const MAX_DEPTH = 64;
const MAX_OBJECTS = 100_000;

interface Walk {
  /** The objects being walked, outermost first: meeting one again is a cycle. */
  ancestors: object[];
  objectsLeft: number;
}

/**
 * Returns `value` with secrets removed: fields whose name says they hold a credential (see
 * `isSecretKey`) become `"[REDACTED]"`, and credentials recognised inside any string (see
 * `scrubSecretText`) are replaced. Used for log lines, PR bodies and LLM prompts.
 *
 * Pure: the input is never mutated. Copy-on-write: when nothing needed redacting the very same
 * object comes back, so callers (pino) serialise it as they would have anyway. Cycles become
 * `"[Circular]"`, errors keep their prototype with `message`, `stack` and `cause` cleaned, `URL`
 * objects become their cleaned `href`.
 */
export function redactSecrets(value: unknown): unknown {
  return redactValue(value, { ancestors: [], objectsLeft: MAX_OBJECTS }, 0);
}

function redactValue(value: unknown, walk: Walk, depth: number): unknown {
  if (typeof value === 'string') return scrubSecretText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (walk.ancestors.includes(value)) return '[Circular]';
  if (depth >= MAX_DEPTH || walk.objectsLeft-- <= 0) return '[Truncated]';
  walk.ancestors.push(value);
  const result = redactObject(value, walk, depth);
  walk.ancestors.pop();
  return result;
}

function redactObject(value: object, walk: Walk, depth: number): unknown {
  if (Array.isArray(value)) return redactArray(value, walk, depth);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) {
    return redactPlainObject(value as Record<string, unknown>, walk, depth);
  }
  if (value instanceof Error) return redactOwnProperties(value, walk, depth, Reflect.ownKeys(value));
  if (value instanceof URL) {
    const href = scrubSecretText(value.href);
    return href === value.href ? value : href;
  }
  // Dates, buffers, maps and the like serialise through their own toJSON or not at all.
  if ('toJSON' in value || value instanceof Map || value instanceof Set) return value;
  return redactOwnProperties(value, walk, depth, Object.keys(value));
}

function redactArray(items: readonly unknown[], walk: Walk, depth: number): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const cleaned = redactValue(items[i], walk, depth + 1);
    if (copy === undefined && cleaned !== items[i]) copy = items.slice(0, i);
    copy?.push(cleaned);
  }
  return copy ?? (items as unknown[]);
}

function redactField(key: string | symbol, original: unknown, walk: Walk, depth: number): unknown {
  if (typeof key === 'symbol') return original;
  // An empty or missing credential is useful to see ("token: null") and reveals nothing.
  if (isSecretKey(key) && original !== null && original !== undefined && original !== '') return REDACTED;
  return redactValue(original, walk, depth + 1);
}

// The hot path for log context: plain reads, and a copy only from the first changed field on.
function redactPlainObject(source: Record<string, unknown>, walk: Walk, depth: number): object {
  let copy: Record<string, unknown> | undefined;
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const original = source[key];
    const cleaned = redactField(key, original, walk, depth);
    if (copy === undefined && cleaned !== original) {
      copy = Object.create(Object.getPrototypeOf(source)) as Record<string, unknown>;
      for (const earlier of keys.slice(0, i)) setOwn(copy, earlier, source[earlier]);
    }
    if (copy !== undefined) setOwn(copy, key, cleaned);
  }
  return copy ?? source;
}

// Plain assignment of `__proto__` would replace the copy's prototype instead of adding a field.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

// Walks data properties (for errors also the non-enumerable `message`, `stack`, `cause`) and
// builds a copy with the same prototype and descriptors only once one of them changes.
function redactOwnProperties(
  source: object,
  walk: Walk,
  depth: number,
  keys: readonly (string | symbol)[],
): object {
  let copy: object | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string | symbol;
    const descriptor = Object.getOwnPropertyDescriptor(source, key);
    if (descriptor === undefined || !('value' in descriptor)) {
      if (copy !== undefined && descriptor !== undefined) Object.defineProperty(copy, key, descriptor);
      continue;
    }
    const cleaned = redactField(key, descriptor.value, walk, depth);
    if (copy === undefined && cleaned !== descriptor.value) {
      copy = Object.create(Object.getPrototypeOf(source)) as object;
      for (const earlier of keys.slice(0, i)) {
        const kept = Object.getOwnPropertyDescriptor(source, earlier);
        if (kept !== undefined) Object.defineProperty(copy, earlier, kept);
      }
    }
    if (copy !== undefined) Object.defineProperty(copy, key, { ...descriptor, value: cleaned });
  }
  return copy ?? source;
}
