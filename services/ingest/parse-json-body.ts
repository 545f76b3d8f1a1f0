/**
 * Deeper than any webhook or SDK event nests. Everything downstream walks the value recursively
 * (JSON.stringify on publish, zod, the store), so a body nested thousands deep would overflow the
 * stack there, after it was authenticated, as a 5xx that makes the sender retry it forever.
 */
export const MAX_JSON_DEPTH = 128;

export type JsonBodyParse = { ok: true; value: unknown } | { ok: false; detail: string };

/** Nesting depth of valid JSON text: brackets outside strings. */
function exceedsDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** `\u0000` and lone-surrogate escapes: JSON allows them, PostgreSQL text and jsonb refuse them. */
const UNSTORABLE_ESCAPE = /\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

function cleanString(value: string): string {
  return (value.replaceAll('\u0000', '\uFFFD') as string & { toWellFormed(): string }).toWellFormed();
}

function cleanValue(value: unknown): unknown {
  if (typeof value === 'string') return cleanString(value);
  if (Array.isArray(value)) return value.map(cleanValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [cleanString(key), cleanValue(item)]));
  }
  return value;
}

/**
 * Parses a delivery's JSON, refusing nesting deeper than `MAX_JSON_DEPTH`, and replaces NUL and
 * lone surrogates in strings with U+FFFD: an alert carrying one is still an alert, and once
 * acknowledged it must be storable by every store (PostgreSQL rejects both).
 */
export function parseJsonBody(body: Buffer | string, maxDepth = MAX_JSON_DEPTH): JsonBodyParse {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, detail: `the body is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (exceedsDepth(text, maxDepth)) return { ok: false, detail: `the body is nested deeper than ${maxDepth} levels` };
  return { ok: true, value: UNSTORABLE_ESCAPE.test(text) ? cleanValue(value) : value };
}
