import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import type { TriageReport } from '../../triage/report/triage-report.js';
import { requestsFromLogs } from './requests-from-logs.js';

type FailedRequest = NonNullable<AlertReceivedPayload['request']>;

/**
 * The incident's failing requests to replay: the alerts' own `request`s (the root-cause service's
 * first: that is the service the fix changed), else the failing requests its logs described.
 */
export function pickIncidentRequests(
  alerts: readonly AlertReceivedPayload[],
  report: Pick<TriageReport, 'rootCause' | 'failingRequests'> | null,
): { requests: FailedRequest[]; source: 'alert' | 'logs' } {
  const rootService = report?.rootCause?.service;
  const withRequest = alerts.filter((alert) => alert.request !== undefined && alert.status !== 'resolved');
  const own = withRequest.filter((alert) => alert.service === rootService);
  const fromAlerts = (own.length > 0 ? own : withRequest).map((alert) => alert.request as FailedRequest).slice(0, 5);
  if (fromAlerts.length > 0) return { requests: fromAlerts, source: 'alert' };
  return { requests: requestsFromLogs(report?.failingRequests, rootService), source: 'logs' };
}
