import { NightshiftError } from '../../../../shared/errors.js';
import { createCorrelationIdExtractor, type CorrelationFieldNames } from '../extract-correlation-ids.js';
import type { LogRecord } from '../log-record.js';
import { LogSourceError, logSourceErrorCodes } from '../log-source-error.js';
import { emptyStats } from '../log-source-stats.js';
import type { LogQuery, LogSource } from '../log-source.js';
import { compileLogQuery } from '../matches-log-query.js';
import { mergeBatchesByTimestamp } from './merge-batches-by-timestamp.js';
import { readLogFile, type FileRunStats, type LogFileFormat } from './read-log-file.js';

export interface FileLogSourceFile {
  path: string;
  /** The service of records that do not name one; default the file name up to its first dot. */
  service?: string;
  /** Default `auto`. */
  format?: LogFileFormat;
  /** For text files: a regular expression (source text or RegExp) with named groups `timestamp`, `level`, `service`, `message`. */
  headerPattern?: string | RegExp;
}

export interface FileLogSourceOptions {
  files: FileLogSourceFile[];
  /** Where ids sit in structured lines (defaults cover pino, OTel, dd-trace, ECS). */
  correlationFields?: Partial<CorrelationFieldNames>;
  /** Upper bound on records per fetchLogs. Default 100 000. */
  maxRecords?: number;
  /** Called when each fetchLogs run ends, with lines read and lines skipped (and why). */
  onStats?: (stats: FileRunStats) => void;
  /** Default `file`. */
  name?: string;
}

export interface FileLogSource extends LogSource {
  /** The stats of the most recent fetchLogs run (updated while it runs). */
  lastStats(): FileRunStats | undefined;
}

/**
 * Merging holds one chunk of lines and its parsed records per file at once: with twenty files and 1 MiB
 * chunks that alone was ~350 MB of heap. One budget shared by the files keeps it flat in their number.
 */
const chunkBudgetBytes = 1 << 20;
const minChunkBytes = 64 << 10;

/** Bytes per read for each of `files` files merged at once. */
export function chunkBytesFor(files: number): number {
  return Math.max(minChunkBytes, Math.floor(chunkBudgetBytes / Math.max(1, files)));
}

function compilePattern(file: FileLogSourceFile): RegExp | undefined {
  if (file.headerPattern === undefined) return undefined;
  let pattern: RegExp;
  try {
    pattern = typeof file.headerPattern === 'string' ? new RegExp(file.headerPattern) : file.headerPattern;
  } catch (error) {
    throw new NightshiftError('LOG_SOURCE_MISCONFIGURED', `the header pattern of ${file.path} is not a regular expression: ${(error as Error).message}`);
  }
  if (!pattern.source.includes('?<timestamp>')) {
    throw new NightshiftError('LOG_SOURCE_MISCONFIGURED', `the header pattern of ${file.path} needs a named group (?<timestamp>…)`);
  }
  return pattern;
}

/**
 * Local log files as evidence: pino, bunyan, OpenTelemetry (OTLP/JSON file exporter or flat records) and
 * plain text with multi-line records. Each file is streamed once per run; files are merged oldest first
 * (each file is taken to be in time order). Unreadable lines are counted with their reasons in the stats.
 */
export function createFileLogSource(options: FileLogSourceOptions): FileLogSource {
  const name = options.name ?? 'file';
  const files = options.files.map((file) => ({ ...file, headerPattern: compilePattern(file) }));
  const extractIds = createCorrelationIdExtractor(options.correlationFields);
  const maxRecords = options.maxRecords ?? 100_000;
  const chunkBytes = chunkBytesFor(files.length);
  let current: FileRunStats | undefined;

  async function* fetchLogs(query: LogQuery, { signal }: { signal?: AbortSignal } = {}): AsyncGenerator<LogRecord> {
    const run: FileRunStats = { ...emptyStats(name), linesRead: 0, prefiltered: 0, files: [] };
    current = run;
    const compiled = compileLogQuery(query, maxRecords);
    try {
      if (compiled.limit === 0) return;
      const streams = files.map((file) =>
        readLogFile(
          { path: file.path, ...(file.service ? { service: file.service } : {}), ...(file.format ? { format: file.format } : {}), ...(file.headerPattern ? { headerPattern: file.headerPattern } : {}) },
          { query: compiled, extractIds, run, chunkBytes, ...(signal ? { signal } : {}) },
        ),
      );
      for await (const batch of streams.length === 1 ? streams[0]! : mergeBatchesByTimestamp(streams)) {
        for (const record of batch) {
          signal?.throwIfAborted();
          if (run.records >= compiled.limit) {
            run.truncated = true;
            return;
          }
          run.records++;
          yield record;
        }
      }
      if (files.length > 0 && run.files.every((file) => file.error !== undefined)) {
        throw new LogSourceError(logSourceErrorCodes.unreadable, 'file', `no log file could be read: ${run.files.map((f) => `${f.path} (${f.error})`).join('; ')}`);
      }
    } finally {
      options.onStats?.(run);
    }
  }

  return { name, fetchLogs, lastStats: () => current };
}
