import { asObject, type JsonObject } from '../../../shared/json/read-json-values.js';
import { parseJsonBody } from '../parse-json-body.js';

export { asObject, asString, asText, readEntries, type JsonObject } from '../../../shared/json/read-json-values.js';

/** Parses bytes as one JSON object; anything else (bad JSON, an array, a number) gives undefined. */
export function parseJsonObject(bytes: Buffer): JsonObject | undefined {
  const parsed = parseJsonBody(bytes);
  return parsed.ok ? asObject(parsed.value) : undefined;
}
