/**
 * The cursor of the next page from Sentry's Link header
 * (`<url>; rel="next"; results="true"; cursor="0:100:0"`). Sentry always sends a `next` link; only
 * `results="true"` means the page exists.
 */
export function parseSentryNextCursor(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  for (const link of header.split(/,(?=\s*<)/)) {
    const params = new Map<string, string>();
    for (const part of link.split(';').slice(1)) {
      const match = /^\s*([a-z]+)\s*=\s*"([^"]*)"\s*$/i.exec(part);
      if (match) params.set(match[1]!.toLowerCase(), match[2]!);
    }
    if (params.get('rel') === 'next' && params.get('results') === 'true' && params.get('cursor')) return params.get('cursor');
  }
  return undefined;
}
