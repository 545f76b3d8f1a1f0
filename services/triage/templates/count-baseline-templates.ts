import type { LogRecord } from '../evidence/log-record.js';
import { createTemplateMiner, type TemplateMiner } from './create-template-miner.js';

/**
 * The baseline window as counts per service and template, fed one line at a time so that no baseline
 * line is ever held: on a busy system the baseline is most of the lines triage reads.
 */
export interface BaselineTemplateCounts {
  /** The miner the baseline went through; the incident window must go through the same one. */
  readonly miner: TemplateMiner;
  /** Mines one baseline line and counts it. */
  add(record: Pick<LogRecord, 'service' | 'message'>): void;
  /** Lines added so far. */
  readonly lines: number;
  /**
   * Counts keyed by `keyOf(service, id)` with each id resolved as the miner stands now: call it after the
   * incident window is mined too, since clusters can still merge then.
   */
  resolved(keyOf: (service: string, templateId: string) => string): Map<string, number>;
}

/** Counts baseline lines per service and per cluster id as mined; ids are resolved only when asked. */
export function countBaselineTemplates(miner: TemplateMiner = createTemplateMiner()): BaselineTemplateCounts {
  // service → mined template id → lines. Ids are resolved at the end, as merges may still come.
  const byService = new Map<string, Map<string, number>>();
  let lines = 0;
  return {
    miner,
    add({ service, message }) {
      const templateId = miner.add(message).templateId;
      let counts = byService.get(service);
      if (counts === undefined) byService.set(service, (counts = new Map()));
      counts.set(templateId, (counts.get(templateId) ?? 0) + 1);
      lines++;
    },
    get lines() {
      return lines;
    },
    resolved(keyOf) {
      const out = new Map<string, number>();
      for (const [service, counts] of byService) {
        for (const [minedId, count] of counts) {
          const k = keyOf(service, miner.resolve(minedId) ?? minedId);
          out.set(k, (out.get(k) ?? 0) + count);
        }
      }
      return out;
    },
  };
}
