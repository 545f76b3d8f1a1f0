import type { SampledLog } from './decode-logs-sample.js';
import type { DatadogTag } from './parse-datadog-tags.js';

const TRACE_KEYS = new Set(['trace_id', 'dd.trace_id', 'traceid', 'trace.id', 'otel.trace_id']);
const REQUEST_KEYS = new Set(['request_id', 'requestid', 'http.request_id', 'x-request-id', 'x_request_id']);
/** Ids injected into log lines, e.g. `dd.trace_id=123` or `"request_id":"abc"`. */
const IN_MESSAGE = /(?:^|[\s[{,;"'])@?((?:dd\.)?trace_id|http\.request_id|request_id|x-request-id)["']?\s*[=:]\s*["']?([A-Za-z0-9_-]{4,128})/gi;
/** Enough to correlate; a sample of hundreds adds nothing but bytes. */
const MAX_IDS = 20;
const ID = /^[A-Za-z0-9_.:-]{1,128}$/;

function add(into: Set<string>, value: string) {
  // Tracers inject `dd.trace_id=0` into lines logged outside any trace.
  if (into.size < MAX_IDS && ID.test(value) && value !== '0') into.add(value);
}

/** Trace and request ids named by the alert's tags and by the attributes or text of its sampled logs. */
export function extractCorrelationIds(tags: DatadogTag[], logs: SampledLog[]): { traceIds: string[]; requestIds: string[] } {
  const traceIds = new Set<string>();
  const requestIds = new Set<string>();
  const take = (key: string, value: string) => {
    const name = key.replace(/^@/, '').toLowerCase();
    if (TRACE_KEYS.has(name)) add(traceIds, value);
    else if (REQUEST_KEYS.has(name)) add(requestIds, value);
  };
  for (const { key, value } of tags) take(key, value);
  for (const log of logs) {
    for (const [key, value] of Object.entries(log.attributes)) take(key, value);
    for (const match of log.message.matchAll(IN_MESSAGE)) take(match[1]!, match[2]!);
  }
  return { traceIds: [...traceIds], requestIds: [...requestIds] };
}
