import { createCallHintAttributePicker, type CallHintAttributeNames } from './correlation/pick-call-hint-attributes.js';
import type { LogRecord } from './evidence/log-record.js';

/**
 * Copies incident-window records into the little that triage reads of them, for holding a window of
 * hundreds of thousands: one object shape for all (ids present or undefined), service names interned
 * (a JSON parse makes a fresh string per line), and only the attributes correlation reads.
 */
export function createLogRecordCompactor(names?: CallHintAttributeNames): (record: LogRecord) => LogRecord {
  const pickAttributes = createCallHintAttributePicker(names);
  const services = new Map<string, string>();
  return (record) => {
    let service = services.get(record.service);
    if (service === undefined) services.set(record.service, (service = record.service));
    return {
      timestamp: record.timestamp,
      service,
      level: record.level,
      message: record.message,
      traceId: record.traceId,
      spanId: record.spanId,
      requestId: record.requestId,
      attributes: pickAttributes(record.attributes),
      origin: record.origin,
    };
  };
}
