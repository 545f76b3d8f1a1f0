import type { AnomalousTemplate } from '../../triage/report/triage-report.js';
import { escapeInline, fencedBlock, tableCell } from './escape-untrusted-text.js';
import { clockTime } from './format-time.js';

const MAX_TEMPLATES = 5;
const MAX_EXAMPLES = 3;
const LEVEL_ORDER: Record<string, number> = { fatal: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5 };

/** The anomalies most likely to prove the failure: errors first, new before bursting, most frequent first. */
export function strongestTemplates(templates: AnomalousTemplate[]): AnomalousTemplate[] {
  return [...templates]
    .sort((a, b) =>
      (LEVEL_ORDER[a.level] ?? 9) - (LEVEL_ORDER[b.level] ?? 9) ||
      (a.kind === b.kind ? 0 : a.kind === 'new' ? -1 : 1) ||
      b.incidentCount - a.incidentCount)
    .slice(0, MAX_TEMPLATES);
}

/** One block per template: what changed about it, then a few raw lines, redacted and fenced. */
export function renderLogEvidence(templates: AnomalousTemplate[]): string[] {
  return strongestTemplates(templates).map((template) => {
    const change = template.kind === 'new'
      ? `new: ${template.incidentCount} in the incident window, never before`
      : `bursting: ${template.incidentCount} in the incident window vs ${template.baselineCount} before`;
    const head = `**${tableCell(template.service, 40)}** · ${template.level} · ${change} · first at ${clockTime(template.firstSeen)}  \n` +
      `Template: ${escapeInline(template.template, 200)}`;
    const examples = template.examples.slice(0, MAX_EXAMPLES).map((example) => `${clockTime(example.timestamp)} ${example.message}`);
    return examples.length > 0 ? `${head}\n\n${fencedBlock(examples)}` : head;
  });
}
