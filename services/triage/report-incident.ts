import type { EventOf } from '../../shared/events/registry.js';
import { createIncidentTriagedEvent } from './create-incident-triaged-event.js';
import { decideDefaultAction } from './decide-default-action.js';
import type { RuleBook } from './rules/create-rule-book.js';
import { triageIncident, type TriageDeps } from './triage-incident.js';

/**
 * Triages an incident outside any transaction (log APIs and git are slow), then stores the report and
 * the decision in one short transaction and announces `incident.triaged.v1`. A repeat recomputes and
 * overwrites the same report, and the event it emits keeps its derived id.
 */
export async function reportIncident(incidentId: string, deps: TriageDeps, now: () => Date, ruleBook?: RuleBook): Promise<EventOf<'incident.triaged.v1'>[]> {
  const report = await triageIncident(incidentId, deps);
  // Decided outside the transaction too: the rate limit and the kill switch are store reads.
  const decision = ruleBook ? await ruleBook.decide(deps.store, incidentId, now()) : decideDefaultAction();
  const incident = await deps.store.transaction(async (tx) => {
    const current = await tx.getIncident(incidentId);
    if (!current) throw new Error(`incident ${incidentId} does not exist`);
    return tx.updateIncident(incidentId, { triageReport: report, decision, ...(current.status === 'open' ? { status: 'triaged' } : {}) });
  });
  return [createIncidentTriagedEvent(incident, report, decision, now)];
}
