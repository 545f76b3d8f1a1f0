import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import { capRaw } from '../cap-raw.js';
import type { Rejection } from '../receiver.js';
import { deriveFingerprint } from './derive-fingerprint.js';
import { asObject, asString, asText, readEntries, type JsonObject } from './read-json-values.js';
import { readSentryError } from './read-sentry-error.js';
import { readRequestIds, readSentryRequest } from './read-sentry-request.js';

export interface SdkEventContext {
  /** The idempotency key: the event id. */
  deliveryId: string;
  /** The envelope header (its `trace` carries the trace id); empty for the store endpoint. */
  envelopeHeader: JsonObject;
  now: Date;
}

export type SdkEventNormalisation = { ok: true; payload: AlertReceivedPayload } | { ok: false; rejection: Rejection };

function severityOf(level: unknown): AlertReceivedPayload['severity'] {
  switch (level) {
    case 'fatal':
      return 'critical';
    case 'warning':
    case 'warn':
      return 'warning';
    case 'info':
    case 'debug':
    case 'log':
      return 'info';
    default:
      return 'error';
  }
}

function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value !== 'string') return undefined;
  return new Date(/^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : value);
}

/** Seconds since the epoch (a float, as the SDKs send) or an ISO string; missing means now. */
function readFiredAt(value: unknown, now: Date): string | undefined {
  if (value === undefined || value === null) return now.toISOString();
  const date = parseTimestamp(value);
  // An invalid date makes toISOString throw, and years past 9999 are not ISO-8601: bad input either way.
  if (!date || !Number.isFinite(date.getTime()) || date.getUTCFullYear() < 0 || date.getUTCFullYear() > 9999) return undefined;
  return date.toISOString();
}

/** The formatted message and its template (`logentry`, or `message` as a string or an object). */
function readMessage(event: JsonObject): { text?: string; template?: string } {
  const logentry = asObject(event.logentry) ?? asObject(event.message);
  const text = asString(logentry?.formatted) ?? asString(logentry?.message) ?? asString(event.message);
  return { text, template: asString(logentry?.message) ?? text };
}

function readTags(event: JsonObject): Record<string, string> {
  return Object.fromEntries(readEntries(event.tags).flatMap(([key, value]) => (asText(value) === undefined ? [] : [[key, asText(value)!]])));
}

function readTraceIds(event: JsonObject, envelopeHeader: JsonObject): string[] {
  const ids = [asObject(asObject(event.contexts)?.trace)?.trace_id, asObject(envelopeHeader.trace)?.trace_id];
  return [...new Set(ids.flatMap((id) => asString(id) ?? []))];
}

function schema(field: string, detail: string): SdkEventNormalisation {
  return { ok: false, rejection: { status: 422, reason: 'schema', detail, field } };
}

/**
 * An event sent by a Sentry SDK (an envelope `event` item or a legacy store body) as the payload
 * of `alert.received.v1`. An event that names neither an exception nor a message is a 422.
 */
export function normaliseSentrySdkEvent(event: JsonObject, context: SdkEventContext): SdkEventNormalisation {
  const error = readSentryError(event);
  const message = readMessage(event);
  const title = error ? (error.value ? `${error.type}: ${error.value}` : error.type) : message.text;
  if (!title) return schema('exception', 'the event has neither an exception with a type or value nor a message');
  const firedAt = readFiredAt(event.timestamp, context.now);
  if (!firedAt) return schema('timestamp', 'the event timestamp is neither seconds since the epoch nor an ISO-8601 date');
  const tags = readTags(event);
  const request = readSentryRequest(event);
  const service = tags.service ?? asString(event.server_name);
  const environment = asString(event.environment);
  const release = asString(event.release);
  const culprit = asString(event.transaction) ?? asString(event.culprit);
  return {
    ok: true,
    payload: {
      source: 'sentry',
      channel: 'sdk-envelope',
      deliveryId: context.deliveryId,
      kind: 'error',
      action: 'created',
      status: 'firing',
      severity: severityOf(event.level),
      title,
      ...(message.text ? { message: message.text } : {}),
      ...(culprit ? { culprit } : {}),
      fingerprint: deriveFingerprint({ fingerprint: event.fingerprint, error, message: message.template }),
      ...(service ? { service } : {}),
      ...(environment ? { environment } : {}),
      ...(release ? { release } : {}),
      links: [],
      tags,
      traceIds: readTraceIds(event, context.envelopeHeader),
      requestIds: readRequestIds(event, tags),
      ...(error ? { error } : {}),
      ...(request ? { request } : {}),
      firedAt,
      receivedAt: context.now.toISOString(),
      raw: capRaw(event),
    },
  };
}
