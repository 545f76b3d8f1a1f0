import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the two Sentry REST endpoints triage reads, in Sentry's documented shapes:
 * GET /api/0/projects/{org}/{project}/events/ (newest first, `full=true` for the whole event, `start`/`end`,
 * Link-header cursors `0:<offset>:0` with `results="true|false"`) and
 * GET /api/0/organizations/{org}/issues/{issue_id}/events/latest/. Bearer-token auth, `{"detail": …}`
 * errors, `X-Sentry-Rate-Limit-*` headers on every answer and 429s with Retry-After on demand.
 */

export interface RecordedSentryRequest {
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  status: number;
}

export interface FakeSentryApi {
  url: string;
  requests: RecordedSentryRequest[];
  /** The next `times` requests answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(times: number, retryAfterSeconds: number): void;
  close(): Promise<void>;
}

/** Fields the list endpoint returns without `full=true` (its documented example). */
const SUMMARY_FIELDS = ['id', 'eventID', 'groupID', 'title', 'message', 'dateCreated', 'platform', 'tags', 'user', 'event.type', 'projectID'];

type SentryEvent = Record<string, unknown> & { dateCreated: string; groupID?: string };

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeSentryApi(options: {
  token: string;
  organization: string;
  /** Project slug → its events, in the REST API's `EventDetailed` shape. */
  projects: Record<string, SentryEvent[]>;
  /** Events per page; Sentry's is 100. */
  pageSize?: number;
}): Promise<FakeSentryApi> {
  const requests: RecordedSentryRequest[] = [];
  const pageSize = options.pageSize ?? 100;
  let limited = { times: 0, retryAfter: 1 };
  const newestFirst = (events: SentryEvent[]) => [...events].sort((a, b) => Date.parse(b.dateCreated) - Date.parse(a.dateCreated));

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const entry: RecordedSentryRequest = { path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, status: 0 };
    requests.push(entry);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      const reset = String(Math.ceil(Date.now() / 1000) + 1);
      send(res, status, body, { 'x-sentry-rate-limit-limit': '40', 'x-sentry-rate-limit-remaining': status === 429 ? '0' : '39', 'x-sentry-rate-limit-reset': reset, 'x-sentry-rate-limit-concurrentlimit': '25', ...headers });
    };
    if (req.method !== 'GET') return answer(405, { detail: `Method "${req.method}" not allowed.` });
    if (req.headers.authorization === undefined) return answer(401, { detail: 'Authentication credentials were not provided.' });
    if (req.headers.authorization !== `Bearer ${options.token}`) return answer(401, { detail: 'Invalid token' });
    if (limited.times > 0) {
      limited.times--;
      return answer(429, { detail: 'You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds' }, { 'retry-after': String(limited.retryAfter) });
    }
    const notFound = () => answer(404, { detail: 'The requested resource does not exist' });

    const list = /^\/api\/0\/projects\/([^/]+)\/([^/]+)\/events\/$/.exec(url.pathname);
    if (list) {
      const [, org, project] = list.map(decodeURIComponent);
      const events = options.projects[project!];
      if (org !== options.organization || !events) return notFound();
      const start = url.searchParams.get('start');
      const end = url.searchParams.get('end');
      const inWindow = newestFirst(events).filter((e) => {
        const t = Date.parse(e.dateCreated);
        return (!start || t >= Date.parse(start)) && (!end || t <= Date.parse(end));
      });
      const cursor = url.searchParams.get('cursor') ?? '0:0:0';
      const offset = Number(cursor.split(':')[1]);
      if (!/^\d+:\d+:[01]$/.test(cursor) || !Number.isSafeInteger(offset)) return answer(400, { detail: 'Invalid cursor parameter.' });
      const full = url.searchParams.get('full') === 'true' || url.searchParams.get('full') === '1';
      const page = inWindow.slice(offset, offset + pageSize).map((e) => (full ? e : Object.fromEntries(SUMMARY_FIELDS.filter((k) => k in e).map((k) => [k, e[k]]))));
      const self = new URL(url);
      const link = (rel: string, results: boolean, at: string) => {
        self.searchParams.set('cursor', at);
        return `<${self.toString()}>; rel="${rel}"; results="${results}"; cursor="${at}"`;
      };
      const next = `0:${offset + pageSize}:0`;
      const previous = `0:${Math.max(0, offset - pageSize)}:1`;
      return answer(200, page, { link: `${link('previous', offset > 0, previous)}, ${link('next', offset + pageSize < inWindow.length, next)}` });
    }

    const latest = /^\/api\/0\/organizations\/([^/]+)\/issues\/([^/]+)\/events\/latest\/$/.exec(url.pathname);
    if (latest) {
      const [, org, issue] = latest.map(decodeURIComponent);
      if (org !== options.organization) return notFound();
      const event = newestFirst(Object.values(options.projects).flat()).find((e) => e.groupID === issue);
      return event ? answer(200, event) : notFound();
    }
    return notFound();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rateLimitNext: (times, retryAfter) => void (limited = { times, retryAfter }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
