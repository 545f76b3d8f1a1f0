import type { Logger } from 'pino';
import type { RepositoryConfig, ServiceConfig } from '../../shared/config/triage-schema.js';
import type { AlertReceivedPayload } from '../../shared/events/alert-received.js';
import { createEvent, deriveEventId } from '../../shared/events/create-event.js';
import type { FixPermissions, FixStrategyName, RuleDecision } from '../../shared/events/incident-triaged.js';
import type { EventOf } from '../../shared/events/registry.js';
import { scrubSecretText } from '../../shared/log/scrub-secret-text.js';
import type { FixAttempt, Incident, PullRequestLink, Store } from '../../shared/store/store.js';
import type { TriageReport } from '../triage/report/triage-report.js';
import { chooseFixRepository } from './choose-fix-repository.js';
import type { FixCandidate, WorkspaceDiff } from './fix-candidate.js';
import { flagRegressedFix } from './follow-fix-outcome.js';
import type { Forge } from './forge/forge.js';
import { runStrategyLadder, type LadderRejection, type PolicyVerdict } from './run-strategy-ladder.js';
import type { FixContext, FixStrategy } from './strategies/fix-strategy.js';
import type { Workspace } from './workspace/workspace.js';

export type FixGateVerdict = { allowed: true } | { allowed: false; reason: string };

/** Everything the fixer needs, built once per process (see create-fixer-role.ts). */
export interface DraftFixDeps {
  store: Store;
  log: Logger;
  now: () => Date;
  newId: () => string;
  services: Record<string, ServiceConfig>;
  repositories: Record<string, RepositoryConfig>;
  strategies: Partial<Record<FixStrategyName, FixStrategy>>;
  openWorkspace(input: { repository: string; path: string; baseRef: string; incidentId: string; attemptId: string }): Promise<Workspace>;
  forge: Forge;
  checkPolicy(diff: WorkspaceDiff, permissions: FixPermissions): PolicyVerdict;
  /** Global controls (kill switch, open PR limit, attempts per incident) checked right before acting. */
  gates(input: { incidentId: string; repository: string | null; resuming?: string }): Promise<FixGateVerdict>;
  renderPullRequest(input: {
    incident: Incident;
    report: TriageReport;
    decision: RuleDecision;
    candidate: FixCandidate;
    rejections: LadderRejection[];
  }): { title: string; body: string };
}

/** What started this run of the ladder. */
export type FixTrigger =
  | { kind: 'triaged'; decision: RuleDecision }
  /** `/nightshift retry` on a PR that was closed, or a person's approval. */
  | { kind: 'retry' }
  /** The verifier failed the previous candidate: try the strategies after it. */
  | { kind: 'verification-failed'; failedStrategies: FixStrategyName[] };

const FIX_ACTIONS = new Set(['draft-fix', 'auto-revert']);
const OPEN_STATES = new Set(['draft', 'ready']);

function releaseBase(alerts: readonly AlertReceivedPayload[]): string | undefined {
  // A release named by its commit is the best base: the code that actually failed.
  const release = alerts.map((alert) => alert.release).find((value) => value !== undefined && /^[0-9a-f]{7,40}$/.test(value));
  return release;
}

function alertFacts(alerts: readonly AlertReceivedPayload[]): FixContext['alerts'] {
  return alerts.slice(0, 20).map((alert) => ({
    title: scrubSecretText(alert.title),
    ...(alert.message !== undefined ? { message: scrubSecretText(alert.message) } : {}),
    ...(alert.error ? { errorType: alert.error.type } : {}),
    ...(alert.error?.value !== undefined ? { errorValue: scrubSecretText(alert.error.value) } : {}),
    ...(alert.request ? { request: { method: alert.request.method, url: scrubSecretText(alert.request.url) } } : {}),
  }));
}

async function note(store: Store, incidentId: string, action: string, detail: Record<string, unknown>): Promise<void> {
  await store.appendAudit({ incidentId, actor: 'fixer', action, detail });
}

async function hasAction(store: Store, incidentId: string, action: string): Promise<boolean> {
  return (await store.listAudit({ incidentId })).some((entry) => entry.action === action);
}

/** `/nightshift stop` holds until a later `/nightshift retry`. */
async function isStopped(store: Store, incidentId: string): Promise<boolean> {
  const actions = (await store.listAudit({ incidentId })).map((entry) => entry.action);
  return actions.lastIndexOf('fix-stopped') > actions.lastIndexOf('fix-retried');
}

async function openWorkspaceAtBase(deps: DraftFixDeps, input: { repository: string; path: string; defaultBranch: string; release: string | undefined; incidentId: string; attemptId: string }): Promise<Workspace> {
  const common = { repository: input.repository, path: input.path, incidentId: input.incidentId, attemptId: input.attemptId };
  if (input.release) {
    try {
      return await deps.openWorkspace({ ...common, baseRef: input.release });
    } catch (error) {
      deps.log.info({ err: error, release: input.release }, 'release commit unknown to the repository; fixing on the default branch');
    }
  }
  return deps.openWorkspace({ ...common, baseRef: input.defaultBranch });
}

/** The rule said `fix.onVerificationFailure: close`: the failed fix's PR is closed, with the reason on it. */
async function closeAfterFailedVerification(deps: DraftFixDeps, pr: { incidentId: string; repository: string; number: number; ruleId: string | null }): Promise<void> {
  const rule = pr.ruleId ?? '(default)';
  await deps.forge.comment(
    pr.repository,
    pr.number,
    `Verification failed, and rule ${rule} closes the pull request instead of trying another strategy (fix.onVerificationFailure: close). Comment \`/nightshift retry\` to draft a fix again.`,
  );
  await deps.forge.closePullRequest(pr.repository, pr.number);
  await deps.store.updatePullRequestState(pr.repository, pr.number, 'closed');
  await note(deps.store, pr.incidentId, 'fix-closed', { pullRequest: pr.number, reason: `verification failed; rule ${rule} closes the pull request (fix.onVerificationFailure: close)` });
}

type StoredCandidate = FixCandidate & { baseSha: string; headSha: string };

/** `fix.drafted.v1` for a drafted attempt, from what the store holds of it (so it can be announced again). */
function fixDraftedEvent(incident: Incident, attempt: FixAttempt, pullRequest: Pick<PullRequestLink, 'repository' | 'number' | 'url'>, now: () => Date): EventOf<'fix.drafted.v1'> {
  const candidate = attempt.candidate as StoredCandidate;
  return createEvent(
    'fix.drafted.v1',
    {
      key: incident.key,
      payload: {
        incidentId: incident.id,
        attemptId: attempt.id,
        strategy: candidate.strategy,
        repository: pullRequest.repository,
        baseSha: candidate.baseSha,
        headSha: candidate.headSha,
        branch: attempt.branch!,
        pullRequest: { number: pullRequest.number, url: pullRequest.url },
        files: candidate.files,
        linesChanged: candidate.linesChanged,
        rationale: candidate.rationale,
        confidence: candidate.confidence,
        usage: (attempt.usage as EventOf<'fix.drafted.v1'>['payload']['usage']) ?? undefined,
      },
    },
    { now },
  );
}

/**
 * A drafted attempt the verifier has not taken up: the crash that interrupted the delivery may have come
 * before `fix.drafted.v1` was published (the fixer is not transactional), so a redelivery announces it
 * again. The verifier is idempotent per attempt, so a second announcement costs nothing.
 */
async function reannounceUnverified(store: Store, incident: Incident, open: PullRequestLink, now: () => Date): Promise<EventOf<'fix.drafted.v1'>[]> {
  const attempt = (await store.listFixAttempts(incident.id)).find((one) => one.id === open.attemptId);
  return attempt?.status === 'drafted' && attempt.candidate ? [fixDraftedEvent(incident, attempt, open, now)] : [];
}

/** The slot of a triggering event's derived ids that names its fix attempt (emitted events use 0, 1, …). */
const ATTEMPT_ID_SLOT = -1;

/**
 * The attempt this run works on. Its id derives from the triggering event, so a redelivery after a crash
 * finds the attempt the crash left `pending` and resumes it instead of counting a second attempt against
 * `maxFixAttemptsPerIncident`. An attempt of the same event that did finish (a handler error the bus
 * retries) is history: the retry gets a fresh id.
 */
async function chooseAttemptId(store: Store, incidentId: string, triggerEventId: string | undefined, newId: () => string): Promise<{ id: string; resumed: boolean }> {
  if (!triggerEventId) return { id: newId(), resumed: false };
  const id = deriveEventId(triggerEventId, ATTEMPT_ID_SLOT);
  const earlier = (await store.listFixAttempts(incidentId)).find((attempt) => attempt.id === id);
  if (!earlier) return { id, resumed: false };
  return earlier.status === 'pending' ? { id, resumed: true } : { id: newId(), resumed: false };
}

/**
 * Drafts a fix for one incident: picks the repository, checks the controls, runs the strategy ladder in
 * a fresh worktree, commits the chosen candidate on `nightshift/<incident-id>`, pushes it and opens (or
 * updates) the incident's one draft pull request. Idempotent: a redelivery or a recurrence finds the
 * open PR and comments on it instead of opening another; a PR closed unmerged stays closed until retried.
 */
export async function draftFix(incidentId: string, trigger: FixTrigger, deps: DraftFixDeps, triggerEventId?: string): Promise<EventOf<'fix.drafted.v1'>[]> {
  const { store, log } = deps;
  const incident = await store.getIncident(incidentId);
  const report = incident?.triageReport as TriageReport | null | undefined;
  if (!incident || !report) return [];
  const decision = trigger.kind === 'triaged' ? trigger.decision : (incident.decision as RuleDecision | null);
  if (!decision || !FIX_ACTIONS.has(decision.action) || !decision.fix) return [];
  const permissions = decision.fix;

  const choice = chooseFixRepository(report, permissions, deps);
  if (!choice.ok) {
    await note(store, incidentId, 'fix-skipped', { reason: choice.reason });
    return [];
  }
  const pullRequests = await store.listPullRequests(incidentId);
  const open = pullRequests.find((pr) => OPEN_STATES.has(pr.state));
  if (trigger.kind === 'triaged' && open) {
    await deps.forge.comment(
      choice.name,
      open.number,
      `Nightshift triaged this incident again (${incident.alertCount} alert${incident.alertCount === 1 ? '' : 's'} so far). This pull request is still its fix; no second one is opened.`,
    );
    await note(store, incidentId, 'fix-recurrence-commented', { pullRequest: open.number });
    return reannounceUnverified(store, incident, open, deps.now);
  }
  if (trigger.kind === 'triaged' && pullRequests.length > 0) {
    const last = pullRequests[pullRequests.length - 1] as PullRequestLink;
    if (last.state === 'merged') {
      // The failure came back after its fix merged: the fix did not hold, and its reviewers should know.
      const reason = `incident ${incidentId} is firing again after the merge (${incident.alertCount} alerts); Nightshift has not drafted another fix`;
      await flagRegressedFix({ link: last, reason }, deps);
      return [];
    }
    await note(store, incidentId, 'fix-not-redrafted', {
      reason: `pull request #${last.number} is ${last.state}; comment /nightshift retry on it to draft again`,
    });
    return [];
  }
  if (trigger.kind !== 'retry' && (await isStopped(store, incidentId))) {
    await note(store, incidentId, 'fix-skipped', { reason: 'someone commented /nightshift stop; /nightshift retry resumes' });
    return [];
  }
  if (trigger.kind === 'verification-failed' && open && permissions.onVerificationFailure === 'close') {
    await closeAfterFailedVerification(deps, { incidentId, repository: choice.name, number: open.number, ruleId: decision.ruleId });
    return [];
  }
  const attempt = await chooseAttemptId(store, incidentId, triggerEventId, deps.newId);
  // The incident's own open PR does not count against the repository's limit when it is replaced.
  const gate = await deps.gates({ incidentId, repository: open ? null : choice.name, ...(attempt.resumed ? { resuming: attempt.id } : {}) });
  if (!gate.allowed) {
    await note(store, incidentId, 'fix-gated', { reason: gate.reason });
    return [];
  }
  if (permissions.requireApproval && trigger.kind === 'triaged' && !(await hasAction(store, incidentId, 'fix-approved'))) {
    await note(store, incidentId, 'fix-awaiting-approval', { reason: `rule ${decision.ruleId ?? '(default)'} requires a person to approve (POST /api/incidents/${incidentId}/approve)` });
    return [];
  }

  const excluded = new Set(trigger.kind === 'verification-failed' ? trigger.failedStrategies : []);
  const order = (decision.action === 'auto-revert' ? (['revert'] as FixStrategyName[]) : permissions.strategies).filter((name) => !excluded.has(name));
  if (order.length === 0) {
    await note(store, incidentId, 'fix-exhausted', { reason: 'every strategy the rule allows has been tried' });
    if (trigger.kind === 'verification-failed' && open) {
      await deps.forge.comment(
        choice.name,
        open.number,
        `Nightshift tried every strategy rule ${decision.ruleId ?? '(default)'} allows (${permissions.strategies.join(', ')}); none passed verification. This pull request stays a draft for a person to take over.`,
      );
    }
    return [];
  }

  const attemptId = attempt.id;
  const alerts = (await store.listAlerts({ incidentId })).map((record) => record.payload as AlertReceivedPayload);
  if (attempt.resumed) {
    await note(store, incidentId, 'fix-resumed', { attemptId, reason: 'the previous run of this attempt was interrupted (process restart)' });
  } else {
    await store.createFixAttempt({ id: attemptId, incidentId, strategy: order.join('>'), repository: choice.name, status: 'pending' });
  }
  const workspace = await openWorkspaceAtBase(deps, {
    repository: choice.name,
    path: choice.repository.path,
    defaultBranch: choice.repository.defaultBranch,
    release: releaseBase(alerts),
    incidentId,
    attemptId,
  });
  try {
    const controller = new AbortController();
    const ladder = await runStrategyLadder({
      order,
      strategies: deps.strategies,
      context: { incident, report, permissions, workspace, alerts: alertFacts(alerts), log, signal: controller.signal },
      checkPolicy: (diff) => deps.checkPolicy(diff, permissions),
      log,
    });
    const usage = [...ladder.rejections.flatMap((r) => r.usage), ...(ladder.candidate?.usage ?? [])];
    if (!ladder.candidate) {
      const reason = ladder.rejections.map((r) => `${r.strategy}: ${r.reason}`).join('; ');
      await store.updateFixAttempt(attemptId, { status: 'rejected', error: reason, usage, candidate: { rejections: ladder.rejections } });
      await note(store, incidentId, 'fix-no-candidate', { attemptId, rejections: ladder.rejections });
      return [];
    }
    const candidate = ladder.candidate;
    const { title, body } = deps.renderPullRequest({ incident, report, decision, candidate, rejections: ladder.rejections });
    const headSha = await workspace.commit(`${title}\n\nNightshift-Incident: ${incidentId}\nNightshift-Strategy: ${candidate.strategy}`);
    await deps.forge.pushBranch({ repository: choice.name, dir: workspace.dir, branch: workspace.branch, sha: headSha });

    const existing = open ? await deps.forge.getPullRequest(choice.name, open.number) : await deps.forge.findPullRequest(choice.name, workspace.branch);
    let pullRequest = existing && OPEN_STATES.has(existing.state) ? existing : undefined;
    const labels = [...new Set(['nightshift', ...permissions.labels])];
    if (pullRequest) {
      await deps.forge.updatePullRequestBody(choice.name, pullRequest.number, body);
      // A PR found on the forge may be one whose delivery failed before labelling it.
      await deps.forge.addLabels(choice.name, pullRequest.number, labels);
      await deps.forge.comment(choice.name, pullRequest.number, `Nightshift replaced the fix on this branch with a ${candidate.strategy} candidate (${headSha.slice(0, 12)}).`);
    } else {
      // Reviewers are asked only once verification passes: a draft that may never be ready pings nobody.
      pullRequest = await deps.forge.openDraftPullRequest({
        repository: choice.name,
        branch: workspace.branch,
        base: choice.repository.defaultBranch,
        title,
        body,
        labels,
        reviewers: [],
      });
    }
    const link = { incidentId, attemptId, repository: choice.name, number: pullRequest.number, url: pullRequest.url, state: 'draft' as const };
    const linked = await store.linkPullRequest(link);
    // A retry after the PR was closed opened a new one: the incident's link follows it.
    if (!linked.inserted && linked.link.number !== pullRequest.number) await store.replacePullRequest(link);
    const drafted = await store.updateFixAttempt(attemptId, {
      status: 'drafted',
      branch: workspace.branch,
      usage,
      candidate: { ...candidate, baseSha: workspace.baseSha, headSha, rejections: ladder.rejections },
    });
    await store.updateIncident(incidentId, { status: 'fixing' });
    await note(store, incidentId, 'fix-drafted', { attemptId, strategy: candidate.strategy, pullRequest: pullRequest.number, headSha });
    return [fixDraftedEvent(incident, drafted, link, deps.now)];
  } catch (error) {
    await store.updateFixAttempt(attemptId, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    await workspace.dispose();
  }
}
