import type { Bindings, Logger } from 'pino';
import { redactSecrets } from './redact-secrets.js';

/**
 * Makes `child()` and `setBindings()` clean their bindings. pino applies `formatters.bindings` to
 * the root logger's bindings only (children get an identity formatter), so
 * `log.child({ token })` would otherwise print the token on every line. Children are created
 * with the logger as prototype, so they and their own children inherit these methods.
 */
export function redactChildBindings(logger: Logger): void {
  const child = logger.child;
  const setBindings = logger.setBindings;
  logger.child = function redactedChild(this: Logger, bindings: Bindings, options?: Parameters<Logger['child']>[1]) {
    return child.call(this, redactSecrets(bindings) as Bindings, options);
  } as Logger['child'];
  logger.setBindings = function redactedSetBindings(this: Logger, bindings: Bindings) {
    setBindings.call(this, redactSecrets(bindings) as Bindings);
  };
}
