/** What one `fetchLogs` run did, so triage can list truncated or lossy evidence among the report's gaps. */
export interface LogSourceStats {
  source: string;
  /** Records yielded. */
  records: number;
  /** True when the run stopped at its limit while the backend (or file) had more. */
  truncated: boolean;
  /** Items the source could not turn into records (bad lines, events without a timestamp…). */
  skipped: number;
  /** The first few reasons for skipping, with where they happened. */
  skipReasons: string[];
  /** HTTP requests sent (API sources). */
  requests: number;
  /** Retries after 429, 5xx or network errors (API sources). */
  retries: number;
}

export const MAX_SKIP_REASONS = 10;

export function emptyStats(source: string): LogSourceStats {
  return { source, records: 0, truncated: false, skipped: 0, skipReasons: [], requests: 0, retries: 0 };
}

/** Counts a skipped item and keeps its reason while there is room. */
export function noteSkip(stats: { skipped: number; skipReasons: string[] }, reason: string): void {
  stats.skipped++;
  if (stats.skipReasons.length < MAX_SKIP_REASONS) stats.skipReasons.push(reason);
}
