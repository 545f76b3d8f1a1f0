/** One Datadog tag, `key:value` split at the first colon; a bare tag (`monitor`) has an empty value. */
export interface DatadogTag {
  key: string;
  value: string;
}

/** Splits `$TAGS` ("env:prod, service:checkout, monitor") into tags, in order, blanks dropped. */
export function parseDatadogTags(input: string | string[] | undefined): DatadogTag[] {
  const items = Array.isArray(input) ? input : (input ?? '').split(',');
  return items.flatMap((item) => {
    const text = item.trim();
    if (!text) return [];
    const colon = text.indexOf(':');
    // Values may hold colons themselves (`url:https://…`), keys never do.
    return colon < 0 ? [{ key: text, value: '' }] : [{ key: text.slice(0, colon).trim(), value: text.slice(colon + 1).trim() }];
  });
}

/** The tags as a record; a record holds one value per key, so the first of a repeated key wins. */
export function recordDatadogTags(tags: DatadogTag[]): Record<string, string> {
  const first = new Map<string, string>();
  for (const { key, value } of tags) if (key && !first.has(key)) first.set(key, value);
  // fromEntries defines own properties, so a tag named `__proto__` stays a tag.
  return Object.fromEntries(first);
}
