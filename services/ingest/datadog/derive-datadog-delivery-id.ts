import { createHash } from 'node:crypto';
import type { DatadogWebhookPayload } from './datadog-webhook-payload.js';

/** Past this, the id is hashed: it is stored and logged, and every part comes from the sender. */
const MAX_ID_LENGTH = 200;

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The idempotency key of a Datadog delivery. Datadog sends no delivery id, so it is made of what
 * tells one notification from another: monitor, alert cycle, transition and update time. Without a
 * monitor id or a time (Datadog's default payload has neither) it is the body's hash, so only a
 * byte-identical retry counts as a repeat.
 */
export function deriveDatadogDeliveryId(payload: DatadogWebhookPayload, rawBody: Buffer): string {
  const time = payload.last_updated ?? payload.date;
  if (!payload.alert_id || !time) return `sha256:${sha256(rawBody)}`;
  const parts = [payload.alert_id, payload.alert_cycle_key ?? '-', payload.alert_transition ?? '-', time];
  const id = `monitor:${parts.join('/')}`;
  return id.length <= MAX_ID_LENGTH ? id : `monitor-sha256:${sha256(JSON.stringify(parts))}`;
}
