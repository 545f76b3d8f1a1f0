/** Bounds on what one record's attributes may hold, so a hostile or huge line cannot blow up memory. */
export interface AttributeLimits {
  maxKeys: number;
  maxDepth: number;
  maxStringLength: number;
  maxArrayLength: number;
}

export const defaultAttributeLimits: AttributeLimits = { maxKeys: 64, maxDepth: 4, maxStringLength: 2048, maxArrayLength: 32 };

const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * A bounded copy of a record's structured fields without the ones the record already carries as
 * LogRecord fields (`omit`) and without undefined values. Long strings are cut with a marker, deep objects become `'[object]'`,
 * and past `maxKeys` (counted across all depths) the remaining fields are dropped and counted.
 */
export function boundAttributes(
  fields: Record<string, unknown>,
  omit: ReadonlySet<string> = NO_KEYS,
  limits: AttributeLimits = defaultAttributeLimits,
): Record<string, unknown> {
  keysLeft = limits.maxKeys;
  const out: Record<string, unknown> = {};
  let dropped = 0;
  for (const key in fields) {
    if (omit.has(key) || fields[key] === undefined) continue;
    if (keysLeft <= 0) {
      dropped++;
      continue;
    }
    keysLeft--;
    out[key] = boundValue(fields[key], 1, limits);
  }
  if (dropped > 0) out['_droppedKeys'] = dropped;
  return out;
}

/** The key budget of the copy in progress (module state: copies are synchronous and never nest). */
let keysLeft = 0;

function boundValue(value: unknown, depth: number, limits: AttributeLimits): unknown {
  if (typeof value === 'string') {
    return value.length > limits.maxStringLength ? `${value.slice(0, limits.maxStringLength)}…[${value.length - limits.maxStringLength} more]` : value;
  }
  if (typeof value !== 'object' || value === null) return typeof value === 'bigint' ? String(value) : value;
  if (depth >= limits.maxDepth) return Array.isArray(value) ? '[array]' : '[object]';
  if (Array.isArray(value)) {
    const items = value.slice(0, limits.maxArrayLength).map((item) => boundValue(item, depth + 1, limits));
    if (value.length > limits.maxArrayLength) items.push(`…[${value.length - limits.maxArrayLength} more]`);
    return items;
  }
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const key in value as Record<string, unknown>) {
    if (keysLeft <= 0) break;
    if ((value as Record<string, unknown>)[key] === undefined) continue;
    keysLeft--;
    out[key] = boundValue((value as Record<string, unknown>)[key], depth + 1, limits);
  }
  return out;
}
