export { createLogger, type CreateLoggerOptions } from './create-logger.js';
export { isSecretKey } from './is-secret-key.js';
export { redactSecrets } from './redact-secrets.js';
export { REDACTED, scrubSecretText } from './scrub-secret-text.js';
export { serializeError } from './serialize-error.js';
export type { Logger } from 'pino';
