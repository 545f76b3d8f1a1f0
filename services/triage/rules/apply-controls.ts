import type { ControlsConfig, Rule } from '../../../shared/config/rules-schema.js';
import type { RuleDecision } from '../../../shared/events/incident-triaged.js';
import { isWithinTimeWindow } from './is-within-time-window.js';

/** What the controls need to know beyond the configuration, read from the store (or assumed, offline). */
export interface ControlState {
  /** The runtime kill switch (`nightshift kill-switch on`, `PUT /api/controls/kill-switch`). */
  runtimeKillSwitch: { enabled: boolean; by?: string } | null;
  /** Fixes the deciding rule started in the hour before `at`, on other incidents. */
  fixesByRuleLastHour: number;
  /** Fix attempts the incident already had. */
  fixAttempts: number;
  /** When the decision is made (quiet hours are judged at this time). */
  at: number;
}

/** Why a fix may not start now, or undefined when nothing stands in the way. */
function findGate(rule: Rule | null, controls: ControlsConfig, state: ControlState): string | undefined {
  if (controls.killSwitch) return 'the kill switch is on (controls.killSwitch in the configuration)';
  if (state.runtimeKillSwitch?.enabled) return `the kill switch is on (turned on by ${state.runtimeKillSwitch.by ?? 'an operator'})`;
  if (controls.quietHours) {
    const { inside, time } = isWithinTimeWindow(state.at, controls.quietHours);
    const { from, to, timezone } = controls.quietHours;
    if (inside) return `it is ${time} ${timezone}, inside quiet hours ${from}-${to} (controls.quietHours)`;
  }
  if (state.fixAttempts >= controls.maxFixAttemptsPerIncident) {
    return `the incident already had ${state.fixAttempts} fix attempts (controls.maxFixAttemptsPerIncident: ${controls.maxFixAttemptsPerIncident})`;
  }
  const limit = rule?.maxFixesPerHour ?? controls.maxFixesPerRulePerHour;
  if (rule && state.fixesByRuleLastHour >= limit) {
    return `rule ${rule.id} already started ${state.fixesByRuleLastHour} fixes in the last hour (limit ${limit} per hour)`;
  }
  return undefined;
}

/**
 * Applies the global controls to a rule's decision: severities that need approval set
 * `fix.requireApproval`; the kill switch, quiet hours, the attempts cap and the rule's hourly limit
 * downgrade draft-fix and auto-revert to triage, with the reason recorded. Other actions pass as they are.
 */
export function applyControls(decision: RuleDecision, { rule, controls, severity, state }: { rule: Rule | null; controls: ControlsConfig; severity: string; state: ControlState }): RuleDecision {
  if (decision.action !== 'draft-fix' && decision.action !== 'auto-revert') return decision;
  const gate = findGate(rule, controls, state);
  if (gate !== undefined) {
    return {
      action: 'triage',
      ruleId: decision.ruleId,
      reasons: [...decision.reasons, `downgraded from ${decision.action} to triage: ${gate}`],
      strategies: [],
      fix: null,
      downgradedFrom: decision.action,
    };
  }
  if (decision.fix && !decision.fix.requireApproval && (controls.approvalSeverities as string[]).includes(severity)) {
    return {
      ...decision,
      reasons: [...decision.reasons, `a person must approve the fix: severity ${severity} is in controls.approvalSeverities`],
      fix: { ...decision.fix, requireApproval: true },
    };
  }
  return decision;
}
