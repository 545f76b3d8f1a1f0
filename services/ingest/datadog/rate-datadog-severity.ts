import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';

type Severity = AlertReceivedPayload['severity'];

/**
 * Severity from the monitor's priority and `$ALERT_TYPE`: P1 is critical whatever the type; a type
 * Datadog did not send falls back on the transition (a warn is a warning, anything else an error).
 */
export function rateDatadogSeverity(alertType: string | undefined, priority: string | undefined, action: string): Severity {
  if (priority?.trim().toUpperCase() === 'P1') return 'critical';
  switch (alertType?.toLowerCase()) {
    case 'error':
      return 'error';
    case 'warning':
      return 'warning';
    case 'info':
    case 'success':
      return 'info';
  }
  if (action === 'recovered') return 'info';
  return action.endsWith('warn') ? 'warning' : 'error';
}
