import { boundAttributes } from '../bound-attributes.js';
import type { LogRecord } from '../log-record.js';
import type { SentryBreadcrumb, SentryEventDetail } from './normalise-sentry-event.js';

/** A crumb's line: its message, else what its category and data say (`GET http://… [502]` for http). */
function describeBreadcrumb(crumb: SentryBreadcrumb): string {
  if (crumb.message) return crumb.message;
  const data = crumb.data ?? {};
  if (crumb.type === 'http' || crumb.category === 'http' || crumb.category === 'fetch' || crumb.category === 'xhr') {
    const status = data.status_code !== undefined ? ` [${String(data.status_code)}]` : '';
    return `${String(data.method ?? 'GET')} ${String(data.url ?? '')}${status}`;
  }
  const detail = Object.keys(data).length > 0 ? ` ${JSON.stringify(data).slice(0, 500)}` : '';
  return `${crumb.category ?? crumb.type ?? 'breadcrumb'}${detail}`;
}

/**
 * The event as one LogRecord (its title as the message) and each timed breadcrumb as one more, oldest
 * first. Breadcrumbs take the event's trace and request ids: server SDKs keep breadcrumbs per request
 * scope, so they are the lead-up to this event within the same trace.
 */
export function sentryEventToLogRecords(event: SentryEventDetail, service: string, { breadcrumbs = true } = {}): LogRecord[] {
  const ids = {
    ...(event.traceId ? { traceId: event.traceId } : {}),
    ...(event.requestId ? { requestId: event.requestId } : {}),
  };
  const records: LogRecord[] = [];
  if (breadcrumbs) {
    event.breadcrumbs.forEach((crumb, index) => {
      if (crumb.timestamp === undefined) return;
      records.push({
        timestamp: crumb.timestamp,
        service,
        level: crumb.level,
        message: describeBreadcrumb(crumb),
        ...ids,
        attributes: boundAttributes({ breadcrumbOf: event.eventId, type: crumb.type, category: crumb.category, data: crumb.data }),
        origin: { source: 'sentry', ref: `${event.eventId}#breadcrumb-${index}` },
      });
    });
  }
  if (event.timestamp !== undefined) {
    const top = event.exception?.frames.filter((f) => f.inApp).at(-1) ?? event.exception?.frames.at(-1);
    records.push({
      timestamp: event.timestamp,
      service,
      level: event.level,
      message: event.title,
      ...ids,
      ...(event.spanId ? { spanId: event.spanId } : {}),
      attributes: boundAttributes({
        eventId: event.eventId,
        issueId: event.issueId,
        culprit: event.culprit,
        platform: event.platform,
        release: event.release,
        environment: event.environment,
        exception: event.exception ? { type: event.exception.type, value: event.exception.value, frame: top } : undefined,
        request: event.request ? { method: event.request.method, url: event.request.url } : undefined,
        tags: event.tags,
      }),
      origin: { source: 'sentry', ref: event.eventId },
    });
  }
  return records.sort((a, b) => a.timestamp - b.timestamp);
}
