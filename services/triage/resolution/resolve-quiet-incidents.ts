import type { Logger } from 'pino';
import { createEvent, deriveEventId } from '../../../shared/events/create-event.js';
import type { EventOf } from '../../../shared/events/registry.js';
import type { Incident, PullRequestLink, Store } from '../../../shared/store/store.js';

/** Why an incident was in recovery: its fix merged, or the alert source reported it resolved. */
export type ResolutionReason = 'fix-merged' | 'source-resolved';

export interface Resolution {
  incident: Incident;
  reason: ResolutionReason;
  /** The merged fix, when there is one. */
  pullRequest: PullRequestLink | undefined;
}

export interface ResolveQuietDeps {
  store: Store;
  now: () => Date;
  log: Logger;
  quietMinutes: number;
  /** Where `fix.outcome.v1` goes (the bus): the fixer says on the merged PR that the fix held. */
  publish: (events: EventOf<'fix.outcome.v1'>[]) => Promise<void>;
}

function heldEvent(resolution: Resolution & { pullRequest: PullRequestLink }, quietMinutes: number, now: () => Date): EventOf<'fix.outcome.v1'> {
  const { incident, pullRequest } = resolution;
  return createEvent(
    'fix.outcome.v1',
    {
      // Named after what it reports, so a repeat is recognised downstream.
      id: deriveEventId(`fix-outcome/held/${incident.id}/${pullRequest.repository}#${pullRequest.number}`, 0),
      key: incident.key,
      payload: {
        incidentId: incident.id,
        outcome: 'held',
        repository: pullRequest.repository,
        pullRequest: pullRequest.number,
        reason: `no alert for ${quietMinutes} minutes after the merge`,
        quietMinutes,
      },
    },
    { now },
  );
}

/**
 * One pass of the resolution sweep: every incident in recovery with no alert for the quiet period
 * becomes resolved, with an audit entry saying why, in the same transaction, so that of several triage
 * processes exactly one resolves each incident and writes its entry. Then the fixer is told which
 * merged fixes held. A lost publish loses only that PR comment; the resolution and its entry stay.
 */
export async function resolveQuietIncidents(deps: ResolveQuietDeps): Promise<Resolution[]> {
  const { store, quietMinutes } = deps;
  const quietSince = new Date(deps.now().getTime() - quietMinutes * 60_000).toISOString();
  const resolutions = await store.transaction(async (tx) => {
    const resolved: Resolution[] = [];
    for (const incident of await tx.resolveQuietIncidents({ quietSince })) {
      const pullRequest = (await tx.listPullRequests(incident.id)).filter((pr) => pr.state === 'merged').at(-1);
      const reason: ResolutionReason = pullRequest ? 'fix-merged' : 'source-resolved';
      const cause = pullRequest ? `fix merged at ${pullRequest.updatedAt} (${pullRequest.repository}#${pullRequest.number})` : 'the alert source reported it resolved';
      await tx.appendAudit({
        incidentId: incident.id,
        actor: 'triage',
        action: 'incident-resolved',
        detail: {
          reason,
          why: `${cause}; quiet for ${quietMinutes} minutes`,
          quietMinutes,
          ...(pullRequest ? { repository: pullRequest.repository, pullRequest: pullRequest.number, mergedAt: pullRequest.updatedAt } : {}),
        },
      });
      resolved.push({ incident, reason, pullRequest });
    }
    return resolved;
  });
  for (const { incident, reason } of resolutions) deps.log.info({ incidentId: incident.id, reason, quietMinutes }, 'incident resolved');
  const held = resolutions.filter((r): r is Resolution & { pullRequest: PullRequestLink } => r.pullRequest !== undefined);
  if (held.length > 0) {
    try {
      await deps.publish(held.map((r) => heldEvent(r, quietMinutes, deps.now)));
    } catch (error) {
      deps.log.warn({ err: error, incidentIds: held.map((r) => r.incident.id) }, 'resolved, but the fixer could not be told to comment on the merged fixes');
    }
  }
  return resolutions;
}
