import { stdSerializers } from 'pino';
import { redactSecrets } from './redact-secrets.js';

/**
 * pino's error serializer with secrets removed from the result: connection errors carry URLs with
 * passwords in `message` and `stack`, HTTP client errors carry request headers as fields.
 */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return redactSecrets(error);
  return redactSecrets(stdSerializers.err(error));
}
