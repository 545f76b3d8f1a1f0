import type { IncomingHttpHeaders } from 'node:http';
import type { NightshiftEvent } from '../../shared/events/registry.js';

export type IngestSource = 'sentry' | 'sentry-envelope' | 'datadog' | 'github';

/** The request as received: headers and the raw bytes (signatures are computed over these). */
export interface RawDelivery {
  headers: IncomingHttpHeaders;
  /** After content-encoding was undone; limited to `ingest.maxBodyBytes`. */
  body: Buffer;
  query: Record<string, string | undefined>;
  params: Record<string, string | undefined>;
}

/** Why a delivery was refused; becomes an RFC 9457 problem answer and a metric label. */
export interface Rejection {
  status: 400 | 401 | 403 | 404 | 413 | 415 | 422;
  /** Short, stable, label-safe: `bad-signature`, `stale-timestamp`, `schema`, … */
  reason: string;
  detail: string;
  /** The offending field, for schema failures. */
  field?: string;
}

/** An accepted delivery: its idempotency key and the event it becomes (null: accepted, nothing to publish). */
export interface Accepted {
  deliveryId: string;
  event: NightshiftEvent | null;
}

export type Verdict = { ok: true; accepted: Accepted } | { ok: false; rejection: Rejection };

/**
 * One source's receiver: verifies and normalises a raw delivery, without I/O, so it is tested directly.
 * Bad input is a result (a rejection), never an exception.
 */
export interface Receiver {
  source: IngestSource;
  /** Content types accepted; undefined accepts anything (the Sentry JS SDK sends none). */
  contentTypes?: string[];
  receive(delivery: RawDelivery, now: Date): Verdict | Promise<Verdict>;
}

export function reject(status: Rejection['status'], reason: string, detail: string, field?: string): Verdict {
  return { ok: false, rejection: { status, reason, detail, ...(field ? { field } : {}) } };
}

export function accept(deliveryId: string, event: NightshiftEvent | null): Verdict {
  return { ok: true, accepted: { deliveryId, event } };
}
