import { createHash } from 'node:crypto';
import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import { capRaw } from '../cap-raw.js';
import { cleanDatadogTitle } from './clean-datadog-title.js';
import type { DatadogWebhookPayload } from './datadog-webhook-payload.js';
import { decodeLogsSample } from './decode-logs-sample.js';
import { extractCorrelationIds } from './extract-correlation-ids.js';
import { parseDatadogDate } from './parse-datadog-date.js';
import { parseDatadogTags, recordDatadogTags } from './parse-datadog-tags.js';
import { rateDatadogSeverity } from './rate-datadog-severity.js';

/** The fingerprint is the partition key too (at most 512 characters); a longer one is hashed. */
const MAX_FINGERPRINT_LENGTH = 200;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** `Re-Triggered` → `re-triggered`, `No Data` → `no-data`; Datadog's "Null" and nothing mean a trigger. */
function toAction(transition: string | undefined): string {
  const action = (transition ?? '').trim().toLowerCase().replace(/\s+/g, '-');
  return action && action !== 'null' ? action : 'triggered';
}

function toFingerprint(payload: DatadogWebhookPayload, title: string): string {
  const fingerprint = payload.aggreg_key ?? (payload.alert_id ? `datadog-monitor:${payload.alert_id}` : `datadog-title:${shortHash(title)}`);
  return fingerprint.length <= MAX_FINGERPRINT_LENGTH ? fingerprint : `datadog-sha256:${shortHash(fingerprint)}`;
}

export interface NormaliseDatadogInput {
  payload: DatadogWebhookPayload;
  deliveryId: string;
  receivedAt: Date;
  /** The parsed body, kept (capped) as evidence. */
  raw: unknown;
}

/** A Datadog monitor notification as `alert.received.v1`, keyed by its fingerprint. */
export function normaliseDatadogAlert({ payload, deliveryId, receivedAt, raw }: NormaliseDatadogInput): { key: string; payload: AlertReceivedPayload } {
  const action = toAction(payload.alert_transition);
  const rawTitle = payload.title ?? (payload.alert_id ? `Datadog monitor ${payload.alert_id}` : 'Datadog alert');
  const title = cleanDatadogTitle(rawTitle);
  const tagList = parseDatadogTags(payload.tags);
  const tags = recordDatadogTags(tagList);
  if (payload.hostname && !Object.hasOwn(tags, 'host')) tags.host = payload.hostname;
  const { traceIds, requestIds } = extractCorrelationIds(tagList, decodeLogsSample(payload.logs_sample));
  const lastUpdated = parseDatadogDate(payload.last_updated);
  const firedAt = parseDatadogDate(payload.date) ?? lastUpdated ?? receivedAt;
  const fingerprint = toFingerprint(payload, title);
  const message = payload.body ?? payload.alert_status;
  return {
    key: fingerprint,
    payload: {
      source: 'datadog',
      channel: 'webhook',
      deliveryId,
      kind: 'monitor',
      action,
      status: action === 'recovered' ? 'resolved' : 'firing',
      severity: rateDatadogSeverity(payload.alert_type, payload.alert_priority, action),
      title,
      ...(message !== undefined ? { message } : {}),
      fingerprint,
      ...(tags.service ? { service: tags.service } : {}),
      ...(tags.env ? { environment: tags.env } : {}),
      ...(tags.version ? { release: tags.version } : {}),
      links: [...new Set([payload.link, payload.snapshot].filter((link): link is string => Boolean(link)))],
      tags,
      traceIds,
      requestIds,
      ...(lastUpdated ? { lastSeen: lastUpdated.toISOString() } : {}),
      firedAt: firedAt.toISOString(),
      receivedAt: receivedAt.toISOString(),
      raw: capRaw(raw),
    },
  };
}
