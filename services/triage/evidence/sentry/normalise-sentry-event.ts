import type { z } from 'zod';
import type { failedRequest, stackFrame } from '../../../../shared/events/alert-received.js';
import { normaliseRequestId, normaliseTraceId } from '../extract-correlation-ids.js';
import type { LogLevel } from '../log-record.js';
import { normaliseLogLevel } from '../normalise-log-level.js';
import { normaliseTimestamp } from '../normalise-timestamp.js';
import { parseTraceparent } from '../parse-traceparent.js';
import { asObject, asString, asText, readEntries, type JsonObject } from '../../../../shared/json/read-json-values.js';

/** The frame and request shapes of `alert.received.v1`, so a thin webhook alert can be filled in directly. */
export type SentryStackFrame = z.infer<typeof stackFrame>;
export type SentryRequest = z.infer<typeof failedRequest>;

export interface SentryException {
  type: string;
  value?: string;
  /** Oldest call first, as Sentry orders them: the raising frame is last. */
  frames: SentryStackFrame[];
}

export interface SentryBreadcrumb {
  /** Epoch ms, when the crumb has one. */
  timestamp?: number;
  level: LogLevel;
  type?: string;
  category?: string;
  message?: string;
  data?: JsonObject;
}

/** One Sentry event, from the REST API (`EventDetailed`) or an SDK/webhook payload, in one shape. */
export interface SentryEventDetail {
  eventId: string;
  /** The issue (group) id, when the API says. */
  issueId?: string;
  title: string;
  message?: string;
  culprit?: string;
  /** Epoch ms. */
  timestamp?: number;
  level: LogLevel;
  platform?: string;
  /** The exception raised (the last of a chain). */
  exception?: SentryException;
  request?: SentryRequest;
  traceId?: string;
  spanId?: string;
  requestId?: string;
  tags: Record<string, string>;
  release?: string;
  environment?: string;
  breadcrumbs: SentryBreadcrumb[];
}

const MAX_FRAMES = 200;
const MAX_BREADCRUMBS = 100;
/** Credentials never leave through evidence; Sentry scrubs most, this catches what a project let through. */
const DROPPED_HEADERS = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization', 'x-sentry-auth', 'x-api-key']);

/** An entry of the REST API's `entries` list (`exception`, `breadcrumbs`, `request`…), by type. */
function entry(event: JsonObject, type: string): JsonObject | undefined {
  const entries = Array.isArray(event.entries) ? event.entries : [];
  return asObject(asObject(entries.find((e) => asObject(e)?.type === type))?.data);
}

/** `{ values: [...] }` or a bare list, as the SDKs send either. */
function values(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  const list = asObject(value)?.values;
  return Array.isArray(list) ? list : [];
}

const wholeNumber = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined);

/** The API writes frames in camelCase (`absPath`, `lineNo`, `inApp`), the SDKs in snake_case. */
function readFrame(value: unknown): SentryStackFrame | undefined {
  const frame = asObject(value);
  if (!frame) return undefined;
  const inApp = frame.inApp ?? frame.in_app;
  const read: SentryStackFrame = {
    filename: asString(frame.filename),
    absPath: asString(frame.absPath ?? frame.abs_path),
    module: asString(frame.module),
    function: asString(frame.function),
    lineno: wholeNumber(frame.lineNo ?? frame.lineno),
    colno: wholeNumber(frame.colNo ?? frame.colno),
    inApp: typeof inApp === 'boolean' ? inApp : undefined,
  };
  return Object.fromEntries(Object.entries(read).filter(([, v]) => v !== undefined)) as SentryStackFrame;
}

function readException(event: JsonObject): SentryException | undefined {
  const raised = asObject(values(entry(event, 'exception') ?? event.exception).at(-1));
  if (!raised) return undefined;
  const type = asString(raised.type);
  const value = asString(raised.value);
  if (!type && !value) return undefined;
  const frames = values(asObject(raised.stacktrace)?.frames).slice(-MAX_FRAMES).flatMap((f) => readFrame(f) ?? []);
  return { type: type ?? 'Error', ...(value ? { value } : {}), frames };
}

function readRequest(event: JsonObject): SentryRequest | undefined {
  const request = entry(event, 'request') ?? asObject(event.request);
  const method = asString(request?.method);
  const url = asString(request?.url);
  if (!request || !method || !url) return undefined;
  const headers = Object.fromEntries(
    readEntries(request.headers).flatMap(([name, raw]) => (asText(raw) === undefined || DROPPED_HEADERS.has(name.toLowerCase()) ? [] : [[name, asText(raw)!]])),
  );
  const rawQuery = request.query ?? request.query_string;
  const query =
    typeof rawQuery === 'string' ? rawQuery : new URLSearchParams(readEntries(rawQuery).flatMap(([k, v]): [string, string][] => (asText(v) === undefined ? [] : [[k, asText(v)!]]))).toString();
  const data = request.data;
  const body = data === undefined || data === null ? undefined : typeof data === 'string' ? data : JSON.stringify(data);
  return {
    method,
    url,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(query ? { query } : {}),
    ...(body !== undefined ? { body } : {}),
  };
}

function readBreadcrumbs(event: JsonObject): SentryBreadcrumb[] {
  return values(entry(event, 'breadcrumbs') ?? event.breadcrumbs)
    .slice(-MAX_BREADCRUMBS)
    .flatMap((value): SentryBreadcrumb[] => {
      const crumb = asObject(value);
      if (!crumb) return [];
      const timestamp = normaliseTimestamp(crumb.timestamp);
      const out: SentryBreadcrumb = { level: normaliseLogLevel(crumb.level) ?? 'info' };
      if (timestamp !== undefined) out.timestamp = timestamp;
      for (const key of ['type', 'category', 'message'] as const) {
        const text = asString(crumb[key]);
        if (text !== undefined) out[key] = text;
      }
      const data = asObject(crumb.data);
      if (data) out.data = data;
      return [out];
    });
}

function readMessage(event: JsonObject): string | undefined {
  const logentry = asObject(event.logentry) ?? asObject(event.message);
  return asString(event.message) ?? asString(logentry?.formatted) ?? asString(logentry?.message);
}

/**
 * Normalises an event as the Sentry REST API returns it (`entries`, camelCase frames, `{key, value}`
 * tags, `release` object) or as an SDK or webhook sends it (`exception.values`, snake_case, tag pairs).
 * Returns undefined when the value has no event id.
 */
export function normaliseSentryEvent(value: unknown): SentryEventDetail | undefined {
  const event = asObject(value);
  const eventId = asString(event?.eventID) ?? asString(event?.event_id) ?? asString(event?.id);
  if (!event || !eventId) return undefined;

  const tags = Object.fromEntries(readEntries(event.tags).flatMap(([k, v]) => (asText(v) === undefined ? [] : [[k, asText(v)!]])));
  const exception = readException(event);
  const request = readRequest(event);
  const message = readMessage(event);
  const trace = asObject(asObject(event.contexts)?.trace);
  const headers = Object.entries(request?.headers ?? {});
  const header = (name: string) => headers.find(([key]) => key.toLowerCase() === name)?.[1];
  // An event without a trace context may still have come in with a W3C traceparent header.
  const traceId = normaliseTraceId(trace?.trace_id) ?? parseTraceparent(header('traceparent') ?? '')?.traceId;
  const spanId = normaliseTraceId(trace?.span_id);
  const requestId = normaliseRequestId(header('x-request-id') ?? tags.request_id);
  const release = asString(event.release) ?? asString(asObject(event.release)?.version) ?? tags.release;
  const environment = asString(event.environment) ?? tags.environment;
  const issueId = asText(event.groupID) ?? asText(event.issue_id);
  const culprit = asString(event.culprit);
  const platform = asString(event.platform);
  const timestamp = normaliseTimestamp(event.dateCreated ?? event.timestamp ?? event.datetime);
  const title =
    asString(event.title) ?? (exception ? `${exception.type}${exception.value ? `: ${exception.value}` : ''}` : undefined) ?? message ?? '(no title)';

  return {
    eventId,
    title,
    level: normaliseLogLevel(tags.level ?? event.level) ?? 'error',
    tags,
    breadcrumbs: readBreadcrumbs(event),
    ...(issueId ? { issueId } : {}),
    ...(message ? { message } : {}),
    ...(culprit ? { culprit } : {}),
    ...(timestamp !== undefined ? { timestamp } : {}),
    ...(platform ? { platform } : {}),
    ...(exception ? { exception } : {}),
    ...(request ? { request } : {}),
    ...(traceId ? { traceId } : {}),
    ...(spanId ? { spanId } : {}),
    ...(requestId ? { requestId } : {}),
    ...(release ? { release } : {}),
    ...(environment ? { environment } : {}),
  };
}
