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

/** Where a cluster sits: its leaf, and the leaf's parent and key (the last routing token). */
interface Location<C> {
  parent: TreeNode<C>;
  key: string;
  leaf: TreeNode<C>;
}

/**
 * Drain's fixed-depth parse tree: the first level splits by token count, the next `prefixTokens` levels
 * by the leading tokens; leaves hold the clusters to compare with. Wildcard tokens, and tokens beyond
 * `maxChildren` distinct ones, share a `<*>` branch so that a variable leading token cannot explode it.
 */
export function createParseTree<C extends Cluster>({ prefixTokens, maxChildren }: { prefixTokens: number; maxChildren: number }) {
  const root = node<C>();
  const locations = new Map<C, Location<C>>();

  /** The node above the leaf for these tokens (creating the path when asked), and the leaf's key. */
  function parentOf(tokens: string[], create: boolean): { parent: TreeNode<C>; key: string } | undefined {
    const lengthKey = String(tokens.length);
    let parent = root;
    let key = lengthKey;
    const depth = Math.min(prefixTokens, tokens.length);
    for (let d = 0; d <= depth; d++) {
      if (d > 0) {
        const token = tokens[d - 1]!;
        key = parent.children.has(token) ? token : token === WILDCARD ? WILDCARD : create ? keyFor(parent, token) : WILDCARD;
      }
      if (d === depth) return { parent, key };
      let next = parent.children.get(key);
      if (!next) {
        if (!create) return undefined;
        parent.children.set(key, (next = node<C>()));
      }
      parent = next;
    }
    return undefined;
  }

  /** A new token gets its own branch while the node has room, keeping one slot for the wildcard branch. */
  function keyFor(parent: TreeNode<C>, token: string): string {
    const children = parent.children;
    return children.size + (children.has(WILDCARD) ? 0 : 1) < maxChildren ? token : WILDCARD;
  }

  /**
   * The leaves to compare a message with, in order: the one its tokens lead to, then the wildcard leaf
   * beside it, where clusters whose last routing token turned out to be variable live.
   */
  function candidates(tokens: string[]): Array<readonly C[]> {
    const at = parentOf(tokens, false);
    if (!at) return [];
    const exact = at.parent.children.get(at.key);
    const wildcard = at.key === WILDCARD ? undefined : at.parent.children.get(WILDCARD);
    return [exact?.clusters, wildcard?.clusters].filter((leaf): leaf is C[] => leaf !== undefined && leaf.length > 0);
  }

  function place(cluster: C, parent: TreeNode<C>, key: string): void {
    let leaf = parent.children.get(key);
    if (!leaf) parent.children.set(key, (leaf = node<C>()));
    leaf.clusters.push(cluster);
    locations.set(cluster, { parent, key, leaf });
  }

  function insert(cluster: C): void {
    const at = parentOf(cluster.tokens, true)!;
    place(cluster, at.parent, at.key);
  }

  /** Takes a cluster out of the tree, dropping its leaf when that empties so routing falls back to `<*>`. */
  function remove(cluster: C): void {
    const at = locations.get(cluster);
    if (!at) return;
    at.leaf.clusters.splice(at.leaf.clusters.indexOf(cluster), 1);
    if (at.leaf.clusters.length === 0 && at.leaf.children.size === 0) at.parent.children.delete(at.key);
    locations.delete(cluster);
  }

  /** Moves a cluster to the wildcard leaf beside its own: its last routing token is a variable. */
  function moveToWildcard(cluster: C): void {
    const at = locations.get(cluster);
    if (!at || at.key === WILDCARD) return;
    remove(cluster);
    place(cluster, at.parent, WILDCARD);
  }

  /** The clusters in the other leaves beside a cluster's leaf, with their leaf keys. */
  function siblings(cluster: C): Array<{ key: string; cluster: C }> {
    const at = locations.get(cluster);
    if (!at) return [];
    const found: Array<{ key: string; cluster: C }> = [];
    for (const [key, leaf] of at.parent.children) {
      if (key !== at.key) for (const other of leaf.clusters) found.push({ key, cluster: other });
    }
    return found;
  }

  return { candidates, insert, remove, moveToWildcard, siblings };
}
