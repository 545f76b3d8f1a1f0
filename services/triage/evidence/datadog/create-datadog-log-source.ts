import type { client, v2 } from '@datadog/datadog-api-client';
import { NightshiftError } from '../../../../shared/errors.js';
import { createCorrelationIdExtractor, type CorrelationFieldNames } from '../extract-correlation-ids.js';
import type { LogRecord } from '../log-record.js';
import { LogSourceError, httpStatusError, logSourceErrorCodes } from '../log-source-error.js';
import { emptyStats, noteSkip, type LogSourceStats } from '../log-source-stats.js';
import type { LogQuery, LogSource } from '../log-source.js';
import { createSourceFetch } from '../create-source-fetch.js';
import type { HttpSourceOptions } from '../send-with-retries.js';
import { buildLogsListRequest, type DatadogIdAttributes } from './build-datadog-query.js';
import { DatadogHttpLibrary, readDatadogRateLimit } from './create-datadog-http-library.js';
import { mapDatadogLog } from './map-datadog-log.js';

export interface DatadogLogSourceOptions extends HttpSourceOptions {
  apiKey: string;
  /** Needs the `logs_read_data` scope. */
  appKey: string;
  /** Datadog site (`datadoghq.com`, `datadoghq.eu`, `us5.datadoghq.com`…); the API is at `https://api.<site>`. */
  site?: string;
  /** The API's base URL, overriding `site` (a proxy, or a loopback fake in tests). */
  baseUrl?: string;
  /** Logs per request; the API allows at most 1000. Default 1000. */
  pageSize?: number;
  /** Upper bound on records per fetchLogs, whatever the query's limit. Default 10 000. */
  maxRecords?: number;
  /** Log indexes to search; default all. */
  indexes?: string[];
  /** Search text ANDed to every query, e.g. `env:prod`. */
  query?: string;
  /** Attributes searched for trace and request ids (see defaultDatadogIdAttributes). */
  idAttributes?: DatadogIdAttributes;
  /** Also search the 64-bit decimal form of hex trace ids. Default true. */
  decimalTraceIds?: boolean;
  /** Where the ids sit inside a log's custom attributes (defaults cover dd-trace, OTel, pino). */
  correlationFields?: Partial<CorrelationFieldNames>;
  /** The source's name in stats and reports. Default `datadog`. */
  name?: string;
}

export interface DatadogLogSource extends LogSource {
  /** The stats of the most recent fetchLogs run (updated while it runs). */
  lastStats(): LogSourceStats | undefined;
}

const MAX_PAGE_SIZE = 1000;

type DatadogClient = typeof import('@datadog/datadog-api-client');
let loadingClient: Promise<DatadogClient> | undefined;

/**
 * The client loads every Datadog API and model it has: ~70 MB of heap (~130 MB of RSS) in a triage that
 * may never ask Datadog anything. It is loaded when a Datadog source first reads, once per process.
 */
function loadDatadogClient(): Promise<DatadogClient> {
  return (loadingClient ??= import('@datadog/datadog-api-client'));
}

function describeBody(body: unknown): string {
  if (typeof body === 'string') return body.replace(/\s+/g, ' ').trim();
  const errors = (body as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? errors.map(String).join('; ') : '';
}

function toSourceError(error: unknown, signal: AbortSignal | undefined, dd: typeof client): unknown {
  if (signal?.aborted || error instanceof LogSourceError) return error;
  if (error instanceof dd.ApiException) return httpStatusError('datadog', error.code, describeBody(error.body));
  const why = error instanceof Error ? error.message : String(error);
  return new LogSourceError(logSourceErrorCodes.badResponse, 'datadog', `Datadog Logs API sent an answer that is not a logs list: ${why.slice(0, 200)}`, { cause: error });
}

/**
 * Logs from Datadog's Logs Search API (POST /api/v2/logs/events/search) through the official client:
 * the query's services and ids as search syntax, its window as ISO `from`/`to`, oldest first, following
 * `meta.page.after` until the backend is done or the limit is reached.
 */
export function createDatadogLogSource(options: DatadogLogSourceOptions): DatadogLogSource {
  if (!options.apiKey || !options.appKey) {
    throw new NightshiftError('LOG_SOURCE_MISCONFIGURED', 'the Datadog log source needs both an API key and an application key (logs_read_data scope)');
  }
  const name = options.name ?? 'datadog';
  const pageSize = Math.max(1, Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE));
  const maxRecords = options.maxRecords ?? 10_000;
  const baseUrl = (options.baseUrl ?? `https://api.${options.site ?? 'datadoghq.com'}`).replace(/\/+$/, '');
  const extractIds = createCorrelationIdExtractor(options.correlationFields);
  let current: LogSourceStats | undefined;

  const sourceFetch = createSourceFetch({
    backend: 'datadog',
    options,
    readHint: readDatadogRateLimit,
    stats: () => current,
    unreachable: () => 'Datadog Logs API could not be reached',
  });
  let prepared: Promise<{ dd: DatadogClient; httpApi: DatadogHttpLibrary }> | undefined;
  const prepare = () =>
    (prepared ??= loadDatadogClient().then((dd) => ({
      dd,
      httpApi: new DatadogHttpLibrary({ client: dd.client, fetch: sourceFetch }),
    })));

  async function* fetchLogs(query: LogQuery, { signal }: { signal?: AbortSignal } = {}): AsyncGenerator<LogRecord> {
    const stats = emptyStats(name);
    current = stats;
    const limit = Math.max(0, Math.min(query.limit ?? Number.POSITIVE_INFINITY, maxRecords));
    const { dd, httpApi } = await prepare();
    // A configuration per run: it carries the run's abort signal. `baseServer` always wins over the
    // client's DD_SITE environment lookup, so only our options decide where requests go.
    const configuration = dd.client.createConfiguration({
      baseServer: new dd.client.BaseServerConfiguration(baseUrl, {}),
      authMethods: { apiKeyAuth: options.apiKey, appKeyAuth: options.appKey },
      httpApi,
      httpConfig: signal ? { signal } : {},
    });
    const api = new dd.v2.LogsApi(configuration);
    try {
      let cursor: string | undefined;
      while (stats.records < limit) {
        const body = buildLogsListRequest(query, {
          pageSize: Math.min(pageSize, limit - stats.records),
          ...(cursor ? { cursor } : {}),
          ...(options.indexes ? { indexes: options.indexes } : {}),
          ...(options.query ? { extra: options.query } : {}),
          ...(options.idAttributes ? { idAttributes: options.idAttributes } : {}),
          ...(options.decimalTraceIds !== undefined ? { decimalTraceIds: options.decimalTraceIds } : {}),
        });
        let page: v2.LogsListResponse;
        try {
          page = await api.listLogs({ body });
        } catch (error) {
          throw toSourceError(error, signal, dd.client);
        }
        const logs = page.data ?? [];
        cursor = page.meta?.page?.after;
        for (let i = 0; i < logs.length; i++) {
          signal?.throwIfAborted();
          const mapped = mapDatadogLog(logs[i]!, extractIds);
          if (typeof mapped === 'string') {
            noteSkip(stats, mapped);
            continue;
          }
          if (stats.records >= limit) {
            stats.truncated = true;
            return;
          }
          stats.records++;
          yield mapped;
        }
        if (!cursor || logs.length === 0) return;
      }
      stats.truncated = cursor !== undefined;
    } finally {
      options.onStats?.(stats);
    }
  }

  return { name, fetchLogs, lastStats: () => current };
}
