import { parseJsonBody } from '../parse-json-body.js';

/** One sampled log line: its message and its attributes (dotted keys, lower-cased, `@` dropped). */
export interface SampledLog {
  message: string;
  attributes: Record<string, string>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function attributeName(key: string): string {
  return key.trim().replace(/^@/, '').toLowerCase();
}

/** Flattens nested attributes (`{dd: {trace_id: 1}}` → `dd.trace_id`), a few levels deep. */
function flatten(value: unknown, prefix: string, into: Record<string, string>, depth: number): void {
  if (isObject(value)) {
    if (depth >= 4) return;
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${attributeName(key)}` : attributeName(key), into, depth + 1);
  } else if ((typeof value === 'string' || typeof value === 'number') && prefix) {
    into[prefix] = String(value);
  }
}

function readRow(row: unknown, columns: string[]): SampledLog | undefined {
  if (!isObject(row)) return undefined;
  const attributes: Record<string, string> = {};
  // Datadog's documented shape: `columns` names the cells of each row's `items`.
  if (Array.isArray(row.items)) {
    row.items.forEach((item, i) => {
      const column = columns[i];
      if (column && (typeof item === 'string' || typeof item === 'number')) attributes[attributeName(column)] = String(item);
    });
  }
  flatten(row.attributes, '', attributes, 0);
  return { message: typeof row.message === 'string' ? row.message : '', attributes };
}

/**
 * The log lines of `$LOGS_SAMPLE` (`{columns, label, rows: [{items, message}]}`), whether it came as
 * JSON or, quoted in the template, as a string holding JSON. Anything else is no sample: it is
 * evidence, so a malformed one must not cost the alert.
 */
export function decodeLogsSample(value: unknown): SampledLog[] {
  let sample = value;
  if (typeof sample === 'string') {
    const parsed = parseJsonBody(sample);
    if (!parsed.ok) return [];
    sample = parsed.value;
  }
  if (!isObject(sample) || !Array.isArray(sample.rows)) return [];
  const columns = Array.isArray(sample.columns) ? sample.columns.map((c) => (typeof c === 'string' ? c : '')) : [];
  return sample.rows.flatMap((row) => readRow(row, columns) ?? []);
}
