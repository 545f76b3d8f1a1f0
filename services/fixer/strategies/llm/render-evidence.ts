import type { FixContext } from '../fix-strategy.js';
import { renderUntrustedBlock } from './render-untrusted-block.js';

/** The parts of the incident's evidence the model can ask for with `read_evidence`. */
export const EVIDENCE_SECTIONS = ['alerts', 'crash', 'root_cause', 'suspect_commits', 'log_templates', 'timeline', 'gaps'] as const;
export type EvidenceSection = (typeof EVIDENCE_SECTIONS)[number];

const SECTION_CHARS = 6000;

function cap(text: string, max = SECTION_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… (${text.length - max} more characters cut)`;
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

function renderSectionText(ctx: Pick<FixContext, 'report' | 'alerts'>, section: EvidenceSection): string {
  const { report, alerts } = ctx;
  switch (section) {
    case 'alerts':
      return alerts
        .map((a, i) =>
          [
            `alert ${i + 1}: ${a.title}`,
            a.errorType || a.errorValue ? `  error: ${a.errorType ?? ''}: ${a.errorValue ?? ''}` : '',
            a.message ? `  message: ${a.message}` : '',
            a.request ? `  request: ${a.request.method} ${a.request.url}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
        )
        .join('\n') || 'no alerts';
    case 'crash': {
      const c = report.crash;
      if (!c) return 'no stack frame of the root-cause service maps to a tracked file';
      const at = (f: { file: string; line?: number; function?: string }) => `${f.file}${f.line ? `:${f.line}` : ''}${f.function ? ` in ${f.function}` : ''}`;
      return [`${c.errorType}: ${c.errorValue ?? ''}`, `  at ${at(c)}`, ...c.callers.map((f) => `  called from ${at(f)}`)].join('\n');
    }
    case 'root_cause':
      return report.ranking.map((r) => `${r.service} (confidence ${r.confidence.toFixed(2)}): ${r.reasons.join('; ')}`).join('\n') || 'no ranking';
    case 'suspect_commits':
      return (
        report.suspectCommits
          .map((s) => `${s.sha.slice(0, 12)} ${s.committedAt} ${s.author}: ${s.subject}\n  files: ${s.files.join(', ')}\n  why: ${s.reasons.join('; ')}`)
          .join('\n') || 'no suspect commits'
      );
    case 'log_templates':
      return (
        report.templates
          .map((t) => `[${t.service}] ${t.kind} ${t.level} ×${t.incidentCount} (baseline ${t.baselineCount}): ${t.template}\n${t.examples.map((e) => `  e.g. ${e.message}`).join('\n')}`)
          .join('\n') || 'no anomalous log templates'
      );
    case 'timeline':
      return (
        report.timeline
          .slice(0, 3)
          .map((t) => `trace ${t.traceId}:\n${t.entries.map((e) => `  ${iso(e.timestamp)} ${e.service} ${e.level} ${e.message}`).join('\n')}`)
          .join('\n') || 'no cross-service timeline'
      );
    case 'gaps':
      return report.gaps.join('\n') || 'no gaps: every evidence source answered';
  }
}

/** One evidence section as an untrusted, redacted, size-capped block. */
export function renderEvidenceSection(ctx: Pick<FixContext, 'report' | 'alerts'>, section: EvidenceSection): string {
  return renderUntrustedBlock(`evidence:${section}`, cap(renderSectionText(ctx, section)));
}

/** Every section, for the summary model. */
export function renderAllEvidence(ctx: Pick<FixContext, 'report' | 'alerts'>): string {
  return EVIDENCE_SECTIONS.map((s) => renderEvidenceSection(ctx, s)).join('\n\n');
}
