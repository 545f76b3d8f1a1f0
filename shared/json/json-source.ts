/**
 * The UTF-8 JSON text a parsed object was read from, where it means exactly that object. An encoder
 * can then copy the bytes instead of serialising the object again: an alert carries the payload it
 * came from (`raw`), up to 64 KiB, and serialising it was a third of encoding a Sentry alert.
 *
 * Only for values nobody changes after parsing: the association is by identity, so a parsed body
 * edited in place would be encoded as it arrived, not as it was edited.
 */
const sources = new WeakMap<object, Uint8Array>();

export function rememberJsonSource(value: object, bytes: Uint8Array): void {
  sources.set(value, bytes);
}

/** The bytes `value` was parsed from, if they were remembered. */
export function jsonSourceOf(value: unknown): Uint8Array | undefined {
  return typeof value === 'object' && value !== null ? sources.get(value) : undefined;
}
