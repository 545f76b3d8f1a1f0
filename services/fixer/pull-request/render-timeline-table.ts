import type { TraceTimeline } from '../../triage/report/triage-report.js';
import { code, tableCell } from './escape-untrusted-text.js';
import { clockTime, offset } from './format-time.js';

const MAX_ROWS = 20;

/** The trace whose first error came earliest: the first failing request. */
export function firstFailingTrace(timelines: TraceTimeline[]): TraceTimeline | undefined {
  const firstError = (timeline: TraceTimeline): number => Math.min(...Object.values(timeline.firstErrorAt));
  const failing = timelines.filter((timeline) => Object.keys(timeline.firstErrorAt).length > 0);
  return [...failing].sort((a, b) => firstError(a) - firstError(b))[0];
}

/**
 * The blocks of the timeline section: a one-line description of the trace and a compact table of its
 * lines, at most 20, centred on the first error when the trace is longer.
 */
export function renderTimelineTable(timeline: TraceTimeline): string[] {
  const entries = timeline.entries;
  const start = entries[0]?.timestamp ?? 0;
  const errorIndex = Math.max(0, entries.findIndex((entry) => entry.level === 'error' || entry.level === 'fatal'));
  const from = entries.length <= MAX_ROWS ? 0 : Math.min(Math.max(0, errorIndex - MAX_ROWS / 2), entries.length - MAX_ROWS);
  const shown = entries.slice(from, from + MAX_ROWS);
  const rows = shown.map((entry) => {
    const marker = entry.level === 'error' || entry.level === 'fatal' ? '**' : '';
    return `| ${offset(entry.timestamp, start)} | ${clockTime(entry.timestamp)} | ${tableCell(entry.service, 40)} | ${marker}${entry.level}${marker} | ${tableCell(entry.message)} |`;
  });
  const left = entries.length - shown.length;
  return [
    `Trace ${code(timeline.traceId, 80)} across ${timeline.services.map((service) => tableCell(service, 40)).join(' → ')}, ${entries.length} lines${left > 0 ? ` (${left} not shown)` : ''}.`,
    ['| after | time (UTC) | service | level | message |', '|---|---|---|---|---|', ...rows].join('\n'),
  ];
}
