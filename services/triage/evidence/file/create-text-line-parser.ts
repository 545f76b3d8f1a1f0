import type { CorrelationIds } from '../extract-correlation-ids.js';
import { levelFromName } from '../normalise-log-level.js';
import { normaliseTimestamp } from '../normalise-timestamp.js';
import type { ParsedEntry } from './parse-otlp-json.js';

type ExtractIds = (fields: Record<string, unknown>) => CorrelationIds;

/**
 * `2024-05-01T12:00:00.123Z ERROR [checkout] message`: an ISO-ish timestamp (space or T, optional
 * fraction with . or , and zone), a level word (optionally bracketed), an optional `[service]`, the message.
 */
export const defaultTextHeaderPattern =
  /^(?<timestamp>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\s+\[?(?<level>[A-Za-z]+)\]?:?\s+(?:\[(?<service>[^\]]+)\]:?\s+)?(?<message>.*)$/;

/** Most lines a multi-line record keeps; a runaway stack trace must not become one huge message. */
const MAX_CONTINUATION_LINES = 500;
const KEY_VALUE = /([A-Za-z_][\w.-]*)=("[^"]*"|[^\s,;]+)/g;

export interface CompletedEntry {
  entry: ParsedEntry;
  /** The 1-based line of the record's header. */
  line: number;
}

export interface TextLineParser {
  /** Feeds one line; says which record the line completed (the one before it) and why it was skipped, if so. */
  push(line: string, lineNumber: number): { done?: CompletedEntry; skip?: string } | undefined;
  /** The last record, at the end of the file. */
  flush(): CompletedEntry | undefined;
}

/** `key=value` pairs in a message (logfmt-ish text logs often carry `trace_id=…` this way). */
function readKeyValues(message: string): Record<string, string> | undefined {
  if (!message.includes('=')) return undefined;
  const out: Record<string, string> = {};
  for (const match of message.matchAll(KEY_VALUE)) out[match[1]!] = match[2]!.startsWith('"') ? match[2]!.slice(1, -1) : match[2]!;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Plain-text logs by a header pattern with named groups `timestamp` (required), `level`, `service`,
 * `message`, and optionally `traceId`, `spanId`, `requestId`. A line that does not match continues the
 * record before it (stack traces, wrapped messages). A timestamp without a zone is read as UTC.
 */
export function createTextLineParser(pattern: RegExp, extractIds: ExtractIds): TextLineParser {
  if (!pattern.source.includes('?<timestamp>')) throw new Error(`a text header pattern needs a (?<timestamp>…) group: ${pattern.source}`);
  let current: { entry: ParsedEntry; line: number; extra: number } | undefined;

  const complete = (): CompletedEntry | undefined => {
    if (!current) return undefined;
    const done = { entry: current.entry, line: current.line };
    if (current.extra > MAX_CONTINUATION_LINES) done.entry.attributes.truncatedLines = current.extra - MAX_CONTINUATION_LINES;
    current = undefined;
    return done;
  };

  return {
    push(line, lineNumber) {
      const match = pattern.exec(line);
      const groups = match?.groups;
      if (!groups) {
        if (!current) return line.trim() === '' ? undefined : { skip: 'no header line before this continuation line' };
        current.extra++;
        if (current.extra <= MAX_CONTINUATION_LINES) current.entry.message += `\n${line}`;
        return undefined;
      }
      const finished = complete();
      const timestamp = normaliseTimestamp(groups.timestamp);
      if (timestamp === undefined) return { ...(finished ? { done: finished } : {}), skip: `unreadable timestamp ${JSON.stringify(groups.timestamp ?? '')}` };
      const message = groups.message ?? line.slice((match.index ?? 0) + match[0].length);
      const pairs = readKeyValues(message);
      const ids = pairs ? extractIds(pairs) : {};
      const entry: ParsedEntry = {
        timestamp,
        level: (groups.level ? levelFromName(groups.level) : undefined) ?? 'info',
        message,
        attributes: pairs ?? {},
      };
      if (groups.service) entry.service = groups.service;
      const traceId = groups.traceId?.toLowerCase() ?? ids.traceId;
      const spanId = groups.spanId?.toLowerCase() ?? ids.spanId;
      const requestId = groups.requestId ?? ids.requestId;
      if (traceId) entry.traceId = traceId;
      if (spanId) entry.spanId = spanId;
      if (requestId) entry.requestId = requestId;
      if (groups.level && !levelFromName(groups.level)) entry.attributes.rawLevel = groups.level;
      current = { entry, line: lineNumber, extra: 0 };
      return finished ? { done: finished } : undefined;
    },
    flush: complete,
  };
}
