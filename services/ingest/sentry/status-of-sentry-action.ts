import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';

/**
 * Whether a Sentry action means the problem is happening, is over, or is bookkeeping: assigning or
 * archiving an issue changes who looks at it, not whether it fails.
 */
export function statusOfSentryAction(action: string): AlertReceivedPayload['status'] {
  switch (action) {
    case 'resolved':
      return 'resolved';
    case 'assigned':
    case 'ignored':
    case 'archived':
      return 'info';
    default:
      return 'firing';
  }
}
