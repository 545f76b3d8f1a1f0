/** A configured attribute name, split once so nested shapes (`{ http: { url } }`) resolve as well as flat `http.url`. */
export interface AttributePath {
  key: string;
  path: readonly string[];
}

export function compileAttributePaths(keys: readonly string[]): AttributePath[] {
  return keys.map((key) => ({ key, path: key.split('.') }));
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** The first configured attribute present as a non-empty string or number, as a string. */
export function readFirstAttribute(attributes: Record<string, unknown>, paths: readonly AttributePath[]): string | undefined {
  for (const { key, path } of paths) {
    const flat = asText(attributes[key]);
    if (flat !== undefined) return flat;
    if (path.length < 2) continue;
    let node: unknown = attributes;
    for (const part of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
    const nested = asText(node);
    if (nested !== undefined) return nested;
  }
  return undefined;
}
