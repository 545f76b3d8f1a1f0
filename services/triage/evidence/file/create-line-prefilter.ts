import type { CompiledLogQuery } from '../matches-log-query.js';
import { epochMillisFromNumber } from '../normalise-timestamp.js';

/** Reads `{"level":N,"time":T` — pino's fixed first two keys — without parsing the line; NaN otherwise. */
function pinoTime(line: string): number {
  if (!line.startsWith('{"level":')) return Number.NaN;
  const at = line.indexOf(',"time":', 9);
  if (at === -1 || at > 16) return Number.NaN;
  let value = 0;
  let i = at + 8;
  for (let c = line.charCodeAt(i); c >= 48 && c <= 57; c = line.charCodeAt(++i)) value = value * 10 + (c - 48);
  return i === at + 8 ? Number.NaN : value;
}

/**
 * A cheap test that a JSON line might match the query, run before JSON.parse, which dominates the cost
 * of reading a file. It only says no when the line cannot match: a pino line whose `time` is outside the
 * window, a line containing none of the wanted ids, a line naming none of the wanted services when the
 * file's default service is not wanted either. Lines it refuses are counted, not parsed, so their
 * well-formedness goes unchecked.
 */
export function createLinePrefilter(query: CompiledLogQuery, fallbackService: string): (line: string) => boolean {
  const ids = query.traceIds && query.requestIds ? [...query.traceIds].flatMap((id) => (/[a-f]/.test(id) ? [id, id.toUpperCase()] : [id])).concat([...query.requestIds]) : undefined;
  const services = query.services && !query.services.has(fallbackService) ? [...query.services].map((s) => JSON.stringify(s)) : undefined;
  const checks: Array<(line: string) => boolean> = [
    (line) => {
      const raw = pinoTime(line);
      const time = Number.isNaN(raw) ? undefined : epochMillisFromNumber(raw);
      return time === undefined || (time >= query.from && time <= query.to);
    },
  ];
  if (ids) checks.push((line) => ids.some((id) => line.includes(id)));
  if (services) checks.push((line) => services.some((quoted) => line.includes(quoted)));
  const [first, ...more] = checks;
  return more.length === 0 ? first! : (line) => first!(line) && more.every((check) => check(line));
}
