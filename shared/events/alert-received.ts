import { z } from 'zod';
import { defineEvent, timestamp } from './define-event.js';

export const stackFrame = z.object({
  filename: z.string().optional(),
  absPath: z.string().optional(),
  module: z.string().optional(),
  function: z.string().optional(),
  lineno: z.number().int().nonnegative().optional(),
  colno: z.number().int().nonnegative().optional(),
  inApp: z.boolean().optional(),
});

/** The failing request as the source saw it, so the verifier can replay it. */
export const failedRequest = z.object({
  method: z.string().min(1),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
  query: z.string().optional(),
  body: z.string().optional(),
});

export const alertSeverity = z.enum(['critical', 'error', 'warning', 'info']);

/** What the source reported: a raw error event, an issue (group), an alert rule firing, a monitor. */
export const alertKind = z.enum(['error', 'issue', 'event-alert', 'metric-alert', 'monitor']);

/** One alert from Sentry or Datadog, normalised by ingest. */
export const alertReceivedPayload = z.object({
  source: z.enum(['sentry', 'datadog']),
  channel: z.enum(['webhook', 'sdk-envelope']),
  /** The sender's delivery id: the idempotency key of this alert. */
  deliveryId: z.string().min(1),
  kind: alertKind,
  /** The source's own action or transition: `created`, `resolved`, `triggered`, `critical`, `recovered`, … */
  action: z.string().min(1),
  status: z.enum(['firing', 'resolved', 'info']),
  severity: alertSeverity,
  title: z.string(),
  message: z.string().optional(),
  /** Where it broke, as the source names it (Sentry's culprit: a transaction or function). */
  culprit: z.string().optional(),
  /** Sentry issue id, Datadog aggregation key, or error type + top in-app frame. */
  fingerprint: z.string().min(1),
  service: z.string().optional(),
  environment: z.string().optional(),
  release: z.string().optional(),
  /** Links back to the vendor: the issue, the event, the monitor. */
  links: z.array(z.string()),
  tags: z.record(z.string(), z.string()),
  traceIds: z.array(z.string()),
  requestIds: z.array(z.string()),
  error: z
    .object({
      type: z.string(),
      value: z.string().optional(),
      frames: z.array(stackFrame),
    })
    .optional(),
  request: failedRequest.optional(),
  firstSeen: timestamp.optional(),
  lastSeen: timestamp.optional(),
  firedAt: timestamp,
  receivedAt: timestamp,
  /** The payload as received, for evidence; capped by ingest (see `capRaw`). */
  raw: z.unknown().optional(),
});

export const alertReceivedV1 = defineEvent('alert.received.v1', alertReceivedPayload);
export type AlertReceivedPayload = z.infer<typeof alertReceivedPayload>;
