import { randomBytes } from 'node:crypto';

export interface DatadogLogAlertOptions {
  service: string;
  /** The error line Datadog would have sampled. */
  message: string;
  traceId?: string;
  requestId?: string;
  /** How many error lines the monitor counted. */
  count: number;
  now: Date;
  monitorId?: string;
}

/**
 * A Datadog log monitor's "Triggered" notification for `service`, shaped by Nightshift's webhook template
 * (`DATADOG_PAYLOAD_TEMPLATE`): every variable a string, `$LOGS_SAMPLE` a string holding JSON, `$DATE`
 * epoch milliseconds. What Datadog would post when the service's error logs cross the threshold.
 */
export function buildDatadogLogAlert(options: DatadogLogAlertOptions): Record<string, unknown> {
  const { service, now } = options;
  const monitorId = options.monitorId ?? '4242';
  const at = String(now.getTime());
  const ids = [options.traceId && `trace_id=${options.traceId}`, options.requestId && `request_id=${options.requestId}`].filter(Boolean).join(' ');
  const sample = {
    columns: ['Time', 'Host', 'Service'],
    label: 'Sample Logs',
    rows: [{ items: [now.toISOString().slice(11, 19) + ' UTC', `${service}-0`, service], message: `${options.message}${ids ? ` ${ids}` : ''}` }],
  };
  return {
    id: `${Date.now()}${randomBytes(3).readUIntBE(0, 3)}`,
    alert_id: monitorId,
    aggreg_key: `monitor-${monitorId}-service-${service}`,
    alert_cycle_key: `${monitorId}-${at}`,
    alert_transition: 'Triggered',
    alert_type: 'error',
    alert_priority: 'P1',
    alert_status: `Logs count over service:${service} status:error was > 2 during the last 1m.`,
    event_type: 'log_alert',
    title: `[P1] [Triggered on {service:${service}}] ${service} error logs spiking`,
    body: `%%%\n${options.count} error logs from ${service} in the last minute.\n%%%`,
    date: at,
    last_updated: at,
    tags: `env:production, monitor, service:${service}`,
    hostname: `${service}-0`,
    link: `https://app.datadoghq.com/monitors/${monitorId}`,
    snapshot: '',
    logs_sample: JSON.stringify(sample),
    org: { id: '1000123', name: 'shop' },
  };
}
