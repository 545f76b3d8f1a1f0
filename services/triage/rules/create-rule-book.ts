import type { RuleDecision } from '../../../shared/events/incident-triaged.js';
import type { Store } from '../../../shared/store/store.js';
import { decideDefaultAction } from '../decide-default-action.js';
import { decideIncident, type RuleSet } from './decide-incident.js';
import { collectIncidentFacts } from './incident-facts.js';
import { readControlState } from './read-control-state.js';

/** The rules in force for a triage process; hot reload swaps them between two decisions. */
export interface RuleBook {
  current(): RuleSet;
  replace(next: RuleSet): void;
  /** The decision for a stored incident, with the live controls (kill switch, limits) applied. */
  decide(store: Store, incidentId: string, now: Date): Promise<RuleDecision>;
}

/** A rule book starting with `initial`. With no rules configured the default (triage only) applies. */
export function createRuleBook(initial: RuleSet): RuleBook {
  let current = initial;
  return {
    current: () => current,
    replace(next) {
      current = next;
    },
    async decide(store, incidentId, now) {
      const set = current;
      if (set.rules.length === 0) return decideDefaultAction();
      const facts = await collectIncidentFacts(store, incidentId);
      if (!facts) throw new Error(`incident ${incidentId} does not exist`);
      const { decision } = await decideIncident(set, facts, (ruleId) => readControlState(store, { incidentId, ruleId, now }));
      return decision;
    },
  };
}
