import {
  pino,
  type Bindings,
  type DestinationStream,
  type LevelWithSilent,
  type Logger,
  type LoggerOptions,
} from 'pino';
import { redactChildBindings } from './redact-child-bindings.js';
import { redactLogArguments } from './redact-log-arguments.js';
import { redactSecrets } from './redact-secrets.js';
import { scrubSecretText } from './scrub-secret-text.js';
import { serializeError } from './serialize-error.js';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  level: LevelWithSilent;
  /** Where lines go; stdout when absent. */
  destination?: DestinationStream;
  /** Added to every line as `name` (the service or role). */
  name?: string;
}

function redactMessage(message: unknown): unknown {
  return typeof message === 'string' ? scrubSecretText(message) : redactSecrets(message);
}

/**
 * A pino logger that never writes secrets. Every way into a line is cleaned with `redactSecrets`:
 * the merge object (`formatters.log`), bindings (`formatters.bindings` for the root, wrapped
 * `child`/`setBindings` below it), printf arguments (`hooks.logMethod`), the finished message,
 * including one taken from an error (the `msg` serializer, which pino applies after interpolation),
 * and errors under `err`/`error`. Nothing is copied or re-serialised when nothing matched.
 */
export function createLogger({ level, destination, name }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    level,
    formatters: {
      log: (object) => redactSecrets(object) as Record<string, unknown>,
      bindings: (bindings) => redactSecrets(bindings) as Bindings,
    },
    hooks: { logMethod: redactLogArguments },
    serializers: { err: serializeError, error: serializeError, msg: redactMessage },
  };
  if (name !== undefined) options.name = name;
  const logger = destination === undefined ? pino(options) : pino(options, destination);
  redactChildBindings(logger);
  return logger;
}
