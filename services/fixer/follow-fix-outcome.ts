import type { NightshiftEvent } from '../../shared/events/registry.js';
import type { PullRequestLink, Store } from '../../shared/store/store.js';
import type { Forge } from './forge/forge.js';

/** The label a merged Nightshift fix gets when its alert comes back. */
export const REGRESSED_LABEL = 'nightshift:regressed';

export interface FixOutcomeDeps {
  store: Store;
  forge: Forge;
}

/** Whether the PR's incident already has `action` on its timeline for this PR: each is said once. */
async function alreadyNoted(store: Store, link: PullRequestLink, action: string): Promise<boolean> {
  return (await store.listAudit({ incidentId: link.incidentId })).some((entry) => {
    const detail = entry.detail as { repository?: unknown; pullRequest?: unknown } | null;
    return entry.action === action && detail?.repository === link.repository && detail.pullRequest === link.number;
  });
}

/**
 * Flags a merged fix that did not hold: a comment and the `nightshift:regressed` label on its PR, and
 * `fix-regressed` on its incident's timeline (plus `previous-fix-regressed` on the recurrence, if one
 * brought it back). Once per PR, whichever path notices first. Returns whether it flagged now.
 */
export async function flagRegressedFix(input: { link: PullRequestLink; reason: string; recurrenceId?: string }, { store, forge }: FixOutcomeDeps): Promise<boolean> {
  const { link, reason, recurrenceId } = input;
  if (await alreadyNoted(store, link, 'fix-regressed')) return false;
  await forge.comment(link.repository, link.number, `The fix in this pull request did not hold: ${reason}. Nightshift labelled it \`${REGRESSED_LABEL}\`.`);
  await forge.addLabels(link.repository, link.number, [REGRESSED_LABEL]);
  const where = { repository: link.repository, pullRequest: link.number };
  await store.appendAudit({ incidentId: link.incidentId, actor: 'fixer', action: 'fix-regressed', detail: { ...where, reason, ...(recurrenceId ? { recurrenceId } : {}) } });
  if (recurrenceId) await store.appendAudit({ incidentId: recurrenceId, actor: 'fixer', action: 'previous-fix-regressed', detail: { ...where, incidentId: link.incidentId } });
  return true;
}

/** Says on a merged PR that its incident went quiet and was resolved, once. */
async function noteFixHeld(input: { link: PullRequestLink; reason: string; quietMinutes: number | undefined }, { store, forge }: FixOutcomeDeps): Promise<boolean> {
  const { link, reason, quietMinutes } = input;
  if (await alreadyNoted(store, link, 'fix-held')) return false;
  await forge.comment(link.repository, link.number, `Nightshift resolved incident ${link.incidentId}, which this pull request fixed: ${reason}.`);
  await store.appendAudit({ incidentId: link.incidentId, actor: 'fixer', action: 'fix-held', detail: { repository: link.repository, pullRequest: link.number, reason, quietMinutes } });
  return true;
}

/**
 * The fixer's side of closing the loop after a merge: `fix.outcome.v1` from triage's resolution sweep
 * (the fix held), an incident reopened by a firing alert after its fix merged, and a recurrence after
 * resolution, whose earlier incident's merged fix did not hold either.
 */
export async function followFixOutcome(event: NightshiftEvent, deps: FixOutcomeDeps): Promise<void> {
  if (event.type === 'fix.outcome.v1') {
    const { repository, pullRequest, reason, quietMinutes } = event.payload;
    const link = await deps.store.findPullRequestLink(repository, pullRequest);
    // A retry may have replaced the link since; only a fix that is still the merged one is spoken for.
    if (!link || link.state !== 'merged' || link.incidentId !== event.payload.incidentId) return;
    await noteFixHeld({ link, reason, quietMinutes }, deps);
    return;
  }
  if (event.type === 'incident.changed.v1' && event.payload.change === 'reopened') {
    // Out of recovery: if its fix had merged, the same failure came back after the merge.
    for (const link of await deps.store.listPullRequests(event.payload.incidentId)) {
      if (link.state !== 'merged') continue;
      const incident = await deps.store.getIncident(event.payload.incidentId);
      const reason = `the alert fired again after the merge and incident ${event.payload.incidentId} is open again (${incident?.alertCount ?? 'several'} alerts in all)`;
      await flagRegressedFix({ link, reason }, deps);
    }
    return;
  }
  if (event.type === 'incident.changed.v1' && event.payload.change === 'recurrence' && event.payload.reopenedFrom) {
    const previous = event.payload.reopenedFrom;
    for (const link of await deps.store.listPullRequests(previous)) {
      if (link.state !== 'merged') continue;
      const reason = `the alert recurred after incident ${previous} was resolved, as incident ${event.payload.incidentId}`;
      await flagRegressedFix({ link, reason, recurrenceId: event.payload.incidentId }, deps);
    }
  }
}
