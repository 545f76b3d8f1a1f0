import { WILDCARD } from './mask-token.js';
import type { Cluster } from './create-parse-tree.js';

/**
 * How well a message fits a template: the share of compared positions where the template's constant
 * token equals the message's. Positions where both are `<*>` are not compared (masked variables
 * agree by construction and would otherwise drown short messages); a position the template has
 * generalised still counts against a constant in the message, as in Drain, so a template that has
 * absorbed a lot needs agreement elsewhere. Two different format fragments at one position
 * (`uid=<*>` against `LOGIN(uid=<*>)`, `tty=<*>` against `tty=:<*>`) come from different format
 * strings, so they never match (score -1). `wildcards` breaks ties in favour of the more general template.
 */
export function similarity(template: string[], tokens: string[]): { score: number; wildcards: number } {
  let same = 0;
  let wildcards = 0;
  let both = 0;
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    const m = tokens[i]!;
    if (t === WILDCARD) {
      wildcards++;
      if (m === WILDCARD) both++;
    } else if (t === m) same++;
    else if (t.includes(WILDCARD) && m.includes(WILDCARD)) return { score: -1, wildcards };
  }
  const compared = template.length - both;
  return { score: compared === 0 ? 1 : same / compared, wildcards };
}

/** The most similar cluster of a leaf that reaches the threshold. */
export function matchCluster<C extends Cluster>(clusters: readonly C[], tokens: string[], threshold: number): C | undefined {
  let best: C | undefined;
  let bestScore = -1;
  let bestWildcards = -1;
  for (const cluster of clusters) {
    const { score, wildcards } = similarity(cluster.tokens, tokens);
    if (score > bestScore || (score === bestScore && wildcards > bestWildcards)) {
      best = cluster;
      bestScore = score;
      bestWildcards = wildcards;
    }
  }
  return best && bestScore >= threshold ? best : undefined;
}

/** Generalises the template in place: every position where the message differs becomes `<*>`. */
export function mergeIntoTemplate(template: string[], tokens: string[]): boolean {
  let changed = false;
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== WILDCARD && template[i] !== tokens[i]) {
      template[i] = WILDCARD;
      changed = true;
    }
  }
  return changed;
}
