import type { LogRecord } from '../evidence/log-record.js';
import type { TimelineEntry, TraceTimeline } from '../report/triage-report.js';
import { finishList, type AccumulatorLimits, type TraceAccumulator } from './trace-accumulator.js';

/** The report's view of one trace: its kept entries as slim copies (no attributes), in time order. */
export function toTraceTimeline(
  acc: TraceAccumulator,
  records: readonly LogRecord[],
  services: readonly string[],
  limits: AccumulatorLimits,
  templateIdOf: ((record: LogRecord) => string | undefined) | undefined,
): TraceTimeline {
  const slots = [...acc.slots].sort((a, b) => a.firstAt - b.firstAt || a.firstIndex - b.firstIndex);
  const errors = finishList(acc.errors, limits.maxErrorEntries, limits.order);
  const indices = finishList(acc.kept, limits.maxEntries, limits.order).concat(errors);
  for (const slot of slots) {
    if (slot.firstErrorIndex >= 0 && !errors.includes(slot.firstErrorIndex)) indices.push(slot.firstErrorIndex);
  }
  const entries = indices.sort(limits.order).map((index): TimelineEntry => {
    const record = records[index]!;
    const entry: TimelineEntry = {
      timestamp: record.timestamp,
      service: record.service,
      level: record.level,
      message: record.message,
      origin: record.origin,
    };
    const templateId = templateIdOf?.(record);
    if (templateId !== undefined) entry.templateId = templateId;
    return entry;
  });
  const firstErrorAt: Array<[string, number]> = [];
  for (const slot of slots) if (slot.firstErrorIndex >= 0) firstErrorAt.push([services[slot.service]!, slot.firstErrorAt]);
  return {
    traceId: acc.key,
    services: slots.map((slot) => services[slot.service]!),
    entries,
    // fromEntries defines own properties, so a service called `__proto__` cannot reach the prototype.
    firstErrorAt: Object.fromEntries(firstErrorAt),
  };
}
