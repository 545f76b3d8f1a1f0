import { parseJsonObject, type JsonObject } from './read-json-values.js';

/** More items than any SDK sends in one envelope; the cap bounds the work a hostile body can cause. */
export const MAX_ENVELOPE_ITEMS = 100;

const NEWLINE = 0x0a;

export interface EnvelopeItem {
  header: JsonObject & { type: string };
  /** A view into the body: binary attachments stay bytes, nothing is decoded until needed. */
  payload: Buffer;
}

export interface Envelope {
  header: JsonObject;
  items: EnvelopeItem[];
}

export type EnvelopeParse =
  | { ok: true; envelope: Envelope }
  | { ok: false; problem: 'bad-envelope' | 'too-many-items'; detail: string };

function readLine(body: Buffer, offset: number): { line: Buffer; next: number } {
  const end = body.indexOf(NEWLINE, offset);
  return end === -1 ? { line: body.subarray(offset), next: body.length } : { line: body.subarray(offset, end), next: end + 1 };
}

function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === NEWLINE;
}

/** True when nothing but whitespace is left: extra trailing newlines end the envelope. */
function onlyWhitespaceFrom(body: Buffer, offset: number): boolean {
  // Stops at the first other byte, so scanning stays linear over the whole parse.
  for (let i = offset; i < body.length; i++) if (!isWhitespace(body[i])) return false;
  return true;
}

function bad(detail: string): EnvelopeParse {
  return { ok: false, problem: 'bad-envelope', detail };
}

/**
 * Splits a Sentry envelope: a header line, then items of an item-header line and a payload. A payload
 * is `length` bytes when the item header gives one (binary, may hold newlines), else the rest of its
 * line. One pass with `indexOf` over views of the body: no splitting into lines, no copies.
 */
export function parseEnvelope(body: Buffer, { maxItems = MAX_ENVELOPE_ITEMS } = {}): EnvelopeParse {
  const first = readLine(body, 0);
  const header = parseJsonObject(first.line);
  if (!header) return bad('the envelope header (the first line) is not a JSON object');
  const items: EnvelopeItem[] = [];
  let offset = first.next;
  while (offset < body.length) {
    if (isWhitespace(body[offset]) && onlyWhitespaceFrom(body, offset)) break;
    const n = items.length + 1;
    if (n > maxItems) return { ok: false, problem: 'too-many-items', detail: `the envelope has more than ${maxItems} items` };
    const line = readLine(body, offset);
    const itemHeader = parseJsonObject(line.line);
    if (!itemHeader || typeof itemHeader.type !== 'string') return bad(`item ${n}: the item header is not a JSON object with a "type"`);
    // `{ type, ...itemHeader }` below, not `{ ...itemHeader, type }`: in Node 20's V8 every literal that
    // opens with a spread and adds properties is promoted out of the young generation
    // (tests/integration/young-objects.test.ts).
    const length = itemHeader.length;
    if (length === undefined || length === null) {
      const payload = readLine(body, line.next);
      items.push({ header: { type: itemHeader.type, ...itemHeader }, payload: payload.line });
      offset = payload.next;
      continue;
    }
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) return bad(`item ${n}: "length" is not a whole number of bytes`);
    const end = line.next + length;
    if (end > body.length) return bad(`item ${n}: "length" is ${length} bytes but only ${body.length - line.next} follow`);
    if (end < body.length && body[end] !== NEWLINE) return bad(`item ${n}: the ${length}-byte payload is not followed by a newline`);
    items.push({ header: { type: itemHeader.type, ...itemHeader }, payload: body.subarray(line.next, end) });
    offset = end + 1;
  }
  return { ok: true, envelope: { header, items } };
}
