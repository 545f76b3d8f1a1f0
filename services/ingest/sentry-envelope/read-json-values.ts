/** A JSON object as parsed, fields still unchecked. */
export type JsonObject = Record<string, unknown>;

/** The value as a JSON object, or undefined for arrays, null and scalars. */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** A non-empty string, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Scalars as text (tag values may be numbers or booleans); objects and null give undefined. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Sentry sends maps (tags, headers) either as an object or as `[key, value]` pairs; this reads both. */
export function readEntries(value: unknown): [string, unknown][] {
  if (Array.isArray(value)) {
    return value.flatMap((pair): [string, unknown][] =>
      Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' ? [[pair[0], pair[1]]] : [],
    );
  }
  const object = asObject(value);
  return object ? Object.entries(object) : [];
}

/** Parses bytes as one JSON object; anything else (bad JSON, an array, a number) gives undefined. */
export function parseJsonObject(bytes: Buffer): JsonObject | undefined {
  try {
    return asObject(JSON.parse(bytes.toString('utf8')));
  } catch {
    return undefined;
  }
}
