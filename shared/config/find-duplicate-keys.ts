import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

/** A key given twice in one mapping: `offset` of the repeat, `firstOffset` of the original. */
export interface DuplicateKey {
  path: PropertyKey[];
  offset: number;
  firstOffset: number;
}

/**
 * Keys repeated within one mapping. Done here in linear time instead of by the yaml package's
 * `uniqueKeys`, which compares every key with every other: a 1 MiB file of distinct keys took
 * over half a minute. Aliases are not followed (they point at nodes visited anyway).
 */
export function findDuplicateKeys(doc: Document): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const visit = (node: unknown, path: PropertyKey[]): void => {
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const offset = (pair.key as Node | null)?.range?.[0] ?? 0;
        const firstOffset = seen.get(key);
        if (firstOffset === undefined) seen.set(key, offset);
        else found.push({ path: [...path, key], offset, firstOffset });
        visit(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    }
  };
  visit(doc.contents, []);
  return found;
}
