import { isErrorLevel } from '../evidence/log-record.js';
import type { AnomalousTemplate, TimelineEntry } from '../report/triage-report.js';
import { looksPropagated } from './looks-propagated.js';

export interface AnomalyMatch {
  anomaly: AnomalousTemplate;
  /** The template reads like a failure propagated from a callee. */
  propagated: boolean;
}

// Miners write variables as `<*>` (Drain) or as named masks such as `<NUM>` or `<IP>`.
const wildcard = /<\*>|<[A-Z][A-Z0-9_]*>/g;
const cacheLimit = 5_000;
const messageLimit = 4_000;

/** A template as an anchored pattern: wildcards match any text, runs of whitespace any whitespace. */
export function compileTemplate(template: string): RegExp {
  const literal = (text: string): string =>
    text
      .split(/\s+/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\s+');
  const parts = template.trim().split(wildcard);
  return new RegExp(`^\\s*${parts.map(literal).join('[\\s\\S]*?')}\\s*$`);
}

function rank(anomaly: AnomalousTemplate): number {
  return (anomaly.kind === 'new' ? 0 : 1e9) - anomaly.incidentCount;
}

/**
 * Finds the error-level anomalous template an error entry belongs to: by template id when the entry
 * carries one, else by matching the message against the templates of the entry's service.
 */
export function createAnomalyMatcher(
  anomalies: readonly AnomalousTemplate[],
): (entry: Pick<TimelineEntry, 'service' | 'level' | 'message' | 'templateId'>) => AnomalyMatch | undefined {
  const byService = new Map<string, Array<{ match: AnomalyMatch; pattern: RegExp }>>();
  const byId = new Map<string, AnomalyMatch>();
  const sorted = anomalies.filter((a) => isErrorLevel(a.level)).sort((a, b) => rank(a) - rank(b));
  for (const anomaly of sorted) {
    const match = { anomaly, propagated: looksPropagated(anomaly.template) };
    const list = byService.get(anomaly.service) ?? [];
    list.push({ match, pattern: compileTemplate(anomaly.template) });
    byService.set(anomaly.service, list);
    if (!byId.has(`${anomaly.service}\n${anomaly.templateId}`)) byId.set(`${anomaly.service}\n${anomaly.templateId}`, match);
  }
  const cache = new Map<string, AnomalyMatch | null>();

  return (entry) => {
    if (!isErrorLevel(entry.level)) return undefined;
    const candidates = byService.get(entry.service);
    if (candidates === undefined) return undefined;
    if (entry.templateId !== undefined) return byId.get(`${entry.service}\n${entry.templateId}`);
    const key = `${entry.service}\n${entry.message}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const message = entry.message.length > messageLimit ? entry.message.slice(0, messageLimit) : entry.message;
    const found = candidates.find(({ pattern }) => pattern.test(message))?.match;
    if (cache.size >= cacheLimit) cache.clear();
    cache.set(key, found ?? null);
    return found;
  };
}
