import { z } from 'zod';
import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import { parseSentryPayload } from './parse-sentry-payload.js';
import type { NormalisedSentryAlert } from './sentry-alert-fields.js';
import { sentryId, tolerate } from './sentry-schema-parts.js';
import { statusOfSentryAction } from './status-of-sentry-action.js';
import { toIsoTimestamp } from './to-iso-timestamp.js';

const slugs = tolerate(z.array(z.string()));

const metricAlertBody = z.object({
  data: z.object({
    description_title: tolerate(z.string().min(1)),
    description_text: tolerate(z.string()),
    web_url: tolerate(z.string()),
    metric_alert: z.object({
      alert_rule: z.object({
        id: sentryId,
        name: z.string(),
        environment: tolerate(z.string().min(1)),
        projects: slugs,
      }),
      projects: slugs,
      date_started: z.unknown(),
      date_detected: z.unknown(),
      date_closed: z.unknown(),
    }),
  }),
});

function severityOf(action: string): AlertReceivedPayload['severity'] {
  return action === 'critical' ? 'critical' : action === 'warning' ? 'warning' : 'info';
}

/**
 * Normalises a `metric_alert` webhook (a metric alert rule's incident changed state). One rule makes
 * many incidents over time, so the fingerprint is the rule (`metric_alert:<rule id>`): a critical,
 * then a warning, then a resolution about one rule land on one partition.
 */
export function normaliseSentryMetricAlert(body: unknown, action: string, now: Date): NormalisedSentryAlert {
  const parsed = parseSentryPayload(metricAlertBody, body);
  if (!parsed.ok) return parsed;
  const { data } = parsed.data;
  const incident = data.metric_alert;
  const rule = incident.alert_rule;
  const started = toIsoTimestamp(incident.date_started) ?? toIsoTimestamp(incident.date_detected);
  const firedAt = action === 'resolved' ? toIsoTimestamp(incident.date_closed) : toIsoTimestamp(incident.date_detected) ?? started;
  return {
    ok: true,
    data: {
      kind: 'metric-alert',
      action,
      status: statusOfSentryAction(action),
      severity: severityOf(action),
      title: data.description_title ?? rule.name,
      message: data.description_text || undefined,
      fingerprint: `metric_alert:${rule.id}`,
      service: rule.projects?.[0] ?? incident.projects?.[0],
      environment: rule.environment,
      links: data.web_url ? [data.web_url] : [],
      tags: {},
      traceIds: [],
      requestIds: [],
      firstSeen: started,
      firedAt: firedAt ?? now.toISOString(),
    },
  };
}
