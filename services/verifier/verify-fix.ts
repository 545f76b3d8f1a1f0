import type { Logger } from 'pino';
import type { RepositoryConfig } from '../../shared/config/triage-schema.js';
import type { AlertReceivedPayload } from '../../shared/events/alert-received.js';
import { createEvent } from '../../shared/events/create-event.js';
import type { FixPermissions, RuleDecision } from '../../shared/events/incident-triaged.js';
import type { EventOf, PayloadOf } from '../../shared/events/registry.js';
import { scrubSecretText } from '../../shared/log/index.js';
import type { Incident, Store } from '../../shared/store/store.js';
import type { FixCandidate } from '../fixer/fix-candidate.js';
import type { CheckHandle, Forge } from '../fixer/forge/forge.js';
import { renderPullRequestBody } from '../fixer/render-pull-request-body.js';
import type { Workspace } from '../fixer/workspace/workspace.js';
import type { TriageReport } from '../triage/report/triage-report.js';

type FixVerified = PayloadOf<'fix.verified.v1'>;

/** What verifying one candidate found: the shape of `fix.verified.v1` minus the identifiers. */
export interface VerificationOutcome {
  verdict: FixVerified['verdict'];
  replay: FixVerified['replay'];
  steps: FixVerified['steps'];
  /** Markdown for the check run and the PR comment. */
  summary: string;
  /** Step output, size-capped, for the check run's text. */
  details?: string;
}

export interface VerifyFixDeps {
  store: Store;
  log: Logger;
  now: () => Date;
  forge: Forge;
  repositories: Record<string, RepositoryConfig>;
  openWorkspace(input: { repository: string; path: string; baseRef: string; incidentId: string; attemptId: string }): Promise<Workspace>;
  /** Applies a unified diff (the candidate) to a workspace. */
  applyDiff(workspace: Workspace, diff: string): Promise<void>;
  verify(input: {
    baseDir: string;
    fixDir: string;
    repository: string;
    incident: Incident;
    report: TriageReport | null;
    alerts: AlertReceivedPayload[];
    permissions: FixPermissions | null;
    /** Files the candidate changed (a test among them is the fix's regression test). */
    files: string[];
  }): Promise<VerificationOutcome>;
}

export const CHECK_NAME = 'nightshift/verification';
export const CHECK_RUNNING_TITLE = 'Verifying fix…';
const CHECK_RUNNING_SUMMARY =
  'Nightshift is building and testing the base and the fix side by side in its sandbox and replaying the incident\'s failing requests on both. ' +
  'This check completes with the verdict and the step logs.';

/** What the verification run records in the store: the check it reports to, and once done the verdict. */
export interface RecordedVerification extends Partial<FixVerified> {
  check?: CheckHandle;
}
export const VERIFICATION_FAILED_LABEL = 'nightshift:verification-failed';

function verificationId(attemptId: string): string {
  return `${attemptId}:verification`;
}

/**
 * The drafted PR's body with its verification filled in: the draft promises that the verifier updates
 * it. Rendered from the same stored inputs as the draft, so only the verification parts change.
 */
function verifiedBody(incident: Incident, candidate: FixCandidate, outcome: VerificationOutcome, title: string): string | undefined {
  const report = incident.triageReport as TriageReport | null;
  if (!report) return undefined;
  const replay = outcome.replay;
  return renderPullRequestBody({
    incident,
    report,
    decision: incident.decision as RuleDecision | null,
    candidate,
    verification: {
      verdict: outcome.verdict,
      summary: `${title}; the ${CHECK_NAME} check and the comment below have the details.`,
      ...(replay ? { replay: { summary: `base ${replay.base}, fix ${replay.fix}`, reproducedBefore: replay.base === 'failed', passedAfter: replay.fix === 'passed' } } : {}),
    },
  });
}

function verifiedEvent(incident: Incident, payload: FixVerified, now: () => Date): EventOf<'fix.verified.v1'> {
  return createEvent('fix.verified.v1', { key: incident.key, payload }, { now });
}

/**
 * The verification gate for one drafted fix: checks out the base and the fix side by side, builds,
 * tests and replays the incident's failing request on both in the sandbox, records the run, reports a
 * check on the fix commit and a comment on the PR, and only on a red-to-green pass marks the PR ready
 * and asks for reviewers. A repeat delivery re-announces the recorded verdict instead of re-running.
 */
export async function verifyFix(drafted: PayloadOf<'fix.drafted.v1'>, deps: VerifyFixDeps): Promise<EventOf<'fix.verified.v1'>[]> {
  const { store, forge } = deps;
  const incident = await store.getIncident(drafted.incidentId);
  if (!incident) return [];
  const base = { incidentId: drafted.incidentId, attemptId: drafted.attemptId, repository: drafted.repository, pullRequest: drafted.pullRequest };

  const recorded = (await store.listVerifications(drafted.incidentId)).find((run) => run.attemptId === drafted.attemptId && run.verdict !== 'running');
  if (recorded) {
    const { check: _check, ...verdict } = recorded.report as RecordedVerification;
    return [verifiedEvent(incident, verdict as FixVerified, deps.now)];
  }

  const repository = deps.repositories[drafted.repository];
  const attempts = await store.listFixAttempts(drafted.incidentId);
  const attempt = attempts.find((a) => a.id === drafted.attemptId);
  const candidate = attempt?.candidate as (Partial<FixCandidate> & { diff?: string }) | null | undefined;
  if (!repository || typeof candidate?.diff !== 'string') {
    deps.log.warn({ attemptId: drafted.attemptId }, 'drafted fix has no stored candidate or repository; not verifiable');
    return [];
  }
  // Shown running on the PR while the sandbox works; a redelivery after a crash takes the running check over.
  const check = await forge.startCheck({ repository: drafted.repository, headSha: drafted.headSha, name: CHECK_NAME, title: CHECK_RUNNING_TITLE, summary: CHECK_RUNNING_SUMMARY });
  const running: RecordedVerification = { check };
  await store.recordVerification({ id: verificationId(drafted.attemptId), incidentId: drafted.incidentId, attemptId: drafted.attemptId, verdict: 'running', report: running });
  await store.updateFixAttempt(drafted.attemptId, { status: 'verifying' });
  await store.updateIncident(drafted.incidentId, { status: 'verifying' });

  const decision = incident.decision as RuleDecision | null;
  const checkout = (suffix: string) =>
    deps.openWorkspace({ repository: drafted.repository, path: repository.path, baseRef: drafted.baseSha, incidentId: drafted.incidentId, attemptId: `${drafted.attemptId}-${suffix}` });
  const baseSide = await checkout('base');
  let outcome: VerificationOutcome;
  try {
    const fixSide = await checkout('fix');
    try {
      await deps.applyDiff(fixSide, candidate.diff);
      outcome = await deps.verify({
        baseDir: baseSide.dir,
        fixDir: fixSide.dir,
        repository: drafted.repository,
        incident,
        report: incident.triageReport as TriageReport | null,
        alerts: (await store.listAlerts({ incidentId: drafted.incidentId })).map((record) => record.payload as AlertReceivedPayload),
        permissions: decision?.fix ?? null,
        files: drafted.files,
      });
    } finally {
      await fixSide.dispose();
    }
  } catch (error) {
    outcome = {
      verdict: 'unverifiable',
      replay: null,
      steps: [],
      summary: `Verification could not run: ${error instanceof Error ? error.message : String(error)}`,
    };
  } finally {
    await baseSide.dispose();
  }

  const passed = outcome.verdict === 'passed';
  // Step logs and summaries come from the candidate's own code: whatever it printed is redacted before people read it.
  const summary = scrubSecretText(outcome.summary);
  const payload: FixVerified = { ...base, verdict: outcome.verdict, replay: outcome.replay, steps: outcome.steps, readyForReview: passed, summary };
  const title = passed ? 'Red to green: the fix is verified' : outcome.verdict === 'unverifiable' ? 'Not verified: red to green could not be shown' : 'Verification failed';
  await forge.completeCheck(check, {
    conclusion: passed ? 'success' : 'failure',
    title,
    summary,
    ...(outcome.details !== undefined ? { text: scrubSecretText(outcome.details) } : {}),
  });
  await forge.comment(drafted.repository, drafted.pullRequest.number, summary);
  const body = candidate.strategy !== undefined ? verifiedBody(incident, candidate as FixCandidate, outcome, title) : undefined;
  if (body !== undefined) await forge.updatePullRequestBody(drafted.repository, drafted.pullRequest.number, body);
  if (passed) {
    await forge.markReadyForReview(drafted.repository, drafted.pullRequest.number);
    const owners = await forge.codeOwners(drafted.repository, drafted.baseSha, drafted.files).catch(() => []);
    const reviewers = [...new Set([...(decision?.fix?.reviewers ?? []), ...owners])].slice(0, 10);
    if (reviewers.length > 0) await forge.requestReviewers(drafted.repository, drafted.pullRequest.number, reviewers);
    await store.updatePullRequestState(drafted.repository, drafted.pullRequest.number, 'ready');
    // An earlier candidate on this PR failed and labelled it; the label speaks for the PR's current head.
    if (attempts.some((a) => a.id !== drafted.attemptId && a.status === 'failed')) {
      await forge.removeLabel(drafted.repository, drafted.pullRequest.number, VERIFICATION_FAILED_LABEL);
    }
  } else {
    await forge.addLabels(drafted.repository, drafted.pullRequest.number, [VERIFICATION_FAILED_LABEL]);
  }
  await store.updateFixAttempt(drafted.attemptId, { status: passed ? 'verified' : 'failed', ...(passed ? {} : { error: `verification ${outcome.verdict}` }) });
  const done: RecordedVerification = { ...payload, check };
  await store.recordVerification({
    id: verificationId(drafted.attemptId),
    incidentId: drafted.incidentId,
    attemptId: drafted.attemptId,
    verdict: outcome.verdict,
    report: done,
    finishedAt: deps.now().toISOString(),
  });
  await store.appendAudit({ incidentId: drafted.incidentId, actor: 'verifier', action: `verification-${outcome.verdict}`, detail: { attemptId: drafted.attemptId, replay: outcome.replay, check: { kind: check.kind, id: check.id, resumed: check.resumed } } });
  return [verifiedEvent(incident, payload, deps.now)];
}
