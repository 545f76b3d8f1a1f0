import { assertNever } from '../../../shared/errors.js';
import { normaliseSentryEvent } from './normalise-sentry-event.js';
import { normaliseSentryIssue } from './normalise-sentry-issue.js';
import { normaliseSentryMetricAlert } from './normalise-sentry-metric-alert.js';
import type { NormalisedSentryAlert } from './sentry-alert-fields.js';
import type { SentryHookResource } from './sentry-hook-actions.js';

/** Routes a verified, parsed Sentry body to the normaliser of its resource. */
export function normaliseSentryDelivery(
  resource: Exclude<SentryHookResource, 'installation'>,
  action: string,
  body: unknown,
  now: Date,
): NormalisedSentryAlert {
  switch (resource) {
    case 'issue':
      return normaliseSentryIssue(body, action, now);
    case 'event_alert':
    case 'error':
      return normaliseSentryEvent(body, resource, action, now);
    case 'metric_alert':
      return normaliseSentryMetricAlert(body, action, now);
    default:
      return assertNever(resource, 'Sentry hook resource');
  }
}
