import { assertNever } from '../../shared/errors.js';
import { code, sanitizeUntrusted, truncateText } from './pull-request/escape-untrusted-text.js';
import { fitSections, type BodySection } from './pull-request/fit-sections.js';
import type { PullRequestInput } from './pull-request/pull-request-input.js';
import {
  renderDecision, renderFix, renderGaps, renderLinks, renderRootCause, renderSuspect, renderUsage, renderVerification,
} from './pull-request/render-fix-sections.js';
import { renderLogEvidence } from './pull-request/render-log-evidence.js';
import { renderSummaryLines } from './pull-request/render-summary-lines.js';
import { firstFailingTrace, renderTimelineTable } from './pull-request/render-timeline-table.js';

export type { PullRequestInput, PullRequestVerification } from './pull-request/pull-request-input.js';

/** GitHub rejects PR bodies over 65536 characters; the margin leaves room for a forge's own additions. */
export const PULL_REQUEST_BODY_LIMIT = 65_000;

// Incident ids are ours, but the marker must never end the HTML comment early.
const markerId = (id: string): string => id.replace(/[^A-Za-z0-9._:-]/g, '_');

/**
 * The draft PR's markdown, for an on-call engineer at 3 a.m.: two summary lines first, then root cause,
 * suspect commit, the first failing trace, the log lines that prove it, the fix and its rationale,
 * verification, evidence gaps, LLM cost and the commands. Every piece of text from logs, alerts, commits
 * or models is redacted, defused (@mentions) and escaped; sections shrink in priority order to stay under
 * `PULL_REQUEST_BODY_LIMIT`.
 */
export function renderPullRequestBody(input: PullRequestInput, limit = PULL_REQUEST_BODY_LIMIT): string {
  const { incident, report, candidate } = input;
  const suspect = input.suspect === undefined ? report.suspectCommits[0] : input.suspect;
  const trace = firstFailingTrace(report.timeline);
  const sections: BodySection[] = [
    { blocks: [renderSummaryLines(input)], priority: 100 },
    { heading: 'Root cause', blocks: renderRootCause(report.rootCause, report.ranking), priority: 80 },
    { heading: 'Suspect commit', blocks: suspect ? renderSuspect(suspect) : [], priority: 70 },
    { heading: 'What the fix changes', blocks: renderFix(candidate, report), priority: 90 },
    { heading: 'Verification', blocks: renderVerification(input.verification), priority: 95 },
    { heading: 'First failing request', blocks: trace ? renderTimelineTable(trace) : [], priority: 40 },
    { heading: 'Log lines that show it', blocks: renderLogEvidence(report.templates), priority: 50 },
    { heading: 'Evidence gaps', blocks: renderGaps(report.gaps), priority: 60 },
    { heading: 'LLM usage', blocks: renderUsage(candidate), priority: 65 },
    { heading: 'Why Nightshift acted', blocks: input.decision ? renderDecision(input.decision) : [], priority: 30 },
    { heading: 'Links', blocks: renderLinks(input.links ?? []), priority: 20 },
    {
      blocks: [
        '---\n' +
          `<sub>Drafted by Nightshift for incident ${code(incident.id, 80)}. Comment \`/nightshift retry\` to draft the fix again, ` +
          '`/nightshift stop` to stop Nightshift on this incident. Nothing is merged without a human review.</sub>\n' +
          `<!-- nightshift:incident=${markerId(incident.id)} -->`,
      ],
      priority: 100,
    },
  ];
  return fitSections(sections, limit);
}

/** The PR title: what the fix does, where, and the incident it is for; plain text, at most 120 characters. */
export function renderPullRequestTitle(input: Pick<PullRequestInput, 'incident' | 'report' | 'candidate' | 'suspect'>): string {
  const { incident, report, candidate } = input;
  const crash = report.crash;
  const where = crash ? ` in ${crash.file}${crash.line ? `:${crash.line}` : ''}` : '';
  const suspect = input.suspect ?? report.suspectCommits[0];
  let what: string;
  switch (candidate.strategy) {
    case 'revert':
      what = suspect ? `Revert ${suspect.sha.slice(0, 7)} "${suspect.subject}"` : `Revert the suspect change${where}`;
      break;
    case 'template':
      what = `Guard ${crash?.errorType ?? 'the crash'}${where}`;
      break;
    case 'llm':
      what = `Fix ${crash?.errorType ?? incident.title}${where}`;
      break;
    default:
      what = assertNever(candidate.strategy, 'fix strategy');
  }
  const suffix = ` [nightshift ${truncateText(incident.id, 40)}]`;
  const plain = (text: string): string => sanitizeUntrusted(text).replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return truncateText(plain(what), 120 - suffix.length) + plain(suffix);
}
