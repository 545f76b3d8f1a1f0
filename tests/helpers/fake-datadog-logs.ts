import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';

/**
 * A loopback stand-in for Datadog's Logs Search API (POST /api/v2/logs/events/search): key headers,
 * a subset of the search syntax, time window, sort, cursor pages, rate-limit headers and 429s on demand.
 * Every request body is checked against Datadog's published `LogsListRequest` schema and every answer
 * against `LogsListResponse` (tests/fixtures/datadog-api/logs-list.openapi.yaml); a mismatch is a 400
 * for requests and is recorded in `violations` either way.
 */

/** A stored log, as the test seeds it. */
export interface FakeDatadogLog {
  id?: string;
  /** ISO 8601. */
  timestamp: string;
  service: string;
  status: string;
  message: string;
  host?: string;
  tags?: string[];
  /** The custom attributes (`attributes.attributes`), e.g. `{ dd: { trace_id: '123' } }`. */
  attributes?: Record<string, unknown>;
}

export interface RecordedDatadogRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
}

export interface FakeDatadogLogs {
  url: string;
  requests: RecordedDatadogRequest[];
  violations: string[];
  /** The next `times` searches answer 429 with `X-RateLimit-Reset: resetSeconds`. */
  rateLimitNext(times: number, resetSeconds: number): void;
  /** The next `times` searches answer `status` (a 5xx). */
  failNext(times: number, status: number): void;
  /** The next successful answer says no requests are left (`X-RateLimit-Remaining: 0`) for `resetSeconds`. */
  exhaustQuotaOnNext(resetSeconds: number): void;
  close(): Promise<void>;
}

// ---- the schema check: enough JSON Schema for the OpenAPI excerpt ($ref, type, enum, required, maximum, format)

type Schema = Record<string, unknown>;
const specUrl = new URL('../../../tests/fixtures/datadog-api/logs-list.openapi.yaml', import.meta.url);
let schemas: Record<string, Schema> | undefined;

function loadSchemas(): Record<string, Schema> {
  schemas ??= (parseYaml(readFileSync(specUrl, 'utf8')) as { components: { schemas: Record<string, Schema> } }).components.schemas;
  return schemas;
}

/**
 * Problems of `value` against the named schema. `strict` also flags properties the schema does not
 * declare (on requests a misspelt field would be silently ignored by Datadog, so the fake refuses it).
 */
export function checkDatadogSchema(name: string, value: unknown, { strict = false } = {}): string[] {
  const problems: string[] = [];
  const all = loadSchemas();
  const visit = (schema: Schema, node: unknown, path: string): void => {
    const ref = schema.$ref as string | undefined;
    if (ref) return visit(all[ref.split('/').pop()!] ?? {}, node, path);
    const type = schema.type as string | undefined;
    const typeOk =
      type === undefined ||
      (type === 'object' && typeof node === 'object' && node !== null && !Array.isArray(node)) ||
      (type === 'array' && Array.isArray(node)) ||
      (type === 'string' && typeof node === 'string') ||
      (type === 'integer' && Number.isInteger(node)) ||
      (type === 'number' && typeof node === 'number') ||
      (type === 'boolean' && typeof node === 'boolean');
    if (!typeOk) return void problems.push(`${path}: expected ${type}, got ${JSON.stringify(node)}`);
    const allowed = schema.enum as unknown[] | undefined;
    if (allowed && !allowed.includes(node)) problems.push(`${path}: ${JSON.stringify(node)} is not one of ${allowed.join(', ')}`);
    if (typeof schema.maximum === 'number' && typeof node === 'number' && node > schema.maximum) problems.push(`${path}: ${node} exceeds ${schema.maximum}`);
    if (schema.format === 'date-time' && typeof node === 'string' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(node)) {
      problems.push(`${path}: ${node} is not an RFC 3339 date-time`);
    }
    if (type === 'array' && schema.items) (node as unknown[]).forEach((item, i) => visit(schema.items as Schema, item, `${path}[${i}]`));
    if (type === 'object') {
      const object = node as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const key of (schema.required ?? []) as string[]) if (!(key in object)) problems.push(`${path}.${key}: required`);
      for (const [key, child] of Object.entries(object)) {
        if (properties[key]) visit(properties[key], child, `${path}.${key}`);
        else if (strict && schema.additionalProperties === undefined) problems.push(`${path}.${key}: not in the schema`);
      }
    }
  };
  visit(all[name] ?? {}, value, name);
  return problems;
}

// ---- the search syntax subset: field:value, field:(a OR b), "quoted", @attributes, AND/OR/NOT, -term, (…), *

type Node = { or: Node[] } | { and: Node[] } | { not: Node } | { field: string; values: string[] } | { text: string } | { all: true };

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < query.length; ) {
    const c = query[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') tokens.push(query[i++]!);
    else if (c === '"') {
      let text = '"';
      for (i++; i < query.length && query[i] !== '"'; i++) text += query[i] === '\\' ? query[++i] ?? '' : query[i];
      tokens.push(`${text}"`);
      i++;
    } else {
      let word = '';
      while (i < query.length && !/[\s()"]/.test(query[i]!)) word += query[i++];
      tokens.push(word);
    }
  }
  return tokens;
}

const unquote = (token: string) => (token.startsWith('"') ? token.slice(1, -1) : token);

export function parseDatadogQuery(query: string): Node {
  const tokens = tokenize(query);
  let at = 0;
  const expectClose = () => {
    if (tokens[at++] !== ')') throw new Error(`unbalanced parentheses in ${query}`);
  };
  const values = (): string[] => {
    if (tokens[at] !== '(') return [unquote(tokens[at++] ?? '')];
    at++;
    const out = [unquote(tokens[at++] ?? '')];
    while (tokens[at] === 'OR') {
      at++;
      out.push(unquote(tokens[at++] ?? ''));
    }
    expectClose();
    return out;
  };
  const primary = (): Node => {
    const token = tokens[at++];
    if (token === undefined) throw new Error(`unexpected end of ${query}`);
    if (token === '(') {
      const inner = or();
      expectClose();
      return inner;
    }
    if (token === 'NOT') return { not: primary() };
    if (token.startsWith('-') && token.length > 1) {
      tokens[--at] = token.slice(1);
      return { not: primary() };
    }
    if (token === '*') return { all: true };
    const colon = token.startsWith('"') ? -1 : token.indexOf(':');
    if (colon > 0) {
      const field = token.slice(0, colon);
      const rest = token.slice(colon + 1);
      return { field, values: rest === '' ? values() : [rest] };
    }
    return { text: unquote(token) };
  };
  const and = (): Node => {
    const parts = [primary()];
    while (at < tokens.length && tokens[at] !== ')' && tokens[at] !== 'OR') {
      if (tokens[at] === 'AND') at++;
      parts.push(primary());
    }
    return parts.length === 1 ? parts[0]! : { and: parts };
  };
  const or = (): Node => {
    const parts = [and()];
    while (tokens[at] === 'OR') {
      at++;
      parts.push(and());
    }
    return parts.length === 1 ? parts[0]! : { or: parts };
  };
  const tree = or();
  if (at !== tokens.length) throw new Error(`unexpected ${tokens[at]} in ${query}`);
  return tree;
}

function lookup(object: unknown, path: string): unknown {
  const record = object as Record<string, unknown> | undefined;
  if (record && path in record) return record[path];
  return path.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), object);
}

const like = (actual: unknown, wanted: string) =>
  actual !== undefined && actual !== null && (wanted.endsWith('*') ? String(actual).startsWith(wanted.slice(0, -1)) : String(actual) === wanted);

function matches(node: Node, log: FakeDatadogLog): boolean {
  if ('all' in node) return true;
  if ('or' in node) return node.or.some((n) => matches(n, log));
  if ('and' in node) return node.and.every((n) => matches(n, log));
  if ('not' in node) return !matches(node.not, log);
  if ('text' in node) return log.message.toLowerCase().includes(node.text.toLowerCase());
  const { field, values } = node;
  return values.some((wanted) => {
    if (field.startsWith('@')) return like(lookup(log.attributes, field.slice(1)), wanted);
    if (field === 'service' || field === 'host') return like(log[field], wanted);
    if (field === 'status') return log.status.toLowerCase() === wanted.toLowerCase();
    // The reserved trace_id attribute is what dd-trace's `dd.trace_id` (or an OTel `trace_id`) is remapped to.
    if (field === 'trace_id') return like(lookup(log.attributes, 'dd.trace_id'), wanted) || like(lookup(log.attributes, 'trace_id'), wanted);
    return (log.tags ?? []).includes(`${field}:${wanted}`);
  });
}

function parseTime(value: unknown, fallback: number, now: number): number {
  if (typeof value !== 'string') return fallback;
  if (value === 'now') return now;
  const relative = /^now-(\d+)([smhd])$/.exec(value);
  if (relative) return now - Number(relative[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[relative[2] as 's' | 'm' | 'h' | 'd'];
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`filter time ${value} is neither date math, epoch ms nor ISO 8601`);
  return ms;
}

// ---- the server

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeDatadogLogs(options: { apiKey: string; appKey: string; logs: FakeDatadogLog[] }): Promise<FakeDatadogLogs> {
  const requests: RecordedDatadogRequest[] = [];
  const violations: string[] = [];
  let rateLimited = { times: 0, reset: 0 };
  let failing = { times: 0, status: 500 };
  let exhaustReset: number | undefined;
  const stored = options.logs.map((log, i) => ({ ...log, id: log.id ?? `AQAAAY${String(i).padStart(6, '0')}` }));

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      const record = (status: number, body: unknown) => requests.push({ path, headers: req.headers, body, status });
      let body: unknown;
      try {
        body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      } catch {
        record(400, undefined);
        return send(res, 400, { errors: ['Malformed JSON body'] });
      }
      if (req.method !== 'POST' || path !== '/api/v2/logs/events/search') {
        record(404, body);
        return send(res, 404, { errors: ['Not found'] });
      }
      if (req.headers['dd-api-key'] !== options.apiKey || req.headers['dd-application-key'] !== options.appKey) {
        record(403, body);
        return send(res, 403, { errors: ['Forbidden'] });
      }
      const requestProblems = checkDatadogSchema('LogsListRequest', body, { strict: true });
      if (requestProblems.length > 0) {
        violations.push(...requestProblems);
        record(400, body);
        return send(res, 400, { errors: requestProblems });
      }
      if (rateLimited.times > 0) {
        rateLimited.times--;
        record(429, body);
        const reset = String(rateLimited.reset);
        return send(res, 429, { errors: ['Too many requests'] }, { 'x-ratelimit-limit': '300', 'x-ratelimit-period': '3600', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset });
      }
      if (failing.times > 0) {
        failing.times--;
        record(failing.status, body);
        return send(res, failing.status, { errors: ['Internal Server Error'] });
      }
      const request = body as { filter?: { query?: string; from?: string; to?: string }; page?: { limit?: number; cursor?: string }; sort?: string };
      let tree: Node;
      let from: number;
      let to: number;
      let offset = 0;
      try {
        const now = Date.now();
        tree = parseDatadogQuery(request.filter?.query ?? '*');
        from = parseTime(request.filter?.from, now - 15 * 60_000, now);
        to = parseTime(request.filter?.to, now, now);
        if (request.page?.cursor) {
          offset = Number(Buffer.from(request.page.cursor, 'base64url').toString('utf8'));
          if (!Number.isSafeInteger(offset) || offset < 0) throw new Error('invalid page cursor');
        }
      } catch (error) {
        record(400, body);
        return send(res, 400, { errors: [(error as Error).message] });
      }
      const found = stored
        .filter((log) => {
          const ts = Date.parse(log.timestamp);
          return ts >= from && ts <= to && matches(tree, log);
        })
        .sort((a, b) => (Date.parse(a.timestamp) - Date.parse(b.timestamp)) * (request.sort === '-timestamp' ? -1 : 1));
      const limit = request.page?.limit ?? 10;
      const page = found.slice(offset, offset + limit);
      const after = offset + limit < found.length ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
      const answer = {
        data: page.map(({ id, timestamp, service, status, message, host, tags, attributes }) => ({
          id,
          type: 'log',
          attributes: {
            attributes: attributes ?? {},
            ...(host !== undefined ? { host } : {}),
            message,
            service,
            status,
            tags: tags ?? [],
            timestamp: new Date(Date.parse(timestamp)).toISOString(),
          },
        })),
        meta: { elapsed: 3, request_id: `fake-${requests.length}`, status: 'done', ...(after ? { page: { after } } : {}) },
        ...(after
          ? { links: { next: `http://${req.headers.host}/api/v2/logs/events?filter%5Bquery%5D=${encodeURIComponent(request.filter?.query ?? '*')}&page%5Bcursor%5D=${after}` } }
          : {}),
      };
      violations.push(...checkDatadogSchema('LogsListResponse', answer));
      const remaining = exhaustReset !== undefined ? '0' : '299';
      const reset = String(exhaustReset ?? 3000);
      exhaustReset = undefined;
      record(200, body);
      send(res, 200, answer, { 'x-ratelimit-limit': '300', 'x-ratelimit-period': '3600', 'x-ratelimit-remaining': remaining, 'x-ratelimit-reset': reset });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    rateLimitNext: (times, reset) => void (rateLimited = { times, reset }),
    failNext: (times, status) => void (failing = { times, status }),
    exhaustQuotaOnNext: (reset) => void (exhaustReset = reset),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
