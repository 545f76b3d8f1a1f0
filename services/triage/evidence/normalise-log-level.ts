import type { LogLevel } from './log-record.js';

/** Level names across pino, bunyan, syslog (Datadog status), Sentry, log4j, Python and OTel severity text. */
const NAMED: Record<string, LogLevel> = {
  trace: 'trace', trc: 'trace', finest: 'trace', finer: 'trace', verbose: 'trace',
  debug: 'debug', dbg: 'debug', fine: 'debug',
  info: 'info', inf: 'info', information: 'info', informational: 'info', notice: 'info', ok: 'info', success: 'info', log: 'info', config: 'info',
  warn: 'warn', warning: 'warn', wrn: 'warn',
  error: 'error', err: 'error', eror: 'error', severe: 'error',
  fatal: 'fatal', critical: 'fatal', crit: 'fatal', emerg: 'fatal', emergency: 'fatal', alert: 'fatal', panic: 'fatal',
};

/** pino and bunyan share the scale: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
export function levelFromPinoNumber(level: number): LogLevel {
  if (level >= 60) return 'fatal';
  if (level >= 50) return 'error';
  if (level >= 40) return 'warn';
  if (level >= 30) return 'info';
  if (level >= 20) return 'debug';
  return 'trace';
}

/** OTel SeverityNumber: 1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN, 17-20 ERROR, 21-24 FATAL; 0 unspecified. */
export function levelFromOtelSeverity(severity: number): LogLevel | undefined {
  if (!(severity >= 1)) return undefined;
  if (severity >= 21) return 'fatal';
  if (severity >= 17) return 'error';
  if (severity >= 13) return 'warn';
  if (severity >= 9) return 'info';
  if (severity >= 5) return 'debug';
  return 'trace';
}

/** A level name in any common spelling (`WARNING`, `Err`, `emerg`, `E`), or undefined when unknown. */
export function levelFromName(name: string): LogLevel | undefined {
  const key = name.trim().toLowerCase();
  const named = NAMED[key];
  if (named) return named;
  // Single letters as glog/Android write them; OTel's TRACE2..FATAL4 variants.
  switch (key) {
    case 't': case 'v': return 'trace';
    case 'd': return 'debug';
    case 'i': return 'info';
    case 'w': return 'warn';
    case 'e': return 'error';
    case 'f': case 'c': return 'fatal';
  }
  const numbered = /^([a-z]+)\d$/.exec(key);
  return numbered?.[1] ? NAMED[numbered[1]] : undefined;
}

/** Any level value a record may hold: a pino/bunyan number or a name. Unknown values give undefined. */
export function normaliseLogLevel(value: unknown): LogLevel | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? levelFromPinoNumber(value) : undefined;
  if (typeof value === 'string') {
    const named = levelFromName(value);
    if (named) return named;
    const numeric = Number(value);
    return value.trim() !== '' && Number.isFinite(numeric) ? levelFromPinoNumber(numeric) : undefined;
  }
  return undefined;
}
