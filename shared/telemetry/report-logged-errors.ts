import type { LogFn, Logger } from 'pino';
import type { ErrorReporter } from './create-error-reporter.js';

function errorIn(first: unknown): Error | undefined {
  if (first instanceof Error) return first;
  if (first === null || typeof first !== 'object') return undefined;
  const { err, error } = first as { err?: unknown; error?: unknown };
  return err instanceof Error ? err : error instanceof Error ? error : undefined;
}

/**
 * A logger whose `error` and `fatal` lines that carry an Error (`log.error({ err }, …)`) are also reported
 * to Sentry, with the line's fields and the logger's bindings (incidentId, group …) as tags. Every error
 * path in Nightshift already logs this way, so this one hook covers HTTP 500s, dead-lettered events and
 * stopped consumers. pino children are created with their parent as prototype, so every child inherits
 * it (a child given its own `level` gets fresh methods and would not).
 */
export function reportLoggedErrors(log: Logger, reporter: ErrorReporter): Logger {
  const reporting = log.child({});
  for (const level of ['error', 'fatal'] as const) {
    const write = reporting[level];
    reporting[level] = function reportAndLog(this: Logger, ...args: Parameters<LogFn>) {
      const [first, second] = args as unknown[];
      const error = errorIn(first);
      if (error) {
        const fields = { ...this.bindings(), ...(first instanceof Error ? {} : (first as Record<string, unknown>)) };
        reporter.report(error, { fields, ...(typeof second === 'string' ? { message: second } : {}) });
      }
      return (write as (...a: unknown[]) => void).apply(this, args);
    } as LogFn;
  }
  return reporting;
}
