import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** A 1-based position in a file. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Where the value at `path` (or, with `target: 'key'`, its key) starts in the document. When the path
 * is not in the file (a missing key), the key of its deepest ancestor that is: the place to add it.
 */
export function locateYamlNode(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  target: 'value' | 'key' = 'value',
): Position | undefined {
  const at = (offset: number | undefined): Position | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  let node: unknown = doc.contents;
  let nearest: number | undefined = (node as Node | null)?.range?.[0];
  for (const [index, segment] of path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      const keyStart = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      if (last && target === 'key') return at(keyStart);
      nearest = keyStart ?? nearest;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      nearest = (node as Node).range?.[0] ?? nearest;
    } else {
      break;
    }
    if (last) return at((node as Node | null)?.range?.[0] ?? nearest);
  }
  return at(nearest);
}
