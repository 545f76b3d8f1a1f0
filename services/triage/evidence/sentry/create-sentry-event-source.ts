import { NightshiftError } from '../../../../shared/errors.js';
import type { LogRecord } from '../log-record.js';
import { LogSourceError, logSourceErrorCodes } from '../log-source-error.js';
import { emptyStats, noteSkip, type LogSourceStats } from '../log-source-stats.js';
import type { LogQuery, LogSource } from '../log-source.js';
import { compileLogQuery, matchesLogQuery } from '../matches-log-query.js';
import { createSourceFetch } from '../create-source-fetch.js';
import type { HttpSourceOptions } from '../send-with-retries.js';
import { normaliseSentryEvent, type SentryEventDetail } from './normalise-sentry-event.js';
import { readSentryRateLimit, requestSentryApi, type SentryApiDeps } from './request-sentry-api.js';
import { sentryEventToLogRecords } from './sentry-event-to-log-records.js';

export interface SentryEventSourceOptions extends HttpSourceOptions {
  /** Sentry's URL; a self-hosted instance's or a region's (`https://de.sentry.io`). Default `https://sentry.io`. */
  baseUrl?: string;
  /** An auth token with `event:read` and `project:read`. */
  token: string;
  /** The organisation slug. */
  organization: string;
  /** Which Sentry project holds each service's events: service name → project slug. */
  projects: Record<string, string>;
  /** Turn each event's breadcrumbs into records too. Default true. */
  breadcrumbs?: boolean;
  /** Upper bound on records per fetchLogs. Default 2 000. */
  maxRecords?: number;
  /** Upper bound on pages read per project and run. Default 20 (Sentry pages hold 100 events). */
  maxPages?: number;
  /** Default `sentry`. */
  name?: string;
}

export interface SentryEventSource extends LogSource {
  /** The latest event of an issue, normalised: for when a webhook carried too little to triage. */
  fetchLatestIssueEvent(issueId: string, options?: { signal?: AbortSignal }): Promise<SentryEventDetail>;
  lastStats(): LogSourceStats | undefined;
}

const segment = encodeURIComponent;

/**
 * Sentry events as evidence: the events of each service's project in the window
 * (GET /api/0/projects/{org}/{project}/events/?full=true&start&end, Link-header cursors), each event and
 * its breadcrumbs as records. Sentry lists newest first and cannot filter by trace id, so a run reads the
 * window (up to the limits), filters here, and yields oldest first; past the limit the newest records win.
 */
export function createSentryEventSource(options: SentryEventSourceOptions): SentryEventSource {
  if (!options.token || !options.organization) {
    throw new NightshiftError('LOG_SOURCE_MISCONFIGURED', 'the Sentry event source needs an auth token and an organisation slug');
  }
  const name = options.name ?? 'sentry';
  const maxRecords = options.maxRecords ?? 2_000;
  const maxPages = options.maxPages ?? 20;
  let current: LogSourceStats | undefined;

  const deps: SentryApiDeps = {
    baseUrl: options.baseUrl ?? 'https://sentry.io',
    token: options.token,
    fetch: createSourceFetch({
      backend: 'sentry',
      options,
      readHint: readSentryRateLimit,
      stats: () => current,
      unreachable: (url) => `Sentry API could not be reached at ${url.origin}`,
    }),
  };

  async function readProject(service: string, project: string, query: LogQuery, stats: LogSourceStats, signal?: AbortSignal): Promise<LogRecord[]> {
    const compiled = compileLogQuery(query, maxRecords);
    const path = `/api/0/projects/${segment(options.organization)}/${segment(project)}/events/`;
    const window = { full: 'true', start: new Date(query.from).toISOString(), end: new Date(query.to).toISOString() };
    const records: LogRecord[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < maxPages; pages++) {
      const page = await requestSentryApi(deps, path, cursor ? { ...window, cursor } : window, signal);
      if (!Array.isArray(page.body)) {
        throw new LogSourceError(logSourceErrorCodes.badResponse, 'sentry', `Sentry API answered ${path} with something other than a list of events`);
      }
      for (const raw of page.body) {
        const event = normaliseSentryEvent(raw);
        if (!event || event.timestamp === undefined) {
          noteSkip(stats, `${project}: an event without ${event ? 'a timestamp' : 'an id'} (${event?.eventId ?? 'unknown'})`);
          continue;
        }
        for (const record of sentryEventToLogRecords(event, service, { breadcrumbs: options.breadcrumbs ?? true })) {
          if (matchesLogQuery(record, compiled)) records.push(record);
        }
      }
      cursor = page.nextCursor;
      if (!cursor || records.length >= compiled.limit) break;
    }
    if (cursor) stats.truncated = true;
    return records;
  }

  async function* fetchLogs(query: LogQuery, { signal }: { signal?: AbortSignal } = {}): AsyncGenerator<LogRecord> {
    const stats = emptyStats(name);
    current = stats;
    try {
      const limit = compileLogQuery(query, maxRecords).limit;
      const services = (query.services.length > 0 ? query.services : Object.keys(options.projects)).filter((s) => options.projects[s] !== undefined);
      const all: LogRecord[] = [];
      for (const service of services) all.push(...(await readProject(service, options.projects[service]!, query, stats, signal)));
      all.sort((a, b) => a.timestamp - b.timestamp);
      if (all.length > limit) stats.truncated = true;
      for (const record of all.length > limit ? all.slice(all.length - limit) : all) {
        signal?.throwIfAborted();
        stats.records++;
        yield record;
      }
    } finally {
      options.onStats?.(stats);
    }
  }

  async function fetchLatestIssueEvent(issueId: string, { signal }: { signal?: AbortSignal } = {}): Promise<SentryEventDetail> {
    const path = `/api/0/organizations/${segment(options.organization)}/issues/${segment(issueId)}/events/latest/`;
    const { body } = await requestSentryApi(deps, path, {}, signal);
    const event = normaliseSentryEvent(body);
    if (!event) throw new LogSourceError(logSourceErrorCodes.badResponse, 'sentry', `Sentry API answered ${path} with something other than an event`);
    return event;
  }

  return { name, fetchLogs, fetchLatestIssueEvent, lastStats: () => current };
}
