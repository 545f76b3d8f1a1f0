import type { Rule } from '../../../shared/config/rules-schema.js';
import type { ConditionResult } from './condition-result.js';
import type { IncidentFacts } from './incident-facts.js';
import { matchAlertConditions } from './match-alert-conditions.js';
import { matchIncidentConditions } from './match-incident-conditions.js';

/** How one rule fared against an incident. */
export interface RuleVerdict {
  ruleId: string;
  matched: boolean;
  /** False for rules after the one that matched: they were checked for explain, not consulted. */
  reached: boolean;
  /** Index in `facts.alerts` of the alert the conditions were judged on (null: none needed). */
  alertIndex: number | null;
  conditions: ConditionResult[];
}

/** Every rule's verdict in order, and the first rule that matched (the one that decides). */
export interface RuleEvaluation {
  matched: Rule | null;
  verdicts: RuleVerdict[];
}

const passes = (results: ConditionResult[]) => results.filter((result) => result.passed).length;

/** The alert that satisfies every alert condition, else the one that comes closest (latest on a tie). */
function judgeAlerts(rule: Rule, facts: IncidentFacts): { alertIndex: number | null; conditions: ConditionResult[] } {
  let best: { alertIndex: number; conditions: ConditionResult[] } | undefined;
  for (let index = facts.alerts.length - 1; index >= 0; index--) {
    const conditions = matchAlertConditions(rule.match, facts.alerts[index]!);
    if (conditions.length === 0) return { alertIndex: null, conditions };
    if (conditions.every((c) => c.passed)) return { alertIndex: index, conditions };
    if (!best || passes(conditions) > passes(best.conditions)) best = { alertIndex: index, conditions };
  }
  if (best) return best;
  const needsAlert = Object.keys(rule.match).some((key) => !['count', 'rate', 'timeOfDay'].includes(key));
  return { alertIndex: null, conditions: needsAlert ? [{ condition: 'alerts', passed: false, reason: 'the incident has no alerts to match' }] : [] };
}

/**
 * Evaluates the rules in order over an incident: alert conditions must all hold for one of its
 * alerts, incident conditions (count, rate, time of day) for the incident. The first rule whose
 * conditions all hold decides; the rules after it are still evaluated, so explain can show them.
 */
export function evaluateRules(rules: readonly Rule[], facts: IncidentFacts): RuleEvaluation {
  let matched: Rule | null = null;
  const verdicts = rules.map((rule): RuleVerdict => {
    const judged = judgeAlerts(rule, facts);
    const conditions = [...judged.conditions, ...matchIncidentConditions(rule.match, facts)];
    const reached = matched === null;
    const all = conditions.every((c) => c.passed);
    if (all && reached) matched = rule;
    return { ruleId: rule.id, matched: all, reached, alertIndex: judged.alertIndex, conditions };
  });
  return { matched, verdicts };
}
