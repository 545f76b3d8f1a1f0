import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';

/**
 * The alert severity of a Sentry event level. A missing or unknown level reads as `error`, the level
 * Sentry itself assigns when an SDK sends none.
 */
export function severityOfSentryLevel(level: string | undefined): AlertReceivedPayload['severity'] {
  switch (level) {
    case 'fatal':
      return 'critical';
    case 'warning':
      return 'warning';
    case 'info':
    case 'debug':
      return 'info';
    default:
      return 'error';
  }
}
