import type { RuleDecision } from '../../../shared/events/incident-triaged.js';
import type { Incident, VerificationVerdict } from '../../../shared/store/store.js';
import type { SuspectCommit, TriageReport } from '../../triage/report/triage-report.js';
import type { FixCandidate } from '../fix-candidate.js';

/** What the verifier said, as far as the PR body shows it. */
export interface PullRequestVerification {
  verdict: VerificationVerdict;
  /** One or two sentences; untrusted (it may quote build output). */
  summary: string;
  replay?: { summary: string; reproducedBefore?: boolean; passedAfter?: boolean };
}

/** Everything the PR title and body are rendered from. */
export interface PullRequestInput {
  incident: Incident;
  report: TriageReport;
  decision?: RuleDecision | null;
  candidate: FixCandidate;
  /** The suspect the fix is about; defaults to the report's best-ranked one. */
  suspect?: SuspectCommit | null;
  /** Null or absent: not verified yet. */
  verification?: PullRequestVerification | null;
  /** Absolute http(s) links (the Sentry issue, the console page); anything else is shown as text. */
  links?: string[];
}
