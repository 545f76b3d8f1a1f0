import { WILDCARD } from './mask-token.js';

/** A group of messages with one template; `tokens` generalise (positions become `<*>`) as messages join. */
export interface Cluster {
  readonly id: string;
  readonly tokens: string[];
  count: number;
}

interface TreeNode<C> {
  children: Map<string, TreeNode<C>>;
  clusters: C[];
}

function node<C>(): TreeNode<C> {
  return { children: new Map(), clusters: [] };
}

/**
 * Drain's fixed-depth parse tree: the first level splits by token count, the next `prefixTokens` levels
 * by the leading tokens; leaves hold the clusters to compare with. Wildcard tokens, and tokens beyond
 * `maxChildren` distinct ones, share a `<*>` branch so that a variable leading token cannot explode it.
 */
export function createParseTree<C extends Cluster>({ prefixTokens, maxChildren }: { prefixTokens: number; maxChildren: number }) {
  const root = new Map<number, TreeNode<C>>();

  /** The leaf a message's tokens lead to, or undefined when no cluster could match them. */
  function leafFor(tokens: string[]): readonly C[] | undefined {
    let current = root.get(tokens.length);
    const depth = Math.min(prefixTokens, tokens.length);
    for (let d = 0; d < depth && current; d++) {
      current = current.children.get(tokens[d]!) ?? current.children.get(WILDCARD);
    }
    return current?.clusters;
  }

  function insert(cluster: C): void {
    const tokens = cluster.tokens;
    let current = root.get(tokens.length);
    if (!current) root.set(tokens.length, (current = node<C>()));
    const depth = Math.min(prefixTokens, tokens.length);
    for (let d = 0; d < depth; d++) {
      const token = tokens[d]!;
      const children: Map<string, TreeNode<C>> = current.children;
      let next = children.get(token);
      if (!next) {
        // Keep one slot for the wildcard branch, which takes every token once the node is full.
        const room = children.size + (children.has(WILDCARD) ? 0 : 1) < maxChildren;
        const key = token === WILDCARD || !room ? WILDCARD : token;
        next = children.get(key);
        if (!next) children.set(key, (next = node<C>()));
      }
      current = next;
    }
    current.clusters.push(cluster);
  }

  return { leafFor, insert };
}
