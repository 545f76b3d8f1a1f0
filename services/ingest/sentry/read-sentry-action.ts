import { payloadProblem, wrongType, type ParsedPayload } from './parse-sentry-payload.js';
import { isRecord } from './read-sentry-values.js';

/** The `action` every Sentry webhook body carries (`created`, `triggered`, …), read before dispatching on it. */
export function readSentryAction(body: unknown): ParsedPayload<string> {
  if (!isRecord(body)) return wrongType('(root)', 'object', body);
  const { action } = body;
  if (typeof action !== 'string') return wrongType('action', 'string', action);
  if (action === '') return payloadProblem('action', 'Too small: expected string to have >=1 characters');
  return { ok: true, data: action };
}
