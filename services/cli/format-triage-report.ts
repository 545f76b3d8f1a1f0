import type { TriageReport } from '../triage/report/triage-report.js';

const percent = (value: number) => `${Math.round(value * 100)}%`;
const clock = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** A triage report as an on-call engineer reads it in a terminal: conclusion first, evidence after. */
export function formatTriageReport(reports: readonly TriageReport[]): string {
  if (reports.length === 0) return 'no incidents: no captured file held a firing alert\n';
  const out: string[] = [];
  for (const report of reports) {
    out.push(`incident ${report.incidentId}: ${report.title}`);
    out.push(`  window ${clock(report.window.from)} – ${clock(report.window.to)} (baseline from ${clock(report.window.baselineFrom)})`);
    out.push(`  services: ${report.services.join(', ') || '(none)'}`);
    if (report.rootCause) {
      out.push(`  root cause: ${report.rootCause.service} (${percent(report.rootCause.confidence)})`);
      for (const reason of report.rootCause.reasons) out.push(`    - ${reason}`);
    } else {
      out.push('  root cause: not determined');
    }
    for (const other of report.ranking.slice(1, 4)) out.push(`  then: ${other.service} (${percent(other.confidence)})`);
    if (report.suspectCommits.length > 0) out.push('  suspect commits:');
    for (const suspect of report.suspectCommits) {
      out.push(`    ${suspect.sha.slice(0, 12)} ${suspect.subject} (${suspect.author}, ${suspect.committedAt}; score ${suspect.score.toFixed(2)})`);
      for (const reason of suspect.reasons) out.push(`      - ${reason}`);
    }
    if (report.templates.length > 0) out.push('  new or bursting log templates:');
    for (const template of report.templates.slice(0, 8)) {
      out.push(`    [${template.service}] ${template.kind} ${template.level} ×${template.incidentCount} (baseline ${template.baselineCount}): ${template.template}`);
    }
    for (const gap of report.gaps) out.push(`  gap: ${gap}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
