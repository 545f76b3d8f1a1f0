import type { IncomingHttpHeaders } from 'node:http';

/** A request header as one trimmed string; absent, empty or repeated (an array) reads as undefined. */
export function readHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
