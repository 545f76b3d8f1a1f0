import { WILDCARD } from './mask-token.js';
import { matchCluster, mergeIntoTemplate, similarity } from './match-cluster.js';
import { createParseTree, type Cluster } from './create-parse-tree.js';
import { hashTemplateId } from './hash-template-id.js';
import { defaultTemplateMinerOptions, type TemplateMinerOptions } from './template-miner-options.js';
import { maskMessage } from './mask-message.js';

/** A template as mined so far, with how many messages it grouped. */
export interface MinedTemplate {
  templateId: string;
  template: string;
  count: number;
}

/** Where one message went. `template` is its cluster's template now; it may generalise further later. */
export interface TemplateMatch {
  templateId: string;
  template: string;
  isNew: boolean;
}

export interface TemplateMiner {
  add(message: string): TemplateMatch;
  /** Every template, in the order the clusters were created. */
  templates(): MinedTemplate[];
  /** The current template of a cluster, by any id it was ever given. */
  templateOf(templateId: string): string | undefined;
  /** The id that now stands for a cluster: itself, or the older cluster it was merged into. */
  resolve(templateId: string): string | undefined;
}

interface ClusterState extends Cluster {
  /** Creation order: when clusters merge, the oldest id survives. */
  readonly seq: number;
  /** The joined template, rebuilt only when the tokens generalise. */
  text: string;
  mergedInto?: ClusterState;
}

function live(cluster: ClusterState): ClusterState {
  while (cluster.mergedInto) cluster = cluster.mergedInto;
  return cluster;
}

function withWildcardAt(tokens: readonly string[], position: number): string[] {
  const copy = [...tokens];
  copy[position] = WILDCARD;
  return copy;
}

/**
 * An online Drain-style log template miner (He et al., ICWS 2017): variables are masked first, then a
 * fixed-depth parse tree picks the clusters to compare with and the most similar one above the
 * threshold absorbs the message, generalising differing positions to `<*>`. A cluster's id is fixed at
 * creation (the hash of its first template) and stays while its template generalises. When a routing
 * token turns out to be a variable, the clusters it split apart merge into the oldest, whose id the
 * others then resolve to.
 */
export function createTemplateMiner(options: Partial<TemplateMinerOptions> = {}): TemplateMiner {
  const config = { ...defaultTemplateMinerOptions, ...options };
  const tree = createParseTree<ClusterState>(config);
  const clusters: ClusterState[] = [];
  const byId = new Map<string, ClusterState>();
  // The same masked line always goes where it went before; this also skips the tree for repeats.
  const remembered = new Map<string, ClusterState>();

  function create(tokens: string[], key: string): ClusterState {
    let id = hashTemplateId(key);
    for (let n = 2; byId.has(id); n++) id = `${hashTemplateId(key)}-${n}`;
    const cluster: ClusterState = { id, seq: clusters.length, tokens, count: 0, text: key };
    clusters.push(cluster);
    byId.set(id, cluster);
    tree.insert(cluster);
    return cluster;
  }

  /**
   * Drain routes on leading tokens as if they were constants. When a new cluster matches clusters in
   * enough sibling leaves but for its last routing token (or one already in the wildcard leaf), that
   * token is a variable: the clusters merge and move to the wildcard leaf.
   */
  function absorbVariableRoutingToken(cluster: ClusterState): ClusterState {
    const position = config.prefixTokens - 1;
    if (position < 0 || cluster.tokens.length <= config.prefixTokens) return cluster;
    const pattern = withWildcardAt(cluster.tokens, position);
    const alike = tree.siblings(cluster).filter(({ cluster: other }) => similarity(withWildcardAt(other.tokens, position), pattern).score >= config.similarityThreshold);
    const values = new Set(alike.map(({ key }) => key));
    if (!values.has(WILDCARD) && values.size + 1 < config.variableRoutingValues) return cluster;

    const group = [cluster, ...alike.map(({ cluster: other }) => other)].sort((a, b) => a.seq - b.seq);
    const survivor = group[0]!;
    for (const other of group.slice(1)) {
      mergeIntoTemplate(survivor.tokens, other.tokens);
      survivor.count += other.count;
      other.mergedInto = survivor;
      tree.remove(other);
    }
    survivor.tokens[position] = WILDCARD;
    survivor.text = survivor.tokens.join(' ');
    tree.moveToWildcard(survivor);
    return survivor;
  }

  return {
    add(message) {
      const key = maskMessage(message);
      const known = remembered.get(key);
      let cluster = known && live(known);
      let isNew = false;
      if (!cluster) {
        const tokens = key === '' ? [] : key.split(' ');
        for (const leaf of tree.candidates(tokens)) {
          cluster = matchCluster(leaf, tokens, config.similarityThreshold);
          if (cluster) break;
        }
        if (cluster) {
          if (mergeIntoTemplate(cluster.tokens, tokens)) cluster.text = cluster.tokens.join(' ');
        } else {
          const created = create(tokens, key);
          cluster = absorbVariableRoutingToken(created);
          isNew = cluster === created;
        }
        if (remembered.size < config.maxRemembered) remembered.set(key, cluster);
      }
      cluster.count++;
      return { templateId: cluster.id, template: cluster.text, isNew };
    },
    templates() {
      return clusters.filter((c) => !c.mergedInto).map((c) => ({ templateId: c.id, template: c.text, count: c.count }));
    },
    templateOf(templateId) {
      const cluster = byId.get(templateId);
      return cluster && live(cluster).text;
    },
    resolve(templateId) {
      const cluster = byId.get(templateId);
      return cluster && live(cluster).id;
    },
  };
}
