import type { Logger } from 'pino';
import type { LogRecord } from './evidence/log-record.js';
import type { LogQuery, LogSource } from './evidence/log-source.js';

export interface CollectedLogs<T = LogRecord> {
  records: T[];
  /** Sources that failed or hit the cap: the report shows them so missing evidence is never silent. */
  gaps: string[];
}

export interface CollectLogsOptions<T> {
  maxRecords: number;
  log: Logger;
  /**
   * Sees every record as it arrives and returns what to keep of it, or undefined to keep nothing (a
   * record it has already folded into counts, say). Records it drops still count against the budget.
   */
  keep?: (record: LogRecord) => T | undefined;
}

/**
 * Reads the window from every source at once, within one shared budget of records. Only what `keep`
 * returns is held, so a caller that streams most records into summaries never holds them all. A failing
 * source costs its own evidence, not the triage: its error becomes a gap.
 */
export async function collectLogs<T = LogRecord>(sources: readonly LogSource[], query: LogQuery, options: CollectLogsOptions<T>): Promise<CollectedLogs<T>> {
  const { maxRecords, log } = options;
  const keep = options.keep ?? ((record: LogRecord) => record as T);
  const gaps: string[] = [];
  const perSource = Math.max(1, Math.floor(maxRecords / Math.max(1, sources.length)));
  const batches = await Promise.all(
    sources.map(async (source) => {
      const records: T[] = [];
      let read = 0;
      try {
        for await (const record of source.fetchLogs({ ...query, limit: perSource })) {
          const kept = keep(record);
          if (kept !== undefined) records.push(kept);
          if (++read >= perSource) {
            gaps.push(`${source.name}: stopped at ${perSource} records (triage.maxLogRecords); later lines were not read`);
            break;
          }
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.warn({ source: source.name, err: message }, 'log source failed');
        gaps.push(`${source.name}: ${message}`);
      }
      return records;
    }),
  );
  return { records: batches.length === 1 ? batches[0]! : batches.flat(), gaps };
}
