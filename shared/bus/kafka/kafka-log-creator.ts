import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

/** Routes kafkajs's own logs into pino, so they are structured and redacted like ours. */
export function kafkaLogCreator(log: Logger): logCreator {
  return () =>
    ({ namespace, level, log: entry }) => {
      const { message, ...fields } = entry;
      const context = { ...fields, kafkaNamespace: namespace };
      switch (level) {
        case logLevel.ERROR:
          log.error(context, message);
          break;
        case logLevel.WARN:
          log.warn(context, message);
          break;
        case logLevel.INFO:
          log.info(context, message);
          break;
        default:
          log.debug(context, message);
      }
    };
}
