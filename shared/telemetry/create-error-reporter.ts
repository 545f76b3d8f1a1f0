import { NodeClient, Scope, defaultStackParser, makeNodeTransport, type ErrorEvent } from '@sentry/node';
import { scrubSecretText } from '../log/scrub-secret-text.js';
import { findOwnIntake, type OwnIntake } from './find-own-intake.js';

/** Nightshift's own Sentry intake routes: an error raised while serving one is never reported. */
const INTAKE_PATH = /^\/api\/[^/]+\/(?:envelope|store)\/?(?:\?|$)/;

/** Log fields that become searchable Sentry tags. */
const TAG_FIELDS = ['incidentId', 'group', 'role', 'source', 'topic', 'path', 'eventId', 'deliveryId', 'name'] as const;

/** Sends Nightshift's own errors to Sentry. */
export interface ErrorReporter {
  /** Reports `error`; `context` holds the log line's fields and bindings (incidentId, group, path …). */
  report(error: Error, context?: { message?: string; fields?: Record<string, unknown> }): void;
  /** Sends what is queued, then stops; false when `timeoutMs` passed first. */
  close(timeoutMs?: number): Promise<boolean>;
}

export type ErrorReporterResult = { ok: true; reporter: ErrorReporter } | { ok: false; reason: string };

function pathOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url, 'http://nightshift').pathname;
  } catch {
    return undefined;
  }
}

/** Drops events from the intake routes and scrubs secrets out of every message Sentry would receive. */
export function filterOwnErrorEvent(event: ErrorEvent): ErrorEvent | null {
  const path = (typeof event.tags?.path === 'string' ? event.tags.path : undefined) ?? pathOf(event.request?.url);
  if (path !== undefined && INTAKE_PATH.test(path)) return null;
  for (const value of event.exception?.values ?? []) if (value.value) value.value = scrubSecretText(value.value);
  if (event.message) event.message = scrubSecretText(event.message);
  return event;
}

/**
 * A Sentry client for Nightshift's own errors, without global state (no `Sentry.init`: tests and the
 * all-in-one process may hold several). Refused when the DSN points at this Nightshift's own intake.
 */
export function createErrorReporter({
  dsn,
  own,
  release,
  environment,
}: {
  dsn: string;
  own: OwnIntake;
  release?: string;
  environment?: string;
}): ErrorReporterResult {
  let reason: string | undefined;
  try {
    reason = findOwnIntake(dsn, own);
  } catch {
    reason = 'it is not a URL';
  }
  if (reason) return { ok: false, reason };
  const client = new NodeClient({
    dsn,
    integrations: [],
    transport: makeNodeTransport,
    stackParser: defaultStackParser,
    beforeSend: filterOwnErrorEvent,
    sendClientReports: false,
    ...(release ? { release } : {}),
    ...(environment ? { environment } : {}),
  });
  client.init();
  return {
    ok: true,
    reporter: {
      report(error, { message, fields = {} } = {}) {
        const scope = new Scope();
        scope.setClient(client);
        for (const field of TAG_FIELDS) {
          const value = fields[field];
          if (typeof value === 'string' || typeof value === 'number') scope.setTag(field, String(value));
        }
        if (message) scope.setExtra('logMessage', scrubSecretText(message));
        client.captureException(error, { originalException: error }, scope);
      },
      close: async (timeoutMs = 2_000) => client.close(timeoutMs),
    },
  };
}
