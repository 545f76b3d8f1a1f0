/** What a record's attributes say about calls: its parent span, and the service or URL it called. */
export interface CallHints {
  parent: string | undefined;
  peer: string | undefined;
  url: string | undefined;
}

type Role = keyof CallHints;

interface Target {
  role: Role;
  /** Lower wins: the order the attributes were configured in, a flat key before its nested spelling. */
  priority: number;
  /** The path below the top-level key; empty for a flat key such as `peer.service`. */
  rest: readonly string[];
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * Reads the configured hint attributes, flat (`{ 'http.url': … }`) or nested (`{ http: { url } }`).
 * It walks the record's own keys once instead of probing every configured name: on a million records
 * with assorted shapes that is several times cheaper. `hints` is overwritten, so one object serves all records.
 */
export function createCallHintReader(keys: Record<Role, readonly string[]>): (attributes: Record<string, unknown>, hints: CallHints) => void {
  const lookup = new Map<string, Target[]>();
  const add = (key: string, target: Target): void => {
    const targets = lookup.get(key) ?? [];
    targets.push(target);
    lookup.set(key, targets);
  };
  for (const role of ['parent', 'peer', 'url'] as const) {
    keys[role].forEach((key, index) => {
      add(key, { role, priority: index * 2, rest: [] });
      const [head, ...rest] = key.split('.');
      if (rest.length > 0) add(head!, { role, priority: index * 2 + 1, rest });
    });
  }

  return (attributes, hints) => {
    hints.parent = hints.peer = hints.url = undefined;
    let parentAt = Infinity;
    let peerAt = Infinity;
    let urlAt = Infinity;
    for (const key in attributes) {
      const targets = lookup.get(key);
      if (targets === undefined) continue;
      for (const { role, priority, rest } of targets) {
        if (priority >= (role === 'parent' ? parentAt : role === 'peer' ? peerAt : urlAt)) continue;
        let node: unknown = attributes[key];
        for (const part of rest) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
        const text = asText(node);
        if (text === undefined) continue;
        hints[role] = text;
        if (role === 'parent') parentAt = priority;
        else if (role === 'peer') peerAt = priority;
        else urlAt = priority;
      }
    }
  };
}
