import { buildDatadogLogAlert } from './build-datadog-log-alert.js';
import { countErrorLines } from './count-error-lines.js';
import type { DemoContext } from './demo-context.js';
import { DemoError } from './demo-error.js';
import { formatSeconds } from './format-seconds.js';
import { pollUntil } from './poll-until.js';
import { listIncidents, type IncidentSummary } from './read-incidents.js';
import type { DemoStage } from './run-demo-stages.js';
import { sendDatadogWebhook } from './send-datadog-webhook.js';

const DEEPEST = 'inventory';

function describe(incidents: IncidentSummary[]): string {
  if (incidents.length === 0) return 'no incident';
  return incidents.map((i) => `${i.id.slice(0, 8)} (${i.services.join(', ')}; ${i.sources.join(', ')}; ${i.alertCount} alerts)`).join('; ');
}

/**
 * Alerts: the services' own Sentry SDK reports open an incident, then a Datadog log monitor on
 * inventory's error lines fires its webhook, and the incident takes it in.
 */
export const alertsStage: DemoStage<DemoContext> = {
  name: 'alerts',
  title: 'alerts',
  async run(ctx) {
    const url = ctx.nightshift!.url;
    const timeoutMs = ctx.options.alertTimeoutMs;
    const fromSentry = await pollUntil(async () => (await listIncidents(url)).find((i) => i.services.includes(DEEPEST) && i.sources.includes('sentry')), { timeoutMs, intervalMs: 50 });
    if (!fromSentry) throw new DemoError('DEMO_NO_ALERT', `no Sentry report from ${DEEPEST} became an incident within ${formatSeconds(timeoutMs)}: ${describe(await listIncidents(url).catch(() => []))}`);
    ctx.incidentSeenAt = ctx.watch?.firstSeen(fromSentry.id) ?? Date.now();

    const errors = await countErrorLines(ctx.system!.logFiles[DEEPEST]);
    const body = buildDatadogLogAlert({
      service: DEEPEST,
      message: errors.first?.msg ?? 'unhandled error',
      ...(errors.first?.traceId ? { traceId: errors.first.traceId } : {}),
      ...(errors.first?.requestId ? { requestId: errors.first.requestId } : {}),
      count: Math.max(errors.count, 1),
      now: new Date(),
    });
    const posted = await sendDatadogWebhook({ nightshiftUrl: url, token: ctx.secrets.datadogToken, body });
    if (posted.status !== 202) throw new DemoError('DEMO_WEBHOOK_REFUSED', `the Datadog webhook was answered ${posted.status}: ${posted.answer.slice(0, 300)}`);

    const joined = await pollUntil(async () => (await listIncidents(url)).find((i) => i.services.includes(DEEPEST) && i.sources.includes('sentry') && i.sources.includes('datadog')), {
      timeoutMs,
      intervalMs: 50,
    });
    if (!joined) throw new DemoError('DEMO_NO_ALERT', `the Datadog alert did not join the Sentry incident within ${formatSeconds(timeoutMs)}: ${describe(await listIncidents(url).catch(() => []))}`);
    ctx.incidentId = joined.id;
    const failedAt = ctx.traffic?.firstFailure?.at;
    const after = failedAt !== undefined ? ` ${formatSeconds(Math.max(0, ctx.incidentSeenAt - failedAt))} after the first failure` : '';
    return `Sentry SDK reports from ${DEEPEST} opened incident ${joined.id.slice(0, 8)}${after}; Datadog log monitor webhook (${errors.count} error lines) → 202, joined it: ${joined.alertCount} alerts from ${joined.sources.join(' and ')}`;
  },
};
