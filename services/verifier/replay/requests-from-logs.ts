import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import type { LoggedRequest } from '../../triage/report/triage-report.js';

type FailedRequest = NonNullable<AlertReceivedPayload['request']>;

// Safe to send again without the body the log did not keep.
const REPLAYABLE_WITHOUT_BODY = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

/**
 * The root-cause service's failing requests from the triage report's logs, shaped like an alert's
 * `request` for the replay: methods that need no body, or any method whose line carried its body.
 * Used only when no alert carried a request.
 */
export function requestsFromLogs(logged: readonly LoggedRequest[] | undefined, rootService: string | undefined, limit = 5): FailedRequest[] {
  const own = (logged ?? []).filter((request) => rootService === undefined || request.service === rootService);
  return own
    .filter((request) => REPLAYABLE_WITHOUT_BODY.has(request.method) || request.body !== undefined)
    .slice(0, limit)
    .map((request) => ({
      method: request.method,
      url: request.path,
      ...(request.body !== undefined ? { body: request.body, headers: { 'content-type': request.contentType ?? 'application/json' } } : {}),
    }));
}
