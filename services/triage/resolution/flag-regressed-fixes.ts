import type { Logger } from 'pino';
import { createEvent, deriveEventId } from '../../../shared/events/create-event.js';
import type { EventOf } from '../../../shared/events/registry.js';
import type { Store } from '../../../shared/store/store.js';

/** How far back the sweep looks for incidents reopened after a merge (a longer outage of triage misses older ones). */
export const REGRESSION_LOOKBACK_MS = 24 * 60 * 60_000;
/** The claims in `handled_events` that make each regression reported once across triage processes. */
export const REGRESSION_CLAIMS = 'triage-resolution';

export interface FlagRegressedDeps {
  store: Store;
  now: () => Date;
  log: Logger;
  publish: (events: EventOf<'fix.outcome.v1'>[]) => Promise<void>;
}

/**
 * Finds merged fixes whose incident is active again: a merge puts the incident in recovery, and only a
 * firing alert takes it out, so a merged PR on an open or triaged incident is a fix that did not hold.
 * Each is reported once (`fix.outcome.v1`, regressed) for the fixer to flag on the PR. Published before
 * it is claimed: a crash in between repeats the event, which the fixer recognises by its id.
 */
export async function flagRegressedFixes(deps: FlagRegressedDeps): Promise<EventOf<'fix.outcome.v1'>[]> {
  const { store } = deps;
  const updatedSince = new Date(deps.now().getTime() - REGRESSION_LOOKBACK_MS).toISOString();
  const reported: EventOf<'fix.outcome.v1'>[] = [];
  for (const incident of await store.listIncidents({ status: ['open', 'triaged'], updatedSince, limit: 500 })) {
    for (const pullRequest of await store.listPullRequests(incident.id)) {
      if (pullRequest.state !== 'merged') continue;
      const claim = `fix-regressed/${incident.id}/${pullRequest.repository}#${pullRequest.number}`;
      if (await store.hasHandled(REGRESSION_CLAIMS, claim)) continue;
      const event = createEvent(
        'fix.outcome.v1',
        {
          id: deriveEventId(claim, 0),
          key: incident.key,
          payload: {
            incidentId: incident.id,
            outcome: 'regressed',
            repository: pullRequest.repository,
            pullRequest: pullRequest.number,
            reason: `the alert fired again after the merge and incident ${incident.id} is open again (${incident.alertCount} alerts in all)`,
          },
        },
        { now: deps.now },
      );
      await deps.publish([event]);
      await store.markHandled(REGRESSION_CLAIMS, claim);
      deps.log.info({ incidentId: incident.id, pullRequest: pullRequest.number }, 'merged fix regressed');
      reported.push(event);
    }
  }
  return reported;
}
