import { isErrorLevel } from '../evidence/log-record.js';
import type { AnomalousTemplate } from '../report/triage-report.js';
import type { AlertSignal } from './alert-signal.js';
import type { EntryAnomaly, TraceLike } from './analyse-failing-trace.js';
import { looksPropagated } from './looks-propagated.js';

const summaryTraceId = 'whole window (no correlated traces)';
const alertTemplate = '\u0000alert';
const significantShare = 0.1;

/**
 * With no failing traces, the whole window becomes one pseudo-trace: each error-level anomalous template
 * and each alert is an entry at its first sighting, so the same propagation reasoning applies to services.
 */
export function summariseWindow(anomalies: readonly AnomalousTemplate[], alerts: readonly AlertSignal[]): TraceLike | undefined {
  const entries: TraceLike['entries'][number][] = [];
  const errors = anomalies.filter((anomaly) => isErrorLevel(anomaly.level));
  // Without traces, a one-off error would set its service's first-error time; only templates carrying a
  // real share of the window's errors take part (the rest still count as templates when scoring).
  const floor = significantShare * Math.max(0, ...errors.map((anomaly) => anomaly.incidentCount));
  for (const anomaly of errors) {
    if (anomaly.incidentCount < floor) continue;
    entries.push({
      timestamp: anomaly.firstSeen,
      service: anomaly.service,
      level: anomaly.level,
      // The example keeps what the template masked away, such as the host of a refused connection.
      message: `${anomaly.template}\n${anomaly.examples[0]?.message ?? ''}`,
      templateId: anomaly.templateId,
    });
  }
  for (const alert of alerts) {
    entries.push({
      timestamp: alert.firstSeen,
      service: alert.service,
      level: 'error',
      message: alert.errorType ?? 'alert',
      templateId: alertTemplate,
    });
  }
  if (entries.length === 0) return undefined;
  entries.sort((a, b) => a.timestamp - b.timestamp);
  const firstErrorAt: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const entry of entries) firstErrorAt[entry.service] ??= entry.timestamp;
  return { traceId: summaryTraceId, entries, firstErrorAt };
}

/** Classifies the pseudo-trace's entries: anomalies by template id, alerts as alerts. */
export function classifySummaryEntry(
  anomalies: readonly AnomalousTemplate[],
): (entry: TraceLike['entries'][number]) => EntryAnomaly | undefined {
  const byId = new Map(anomalies.map((a) => [`${a.service}\n${a.templateId}`, a]));
  return (entry) => {
    if (entry.templateId === alertTemplate) {
      return { label: entry.message === 'alert' ? '' : entry.message, kind: 'alert', propagated: looksPropagated(entry.message) };
    }
    const anomaly = byId.get(`${entry.service}\n${entry.templateId ?? ''}`);
    return anomaly && { label: anomaly.template, kind: anomaly.kind, propagated: looksPropagated(anomaly.template) };
  };
}
