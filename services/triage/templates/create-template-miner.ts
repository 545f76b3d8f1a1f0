import { matchCluster, mergeIntoTemplate } from './match-cluster.js';
import { createParseTree, type Cluster } from './parse-tree.js';
import { templateIdOf } from './template-id.js';
import { defaultTemplateMinerOptions, type TemplateMinerOptions } from './template-miner-options.js';
import { maskMessage } from './tokenize-message.js';

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
  /** The current template of a cluster, by id. */
  templateOf(templateId: string): string | undefined;
}

interface ClusterState extends Cluster {
  /** The joined template, rebuilt only when the tokens generalise. */
  text: string;
}

/**
 * An online Drain-style log template miner (He et al., ICWS 2017): variables are masked first, then a
 * fixed-depth parse tree picks the clusters to compare with and the most similar one above the
 * threshold absorbs the message, generalising differing positions to `<*>`. A cluster's id is fixed at
 * creation (the hash of its first template), so ids stay stable while templates generalise.
 */
export function createTemplateMiner(options: Partial<TemplateMinerOptions> = {}): TemplateMiner {
  const { prefixTokens, similarityThreshold, maxChildren, maxRemembered } = { ...defaultTemplateMinerOptions, ...options };
  const tree = createParseTree<ClusterState>({ prefixTokens, maxChildren });
  const clusters: ClusterState[] = [];
  const byId = new Map<string, ClusterState>();
  // The same masked line always goes where it went before; this also skips the tree for repeats.
  const remembered = new Map<string, ClusterState>();

  function create(tokens: string[], key: string): ClusterState {
    let id = templateIdOf(key);
    for (let n = 2; byId.has(id); n++) id = `${templateIdOf(key)}-${n}`;
    const cluster: ClusterState = { id, tokens, count: 0, text: key };
    clusters.push(cluster);
    byId.set(id, cluster);
    tree.insert(cluster);
    return cluster;
  }

  return {
    add(message) {
      const key = maskMessage(message);
      let cluster = remembered.get(key);
      let isNew = false;
      if (!cluster) {
        const tokens = key === '' ? [] : key.split(' ');
        const leaf = tree.leafFor(tokens);
        cluster = leaf && matchCluster(leaf, tokens, similarityThreshold);
        if (cluster) {
          if (mergeIntoTemplate(cluster.tokens, tokens)) cluster.text = cluster.tokens.join(' ');
        } else {
          cluster = create(tokens, key);
          isNew = true;
        }
        if (remembered.size < maxRemembered) remembered.set(key, cluster);
      }
      cluster.count++;
      return { templateId: cluster.id, template: cluster.text, isNew };
    },
    templates() {
      return clusters.map((c) => ({ templateId: c.id, template: c.text, count: c.count }));
    },
    templateOf(templateId) {
      return byId.get(templateId)?.text;
    },
  };
}
