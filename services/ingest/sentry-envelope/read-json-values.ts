import { asObject, type JsonObject } from '../../../shared/json/read-json-values.js';

export { asObject, asString, asText, readEntries, type JsonObject } from '../../../shared/json/read-json-values.js';

/** Parses bytes as one JSON object; anything else (bad JSON, an array, a number) gives undefined. */
export function parseJsonObject(bytes: Buffer): JsonObject | undefined {
  try {
    return asObject(JSON.parse(bytes.toString('utf8')));
  } catch {
    return undefined;
  }
}
