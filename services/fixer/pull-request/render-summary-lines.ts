import type { FixStrategyName } from '../../../shared/events/incident-triaged.js';
import { assertNever } from '../../../shared/errors.js';
import { code, escapeInline } from './escape-untrusted-text.js';
import { percent } from './format-time.js';
import type { PullRequestInput, PullRequestVerification } from './pull-request-input.js';

/** How each strategy's change is described in one phrase. */
export function describeStrategy(strategy: FixStrategyName): string {
  switch (strategy) {
    case 'revert': return 'reverts the suspect change';
    case 'template': return 'adds a deterministic guard at the crash';
    case 'llm': return 'applies an LLM-written patch';
    default: return assertNever(strategy, 'fix strategy');
  }
}

/** `✅ passed`, `❌ failed`, …, or `⏳ not verified yet` without a run. */
export function verificationBadge(verification: PullRequestVerification | null | undefined): string {
  if (!verification) return '⏳ not verified yet';
  switch (verification.verdict) {
    case 'passed': return '✅ passed';
    case 'failed': return '❌ failed';
    case 'running': return '⏳ running';
    case 'unverifiable': return '⚠️ could not be verified';
    default: return assertNever(verification.verdict, 'verdict');
  }
}

/** The first two lines a tired reader sees: what broke, and what this PR does and whether it is verified. */
export function renderSummaryLines(input: PullRequestInput): string {
  const { incident, report, candidate, verification } = input;
  const crash = report.crash;
  const service = report.rootCause?.service ?? report.services[0] ?? incident.services[0] ?? 'unknown service';
  const error = crash
    ? `${crash.errorType}${crash.errorValue ? `: ${crash.errorValue}` : ''}`
    : incident.title;
  const place = crash ? ` at ${code(`${crash.file}${crash.line ? `:${crash.line}` : ''}`)}` : '';
  const alerts = `${incident.alertCount} alert${incident.alertCount === 1 ? '' : 's'}`;
  const files = candidate.files.length === 1 ? code(candidate.files[0] ?? '') : `${candidate.files.length} files`;
  const verified = verification?.summary ? ` — ${escapeInline(verification.summary, 160)}` : '';
  return [
    `**What broke:** ${escapeInline(service, 60)} throws ${escapeInline(error, 160)}${place} (${alerts}).  `,
    `**This PR** ${describeStrategy(candidate.strategy)} in ${files} (${candidate.linesChanged} line${candidate.linesChanged === 1 ? '' : 's'}, confidence ${percent(candidate.confidence)}). ` +
      `**Verification:** ${verificationBadge(verification)}${verified}`,
  ].join('\n');
}
