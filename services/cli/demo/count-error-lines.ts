import { readFile } from 'node:fs/promises';

/** pino's level numbers: 50 is error, 60 fatal. */
const ERROR_LEVEL = 50;

/**
 * The error lines of a pino file, what a Datadog log monitor on `status:error` counts: how many, and the
 * first one's message and ids for the notification's log sample.
 */
export async function countErrorLines(file: string): Promise<{ count: number; first?: { msg: string; traceId?: string; requestId?: string } }> {
  const text = await readFile(file, 'utf8').catch(() => '');
  let count = 0;
  let first: { msg: string; traceId?: string; requestId?: string } | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof record.level !== 'number' || record.level < ERROR_LEVEL) continue;
    count += 1;
    if (!first && typeof record.msg === 'string') {
      first = { msg: record.msg };
      if (typeof record.trace_id === 'string') first.traceId = record.trace_id;
      if (typeof record.request_id === 'string') first.requestId = record.request_id;
    }
  }
  return first ? { count, first } : { count };
}
