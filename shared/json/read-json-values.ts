/** A JSON object as parsed, fields still unchecked. */
export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** A non-empty string, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Scalars as text; objects and null give undefined. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Maps (tags, headers, query) as Sentry sends them: an object, `[key, value]` pairs, or — in the REST
 * API's tags — `{ key, value }` items.
 */
export function readEntries(value: unknown): [string, unknown][] {
  if (Array.isArray(value)) {
    return value.flatMap((item): [string, unknown][] => {
      if (Array.isArray(item) && item.length === 2 && typeof item[0] === 'string') return [[item[0], item[1]]];
      const pair = asObject(item);
      return pair && typeof pair.key === 'string' ? [[pair.key, pair.value]] : [];
    });
  }
  const object = asObject(value);
  return object ? Object.entries(object) : [];
}
