import type { Logger } from 'pino';
import type { LogRecord } from './evidence/log-record.js';
import type { LogQuery, LogSource } from './evidence/log-source.js';

export interface CollectedLogs {
  records: LogRecord[];
  /** Sources that failed or hit the cap: the report shows them so missing evidence is never silent. */
  gaps: string[];
}

/**
 * Reads the window from every source at once (`keep` may slim each record as it arrives), within one shared budget of records. A failing source
 * costs its own evidence, not the triage: its error becomes a gap.
 */
export async function collectLogs(
  sources: readonly LogSource[],
  query: LogQuery,
  { maxRecords, log, keep = (record) => record }: { maxRecords: number; log: Logger; keep?: (record: LogRecord) => LogRecord },
): Promise<CollectedLogs> {
  const gaps: string[] = [];
  const perSource = Math.max(1, Math.floor(maxRecords / Math.max(1, sources.length)));
  const batches = await Promise.all(
    sources.map(async (source) => {
      const records: LogRecord[] = [];
      try {
        for await (const record of source.fetchLogs({ ...query, limit: perSource })) {
          records.push(keep(record));
          if (records.length >= perSource) {
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
  return { records: batches.flat(), gaps };
}
