/** A frame path made repository-like ("src/orders/price.ts"), or why it could not be. */
export type NormalizedFramePath =
  | { ok: true; path: string; segments: string[] }
  | { ok: false; reason: 'no-path' | 'rejected-path'; detail: string };

const MAX_PATH_LENGTH = 2048;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Strips what deployment and bundling add to a frame's path — URL schemes (`app://`, `webpack://ns/`,
 * `file://`, `http://host`), query strings, drive letters, the configured prefixes, `./` — and rejects paths
 * that could not name a tracked file or look like an attempt to smuggle options or pathspec magic into git.
 */
export function normalizeFramePath(raw: string, pathPrefixes: readonly string[] = []): NormalizedFramePath {
  const shown = JSON.stringify(raw.length > 120 ? `${raw.slice(0, 120)}…` : raw);
  const reject = (why: string): NormalizedFramePath => ({ ok: false, reason: 'rejected-path', detail: `${shown} was rejected: ${why}` });
  if (raw.trim() === '') return { ok: false, reason: 'no-path', detail: 'the frame has no path' };
  if (raw.length > MAX_PATH_LENGTH) return reject('it is too long to be a source path');
  if (CONTROL_CHARACTERS.test(raw)) return reject('it contains control characters');

  let path = stripUrl(raw.trim());
  if (/%[0-9a-f]{2}/i.test(path)) {
    try {
      path = decodeURIComponent(path);
    } catch {
      return reject('it has malformed percent-encoding');
    }
    if (CONTROL_CHARACTERS.test(path)) return reject('it contains control characters');
  }
  path = path.replace(/\\/g, '/').replace(/^[a-z]:\//i, '/').replace(/^~\//, '/');
  path = stripPrefix(path, pathPrefixes);

  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return reject('it climbs out of its root with ".."');
  if (segments.length === 0) return { ok: false, reason: 'no-path', detail: `${shown} names no file` };
  const first = segments[0]!;
  if (first.startsWith('-')) return reject('it starts with "-", which git would read as an option');
  if (first.startsWith(':')) return reject('it starts with ":", which git would read as pathspec magic');
  return { ok: true, path: segments.join('/'), segments };
}

function stripUrl(raw: string): string {
  let path = raw;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)/i.exec(path);
  if (scheme) {
    // Everything after the authority is the path: `app:///src/x.js`, `webpack://shop/./src/x.ts`, `https://cdn/x.js`.
    path = path.slice(scheme[0].length);
    path = path.replace(/[?#].*$/, '');
  }
  return path;
}

function stripPrefix(path: string, pathPrefixes: readonly string[]): string {
  const prefixes = pathPrefixes
    .map((prefix) => prefix.replace(/\\/g, '/').replace(/\/+$/, ''))
    .filter((prefix) => prefix !== '' && prefix !== '/')
    .sort((a, b) => b.length - a.length);
  for (const prefix of prefixes) {
    // Absolute prefixes match from the start; relative ones ("dist") match with or without a leading slash.
    const candidates = prefix.startsWith('/') ? [prefix] : [prefix, `/${prefix}`];
    for (const candidate of candidates) {
      if (path === candidate) return '';
      if (path.startsWith(`${candidate}/`)) return path.slice(candidate.length + 1);
    }
  }
  return path;
}
