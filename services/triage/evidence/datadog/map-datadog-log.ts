import type { v2 } from '@datadog/datadog-api-client';
import { boundAttributes } from '../bound-attributes.js';
import type { CorrelationIds } from '../extract-correlation-ids.js';
import type { LogRecord } from '../log-record.js';
import { normaliseLogLevel } from '../normalise-log-level.js';
import { normaliseTimestamp } from '../normalise-timestamp.js';

/**
 * One Datadog log as a LogRecord: `attributes.timestamp/service/status/message` become the record's
 * fields; the custom `attributes.attributes` (where dd-trace puts `dd.trace_id`) give the ids and, with
 * `host` and `tags`, the attributes. Returns a reason instead when the log has no usable timestamp.
 */
export function mapDatadogLog(log: v2.Log, extractIds: (fields: Record<string, unknown>) => CorrelationIds): LogRecord | string {
  const attributes = log.attributes ?? {};
  const timestamp = normaliseTimestamp(attributes.timestamp);
  if (timestamp === undefined) return `log ${log.id ?? '(no id)'} has no valid timestamp`;
  const custom: Record<string, unknown> = attributes.attributes ?? {};
  const record: LogRecord = {
    timestamp,
    service: attributes.service || 'unknown',
    level: normaliseLogLevel(attributes.status) ?? 'info',
    message: attributes.message ?? '',
    attributes: boundAttributes({
      ...(attributes.host !== undefined ? { host: attributes.host } : {}),
      ...(attributes.tags !== undefined ? { tags: attributes.tags } : {}),
      ...custom,
    }),
    origin: { source: 'datadog', ...(log.id ? { ref: log.id } : {}) },
  };
  Object.assign(record, extractIds(custom));
  return record;
}
