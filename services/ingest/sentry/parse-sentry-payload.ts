/** A vendor payload as a normaliser read it: the data, or the first offending field as a dotted path. */
export type ParsedPayload<T> = { ok: true; data: T } | { ok: false; field: string; detail: string };

export type PayloadProblem = Extract<ParsedPayload<unknown>, { ok: false }>;

/** The answer for a payload whose `field` (a dotted path, `(root)` for the body) is unusable. */
export function payloadProblem(field: string, message: string): PayloadProblem {
  return { ok: false, field, detail: `${field}: ${message}` };
}

/** How a JSON value's type is named in problems: `null` and `array` apart from `object`. */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** The problem of a required field of the wrong type, worded as the schemas this replaced worded it. */
export function wrongType(field: string, expected: 'object' | 'string', value: unknown): PayloadProblem {
  return payloadProblem(field, `Invalid input: expected ${expected}, received ${jsonTypeOf(value)}`);
}
