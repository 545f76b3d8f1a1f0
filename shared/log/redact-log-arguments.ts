import type { LogFn, Logger } from 'pino';
import { redactSecrets } from './redact-secrets.js';

/**
 * pino `hooks.logMethod`: cleans printf-style arguments (`log.info('got %j', body)`) before pino
 * interpolates them into `msg`, so key-based redaction reaches objects that only ever appear inside
 * the message text. The merge object is left to `formatters.log` and the finished message to the
 * `msg` serializer.
 */
export function redactLogArguments(this: Logger, args: Parameters<LogFn>, method: LogFn): void {
  const templateIndex = typeof args[0] === 'object' || args[0] === undefined ? 1 : 0;
  if (args.length <= templateIndex + 1) {
    Reflect.apply(method, this, args);
    return;
  }
  const cleaned = args.map((arg, i) => (i <= templateIndex ? arg : redactSecrets(arg)));
  Reflect.apply(method, this, cleaned);
}
