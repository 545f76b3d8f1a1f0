import type { TriageReport } from '../../services/triage/report/triage-report.js';

/**
 * The triage report the fixer tests start from: a TypeError at `src/stock.js:2` of repository `shop`,
 * blamed on `suspect`, in `service` (the root cause).
 */
export function stockLookupReport(input: { incidentId: string; suspect: string; service?: string; subject?: string }): TriageReport {
  const service = input.service ?? 'inventory';
  return {
    incidentId: input.incidentId,
    title: "TypeError: Cannot read properties of undefined (reading 'count')",
    services: [service],
    window: { from: 0, to: 1, baselineFrom: 0 },
    rootCause: { service, confidence: 0.9, reasons: ['first error in every failing trace'] },
    ranking: [],
    suspectCommits: [
      {
        repository: 'shop',
        sha: input.suspect,
        author: 'Test Author',
        committedAt: '2026-11-21T01:00:00Z',
        subject: input.subject ?? `${service}: simplify stock lookup`,
        files: ['src/stock.js'],
        score: 0.9,
        reasons: ['touches the crashing line'],
      },
    ],
    crash: { repository: 'shop', file: 'src/stock.js', line: 2, column: 24, function: 'stockFor', errorType: 'TypeError', errorValue: "Cannot read properties of undefined (reading 'count')", callers: [] },
    templates: [],
    timeline: [],
    callGraph: [],
    gaps: [],
  };
}
