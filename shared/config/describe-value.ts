import { scrubSecretText } from '../log/scrub-secret-text.js';

const MAX_SHOWN_CHARACTERS = 60;

/**
 * How a found value reads after "got": `"six"`, `70000`, `a list`, `nothing`. A secret's text is
 * never shown, and credentials inside any other string (a URL's password) are masked, because
 * error messages end up in terminals, CI logs and bug reports.
 */
export function describeValue(value: unknown, { secret = false } = {}): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    if (secret) return `a string of ${value.length} characters`;
    const shown = scrubSecretText(value);
    return JSON.stringify(shown.length > MAX_SHOWN_CHARACTERS ? `${shown.slice(0, MAX_SHOWN_CHARACTERS)}…` : shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return secret ? `a ${typeof value}` : String(value);
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? 'an empty list' : `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  }
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}
