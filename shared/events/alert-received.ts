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

/** One alert from Sentry or Datadog, normalised by ingest. */
export const alertReceivedPayload = z.object({
  source: z.enum(['sentry', 'datadog']),
  channel: z.enum(['webhook', 'sdk-envelope']),
  /** The sender's delivery id: the idempotency key of this alert. */
  deliveryId: z.string().min(1),
  /** Source-specific resource and action, e.g. `issue.created`, `metric_alert.critical`, `monitor.triggered`. */
  kind: z.string().min(1),
  status: z.enum(['firing', 'resolved', 'info']),
  severity: alertSeverity,
  title: z.string(),
  message: z.string().optional(),
  /** Sentry issue id, Datadog aggregation key, or error type + top in-app frame. */
  fingerprint: z.string().min(1),
  service: z.string().optional(),
  environment: z.string().optional(),
  release: z.string().optional(),
  url: z.string().optional(),
  tags: z.record(z.string(), z.string()),
  traceIds: z.array(z.string()),
  error: z
    .object({
      type: z.string(),
      value: z.string().optional(),
      frames: z.array(stackFrame),
    })
    .optional(),
  request: failedRequest.optional(),
  firedAt: timestamp,
  receivedAt: timestamp,
});

export const alertReceivedV1 = defineEvent('alert.received.v1', alertReceivedPayload);
export type AlertReceivedPayload = z.infer<typeof alertReceivedPayload>;
