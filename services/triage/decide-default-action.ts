import type { RuleDecision } from '../../shared/events/incident-triaged.js';

/** The decision while no alert rules are configured: triage and report, touch no code. */
export function decideDefaultAction(): RuleDecision {
  return {
    action: 'triage',
    ruleId: null,
    reasons: ['no alert rule matched (none are configured): triage only, no fix is drafted'],
    strategies: [],
  };
}
