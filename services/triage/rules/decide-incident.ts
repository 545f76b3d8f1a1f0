import type { ControlsConfig, Rule } from '../../../shared/config/rules-schema.js';
import type { RuleDecision } from '../../../shared/events/incident-triaged.js';
import { applyControls, type ControlState } from './apply-controls.js';
import { decideForRule } from './decide-for-rule.js';
import { evaluateRules, type RuleEvaluation } from './evaluate-rules.js';
import type { IncidentFacts } from './incident-facts.js';

/** The rules and controls in force. */
export interface RuleSet {
  rules: readonly Rule[];
  controls: ControlsConfig;
}

/** The evaluation (every rule's conditions) and the decision after the controls. */
export interface IncidentDecision {
  evaluation: RuleEvaluation;
  decision: RuleDecision;
}

/**
 * The one path from an incident to a decision, shared by live triage, `rules explain` and `rules
 * replay`: evaluate the rules in order, take the first match's action, then apply the controls.
 * `readState` is asked once the deciding rule is known (live: from the store).
 */
export async function decideIncident(
  { rules, controls }: RuleSet,
  facts: IncidentFacts,
  readState: (ruleId: string | null) => Promise<ControlState>,
): Promise<IncidentDecision> {
  const evaluation = evaluateRules(rules, facts);
  const verdict = evaluation.verdicts.find((v) => v.ruleId === evaluation.matched?.id);
  const proposed = decideForRule(evaluation.matched, verdict, rules.length);
  const state = await readState(evaluation.matched?.id ?? null);
  const decision = applyControls(proposed, { rule: evaluation.matched, controls, severity: facts.severity, state });
  return { evaluation, decision: { ...decision, decidedAt: new Date(state.at).toISOString() } };
}
