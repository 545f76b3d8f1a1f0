import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import { payloadProblem, wrongType } from './parse-sentry-payload.js';
import { readSentryId, sentryIdProblem } from './read-sentry-id.js';
import { isRecord, optionalString, optionalStrings, optionalText } from './read-sentry-values.js';
import type { NormalisedSentryAlert } from './sentry-alert-fields.js';
import { statusOfSentryAction } from './status-of-sentry-action.js';
import { toIsoTimestamp } from './to-iso-timestamp.js';

function severityOf(action: string): AlertReceivedPayload['severity'] {
  return action === 'critical' ? 'critical' : action === 'warning' ? 'warning' : 'info';
}

/**
 * Normalises a `metric_alert` webhook (a metric alert rule's incident changed state). One rule makes
 * many incidents over time, so the fingerprint is the rule (`metric_alert:<rule id>`): a critical,
 * then a warning, then a resolution about one rule land on one partition.
 */
export function normaliseSentryMetricAlert(body: unknown, action: string, now: Date): NormalisedSentryAlert {
  if (!isRecord(body)) return wrongType('(root)', 'object', body);
  const { data } = body;
  if (!isRecord(data)) return wrongType('data', 'object', data);
  const incident = data.metric_alert;
  if (!isRecord(incident)) return wrongType('data.metric_alert', 'object', incident);
  const rule = incident.alert_rule;
  if (!isRecord(rule)) return wrongType('data.metric_alert.alert_rule', 'object', rule);
  const ruleId = readSentryId(rule.id);
  if (ruleId === undefined) return payloadProblem('data.metric_alert.alert_rule.id', sentryIdProblem(rule.id));
  const ruleName = rule.name;
  if (typeof ruleName !== 'string') return wrongType('data.metric_alert.alert_rule.name', 'string', ruleName);
  const webUrl = optionalString(data.web_url);
  const started = toIsoTimestamp(incident.date_started) ?? toIsoTimestamp(incident.date_detected);
  const firedAt = action === 'resolved' ? toIsoTimestamp(incident.date_closed) : toIsoTimestamp(incident.date_detected) ?? started;
  return {
    ok: true,
    data: {
      kind: 'metric-alert',
      action,
      status: statusOfSentryAction(action),
      severity: severityOf(action),
      title: optionalText(data.description_title) ?? ruleName,
      message: optionalText(data.description_text),
      fingerprint: `metric_alert:${ruleId}`,
      service: optionalStrings(rule.projects)?.[0] ?? optionalStrings(incident.projects)?.[0],
      environment: optionalText(rule.environment),
      links: webUrl ? [webUrl] : [],
      tags: {},
      traceIds: [],
      requestIds: [],
      firstSeen: started,
      firedAt: firedAt ?? now.toISOString(),
    },
  };
}
