import { isSecretKey } from '../../../shared/log/is-secret-key.js';
import { scrubSecretText } from '../../../shared/log/scrub-secret-text.js';
import type { LogRecord } from '../evidence/log-record.js';
import type { LoggedRequest } from './triage-report.js';

const METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_PATH = 2048;
const MAX_BODY = 4096;
// "GET /orders/42 500", "GET /orders/42 HTTP/1.1 500 12ms", "POST /cart -> 502"
const REQUEST_LINE = /\b(GET|HEAD|OPTIONS|POST|PUT|PATCH|DELETE)\s+(\/[^\s"]*)(?:\s+HTTP\/[\d.]+)?"?\s+(?:-+>?\s*|=>\s*|status[=:\s]+)?(\d{3})\b/;

/** A value at `path`, whether the source nested it (`{ http: { method } }`) or flattened it (`'http.method'`). */
function lookup(attributes: Record<string, unknown>, path: string): unknown {
  if (path in attributes) return attributes[path];
  const [head, ...rest] = path.split('.');
  let value: unknown = attributes[head!];
  for (const key of rest) {
    if (value === null || typeof value !== 'object') return undefined;
    const object = value as Record<string, unknown>;
    value = key in object ? object[key] : undefined;
  }
  return value;
}

function first(attributes: Record<string, unknown>, paths: readonly string[]): unknown {
  for (const path of paths) {
    const value = lookup(attributes, path);
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** Path and query of `url` (relative or absolute), without query parameters that name a secret. */
function safePath(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://logged.invalid');
  } catch {
    return null;
  }
  if (!parsed.pathname.startsWith('/')) return null;
  for (const key of [...parsed.searchParams.keys()]) if (isSecretKey(key)) parsed.searchParams.delete(key);
  const path = scrubSecretText(parsed.pathname + parsed.search);
  return path.length <= MAX_PATH ? path : null;
}

function hasSecretKey(value: unknown, depth = 0): boolean {
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  return Object.entries(value as Record<string, unknown>).some(([key, inner]) => isSecretKey(key) || hasSecretKey(inner, depth + 1));
}

/** The logged body when it is small and carries nothing that looks like a credential; otherwise none. */
function safeBody(body: unknown): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'object' && hasSecretKey(body)) return undefined;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (text.length > MAX_BODY || scrubSecretText(text) !== text) return undefined;
  if (typeof body === 'string' && /(token|secret|password|api[-_]?key)\W*[:=]/i.test(body)) return undefined;
  return text;
}

function asStatus(value: unknown): number | null {
  const status = typeof value === 'string' ? Number(value) : value;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 ? status : null;
}

/**
 * The failed HTTP request a log line describes, if it describes one that failed on the server (5xx):
 * pino-http (`req.method`, `req.url`, `res.statusCode`), OpenTelemetry and Datadog attributes
 * (`http.method`, `http.target`, `http.route`, `http.status_code` and their newer names), or a plain
 * "GET /path 500" message. Keeps method, path and status only — never headers; a body only when the
 * line carried one free of credentials — because what the report keeps reaches the verifier and PRs.
 */
export function extractLoggedRequest(record: LogRecord): LoggedRequest | null {
  const { attributes } = record;
  let method = first(attributes, ['req.method', 'http.method', 'http.request.method', 'request.method', 'method']);
  let url = first(attributes, ['req.url', 'req.originalUrl', 'http.target', 'url.path', 'http.url_details.path', 'http.url', 'url.full', 'request.url', 'url', 'path']);
  let status = asStatus(first(attributes, ['res.statusCode', 'http.status_code', 'http.response.status_code', 'response.status', 'status', 'statusCode']));
  const query = first(attributes, ['url.query', 'http.url_details.queryString']);
  if (url === undefined) {
    // A route is a template (`/orders/:id`); only one without parameters names a real path.
    const route = first(attributes, ['http.route']);
    if (typeof route === 'string' && !/[:{*]/.test(route)) url = route;
  }
  if (typeof method !== 'string' || typeof url !== 'string' || status === null) {
    const match = REQUEST_LINE.exec(record.message);
    if (!match) return null;
    method = match[1];
    url = match[2];
    status = asStatus(match[3]);
  }
  const upper = String(method).toUpperCase();
  if (!METHODS.has(upper) || status === null || status < 500) return null;
  const withQuery = typeof query === 'string' && query !== '' && !String(url).includes('?') ? `${url}?${query.replace(/^\?/, '')}` : String(url);
  const path = safePath(withQuery);
  if (path === null) return null;
  const body = safeBody(first(attributes, ['req.body', 'http.request.body', 'request.body']));
  const contentType = first(attributes, ['req.headers.content-type', 'http.request.header.content-type']);
  return {
    service: record.service,
    method: upper,
    path,
    status,
    timestamp: record.timestamp,
    ...(body !== undefined ? { body, ...(typeof contentType === 'string' && contentType.length < 200 ? { contentType } : {}) } : {}),
  };
}
