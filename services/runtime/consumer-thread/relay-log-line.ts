import { pino, type Logger } from 'pino';

/** Fields pino puts on every line: the logger relaying the line writes its own. */
const OWN_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/**
 * Writes a line that another thread's pino serialised through `log`, at the line's level, so that
 * the thread's logs reach the destination, level and bindings of the logger this process was given.
 */
export function relayLogLine(log: Logger, line: string): void {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    log.warn({ line: line.slice(0, 1_000) }, 'the consumer thread wrote a log line that is not JSON');
    return;
  }
  const label = (typeof record.level === 'number' && pino.levels.labels[record.level]) || 'info';
  const fields = Object.fromEntries(Object.entries(record).filter(([name]) => !OWN_FIELDS.has(name)));
  const write = log[label as pino.Level].bind(log);
  if (typeof record.msg === 'string') write(fields, record.msg);
  else write(fields);
}
