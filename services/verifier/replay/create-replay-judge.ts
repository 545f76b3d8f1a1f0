import type { ReplayRequest } from './build-replay-requests.js';
import { classifyReplayAnswer } from './classify-replay-answer.js';
import type { LiveLog } from './create-live-log.js';
import type { FailureSignature, ReplayOutcome, ReplayResponse } from './run-replay.js';
import type { ReplayClientEvent } from './start-replay-client.js';

/**
 * Follows the replay client's report and judges each answer against the service's live log. Only
 * the verifier's own records count: the request an answer belongs to is looked up here, never taken
 * from the report, and a report out of order is ignored.
 */
export function createReplayJudge({
  requests,
  log,
  serviceExited,
  signature,
}: {
  requests: readonly ReplayRequest[];
  log: LiveLog;
  serviceExited: () => boolean;
  signature?: FailureSignature;
}) {
  let healthy = false;
  let unhealthy: string | null = null;
  const offsets = new Map<number, number>();
  const responses: ReplayResponse[] = [];
  return {
    get healthy(): boolean {
      return healthy;
    },
    onEvent(event: ReplayClientEvent): void {
      switch (event.event) {
        case 'healthy':
          healthy = true;
          return;
        case 'unhealthy':
          unhealthy = String(event.detail);
          return;
        case 'sending':
          offsets.set(event.index, log.end);
          return;
        case 'answered': {
          const request = requests[event.index];
          if (request === undefined || responses.length !== event.index) return;
          const answer = { status: typeof event.status === 'number' ? event.status : null, error: event.error === null ? null : String(event.error) };
          const since = log.since(offsets.get(event.index) ?? log.end);
          const failure = classifyReplayAnswer({ answer, serviceExited: serviceExited(), log: since, ...(signature ? { signature } : {}) });
          responses.push({ method: request.method, path: request.path, ...answer, failure, body: typeof event.body === 'string' ? event.body.slice(0, 2000) : null });
          return;
        }
        case 'done':
          return;
      }
    },
    /** The verdict once the client is gone; `whyUnhealthy` explains a service that never answered. */
    verdict(whyUnhealthy: () => string): { outcome: ReplayOutcome; detail: string; responses: ReplayResponse[] } {
      if (!healthy) return { outcome: 'error', detail: unhealthy ?? whyUnhealthy(), responses };
      const failed = responses.filter((response) => response.failure !== null);
      if (failed.length > 0) return { outcome: 'failed', detail: failed.map((r) => `${r.method} ${r.path}: ${r.failure}`).join('; '), responses };
      if (responses.length < requests.length) {
        return { outcome: 'error', detail: `the replay did not finish (${responses.length} of ${requests.length} requests answered)`, responses };
      }
      return { outcome: 'passed', detail: responses.map((r) => `${r.method} ${r.path}: ${r.status}`).join('; '), responses };
    },
  };
}
