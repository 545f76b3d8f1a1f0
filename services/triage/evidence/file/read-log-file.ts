import { basename } from 'node:path';
import type { CorrelationIds } from '../extract-correlation-ids.js';
import type { LogRecord } from '../log-record.js';
import { noteSkip, type LogSourceStats } from '../log-source-stats.js';
import { matchesLogQuery, type CompiledLogQuery } from '../matches-log-query.js';
import { createLinePrefilter } from './create-line-prefilter.js';
import { createTextLineParser, defaultTextHeaderPattern } from './create-text-line-parser.js';
import { parseJsonLogLine } from './parse-json-log-line.js';
import type { ParsedEntry } from './parse-otlp-json.js';
import { readLineBatches } from './read-line-batches.js';

export type LogFileFormat = 'auto' | 'pino' | 'bunyan' | 'otel' | 'text';

export interface LogFileSpec {
  path: string;
  /** The service of records that do not name one; default the file name up to its first dot. */
  service?: string;
  /** Default `auto`: JSON lines (pino, bunyan, OTel) when the first line is an object, else text. */
  format?: LogFileFormat;
  /** For text: a header pattern with named groups (see defaultTextHeaderPattern). */
  headerPattern?: RegExp;
}

/** What reading one file did. */
export interface FileReadStats {
  path: string;
  /** How the lines were read: `json` (pino, bunyan, OTel) or `text`; `unknown` for an empty or unreadable file. */
  format: 'json' | 'text' | 'unknown';
  linesRead: number;
  /** Entries parsed (in the window or not). */
  entries: number;
  /** JSON lines not parsed because a cheap check showed they cannot match the query. */
  prefiltered: number;
  skipped: number;
  /** Why the file could not be read, when it could not. */
  error?: string;
}

export interface FileRunStats extends LogSourceStats {
  linesRead: number;
  /** JSON lines not parsed because a cheap check showed they cannot match (their syntax was not checked). */
  prefiltered: number;
  files: FileReadStats[];
}

/** The service a file's records default to: its name up to the first dot (`checkout.2024-05-01.log` → `checkout`). */
export function defaultServiceForFile(path: string): string {
  const name = basename(path);
  return name.slice(0, name.indexOf('.') > 0 ? name.indexOf('.') : undefined);
}

/** Whether a line is empty or whitespace; checks the first character before paying for a trim. */
function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '');
}

/**
 * Streams one file's matching records in file order, a batch per chunk read. Lines that cannot be read are counted in the
 * file's and the run's stats with their reason; a file that cannot be opened is noted, not thrown, so one
 * rotated-away file does not hide the others' evidence.
 */
export async function* readLogFile(
  spec: LogFileSpec,
  deps: {
    query: CompiledLogQuery;
    extractIds: (fields: Record<string, unknown>) => CorrelationIds;
    run: FileRunStats;
    signal?: AbortSignal;
    /** Bytes read per chunk; a chunk's lines and records are what this file holds in flight. */
    chunkBytes?: number;
  },
): AsyncGenerator<LogRecord[]> {
  const { query, extractIds, run } = deps;
  const file: FileReadStats = { path: spec.path, format: 'unknown', linesRead: 0, entries: 0, prefiltered: 0, skipped: 0 };
  run.files.push(file);
  const fallbackService = spec.service ?? defaultServiceForFile(spec.path);
  const where = basename(spec.path);
  const requested = spec.format ?? 'auto';
  const text = createTextLineParser(spec.headerPattern ?? defaultTextHeaderPattern, extractIds);
  const mightMatch = createLinePrefilter(query, fallbackService);
  const skip = (line: number, reason: string) => {
    file.skipped++;
    noteSkip(run, `${where}:${line}: ${reason}`);
  };
  const toRecord = (entry: ParsedEntry, line: number): LogRecord => {
    file.entries++;
    const record = entry as unknown as LogRecord;
    record.service = entry.service ?? fallbackService;
    record.origin = { source: 'file', ref: spec.path, line };
    return record;
  };

  let lineNumber = 0;
  try {
    for await (const batch of readLineBatches(spec.path, { ...(deps.signal ? { signal: deps.signal } : {}), ...(deps.chunkBytes ? { chunkBytes: deps.chunkBytes } : {}) })) {
      const matched: LogRecord[] = [];
      for (const line of batch) {
        lineNumber++;
        if (isBlank(line)) continue;
        if (file.format === 'unknown') file.format = requested === 'text' || (requested === 'auto' && !line.trimStart().startsWith('{')) ? 'text' : 'json';
        if (file.format === 'text') {
          const result = text.push(line, lineNumber);
          if (result?.skip) skip(lineNumber, result.skip);
          if (result?.done) {
            const record = toRecord(result.done.entry, result.done.line);
            if (matchesLogQuery(record, query)) matched.push(record);
          }
          continue;
        }
        if (!mightMatch(line)) {
          file.prefiltered++;
          continue;
        }
        const parsed = parseJsonLogLine(line, extractIds);
        for (const entry of Array.isArray(parsed) ? parsed : [parsed]) {
          if (typeof entry === 'string') skip(lineNumber, entry);
          else {
            const record = toRecord(entry, lineNumber);
            if (matchesLogQuery(record, query)) matched.push(record);
          }
        }
      }
      file.linesRead = lineNumber;
      if (matched.length > 0) yield matched;
    }
    const last = text.flush();
    if (last) {
      const record = toRecord(last.entry, last.line);
      if (matchesLogQuery(record, query)) yield [record];
    }
  } catch (error) {
    if (deps.signal?.aborted) throw error;
    file.error = (error as Error).message;
    noteSkip(run, `${where}: could not be read (${file.error})`);
  } finally {
    file.linesRead = lineNumber;
    run.linesRead += lineNumber;
    run.prefiltered += file.prefiltered;
  }
}
