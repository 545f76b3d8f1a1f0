import type { RuleDecision } from '../../../shared/events/incident-triaged.js';
import type { RankedService, SuspectCommit, TriageReport } from '../../triage/report/triage-report.js';
import type { FixCandidate } from '../fix-candidate.js';
import { code, escapeInline, sanitizeUntrusted, truncateText } from './escape-untrusted-text.js';
import { percent } from './format-time.js';
import type { PullRequestVerification } from './pull-request-input.js';
import { verificationBadge } from './render-summary-lines.js';

const MAX_REASONS = 6;
const MAX_FILES = 20;
const MAX_RATIONALE = 12_000;

const bullets = (items: string[], max = MAX_REASONS): string =>
  [...items.slice(0, max).map((item) => `- ${escapeInline(item, 300)}`), ...(items.length > max ? [`- … ${items.length - max} more`] : [])].join('\n');

/** Root cause: the service, its confidence and the reasons, plus the runners-up. */
export function renderRootCause(rootCause: RankedService | null, ranking: RankedService[]): string[] {
  if (!rootCause) return ['Triage could not single out a root-cause service; see the timeline and log lines below.'];
  const others = ranking.filter((entry) => entry.service !== rootCause.service).slice(0, 3);
  return [
    `**${escapeInline(rootCause.service, 60)}**, ${percent(rootCause.confidence)} confidence, because:\n${bullets(rootCause.reasons)}`,
    ...(others.length > 0 ? [`Also considered: ${others.map((entry) => `${escapeInline(entry.service, 60)} (${percent(entry.confidence)})`).join(', ')}.`] : []),
  ];
}

/** The suspect commit: sha, subject, author, date, files and why it is suspected. */
export function renderSuspect(suspect: SuspectCommit): string[] {
  const files = suspect.files.slice(0, 10).map((file) => code(file)).join(', ') + (suspect.files.length > 10 ? ` and ${suspect.files.length - 10} more` : '');
  return [
    `${code(suspect.sha.slice(0, 12))} ${escapeInline(suspect.subject, 120)} — ${escapeInline(suspect.author, 80)}, ${escapeInline(suspect.committedAt, 40)}, in ${escapeInline(suspect.repository, 60)}.` +
      (files ? `\nFiles: ${files}.` : ''),
    ...(suspect.reasons.length > 0 ? [`Suspected because:\n${bullets(suspect.reasons)}`] : []),
  ];
}

// The rationale is markdown by design, so it is sanitised (secrets, mentions, raw HTML) but not
// escaped; a cut inside a code fence gets the fence closed.
function sanitizeRationale(rationale: string): string {
  let text = truncateText(sanitizeUntrusted(rationale).replace(/<(?=[A-Za-z/!?])/g, '&lt;'), MAX_RATIONALE);
  const fences = text.split('\n').filter((line) => /^\s*(```|~~~)/.test(line)).length;
  if (fences % 2 === 1) text += '\n```';
  return text;
}

/** What the fix changes and why: strategy, confidence, files and lines, and the strategy's rationale. */
export function renderFix(candidate: FixCandidate, report: TriageReport): string[] {
  const files = candidate.files.slice(0, MAX_FILES).map((file) => `- ${code(file)}`).join('\n') +
    (candidate.files.length > MAX_FILES ? `\n- … ${candidate.files.length - MAX_FILES} more` : '');
  const crash = report.crash;
  const at = crash ? ` The crash frame is ${code(`${crash.file}${crash.line ? `:${crash.line}` : ''}`)}${crash.function ? ` in ${code(crash.function, 80)}` : ''}.` : '';
  return [
    `Strategy **${candidate.strategy}**, confidence ${percent(candidate.confidence)}, ${candidate.linesChanged} line${candidate.linesChanged === 1 ? '' : 's'} changed in ${candidate.files.length} file${candidate.files.length === 1 ? '' : 's'}.${at}\n${files}`,
    sanitizeRationale(candidate.rationale),
  ];
}

/** Verification verdict, summary and the replay of the failing request. */
export function renderVerification(verification: PullRequestVerification | null | undefined): string[] {
  if (!verification) return ['⏳ Not verified yet: the verifier will update this section and mark the PR ready only when it passes.'];
  const replay = verification.replay;
  const replayLine = replay
    ? `\nReplay of the failing request: ${escapeInline(replay.summary, 300)}` +
      (replay.reproducedBefore !== undefined ? ` · failed before the fix: ${replay.reproducedBefore ? 'yes' : 'no'}` : '') +
      (replay.passedAfter !== undefined ? ` · passes after: ${replay.passedAfter ? 'yes' : 'no'}` : '')
    : '';
  return [`${verificationBadge(verification)} — ${escapeInline(verification.summary, 600)}${replayLine}`];
}

/** Evidence that is missing, so an absent signal is not read as a clean one. */
export function renderGaps(gaps: string[]): string[] {
  return gaps.length === 0 ? ['None: every evidence source answered in full.'] : [bullets(gaps, 10)];
}

/** LLM usage per model and the total cost, when a model was used. */
export function renderUsage(candidate: FixCandidate): string[] {
  if (candidate.usage.length === 0) return [];
  const rows = candidate.usage.map((usage) =>
    `| ${escapeInline(usage.model, 60)} | ${usage.promptTokens} | ${usage.completionTokens} | $${usage.costUsd.toFixed(4)} |`);
  const total = candidate.usage.reduce((sum, usage) => sum + usage.costUsd, 0);
  return [['| model | prompt tokens | completion tokens | cost |', '|---|---:|---:|---:|', ...rows].join('\n'), `Total: **$${total.toFixed(4)}**.`];
}

/** Which rule sent this incident to the fixer, and why. */
export function renderDecision(decision: RuleDecision): string[] {
  const rule = decision.ruleId ? `Rule ${code(decision.ruleId, 80)}` : 'The default rule';
  return [`${rule} chose **${decision.action}** (strategies: ${decision.strategies.join(' → ') || 'none'}).${decision.reasons.length > 0 ? `\n${bullets(decision.reasons, 4)}` : ''}`];
}

const SAFE_URL = /^https?:\/\/[^\s<>()[\]`"']+$/;

/** Links as markdown links when they are plain http(s) URLs, as escaped text otherwise. */
export function renderLinks(links: string[]): string[] {
  if (links.length === 0) return [];
  return [links.slice(0, 10).map((link) => {
    const clean = sanitizeUntrusted(link);
    return SAFE_URL.test(clean) && clean === link ? `- <${clean}>` : `- ${escapeInline(link, 200)}`;
  }).join('\n')];
}
