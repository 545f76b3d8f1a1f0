import { ruleFixSchema, type Rule } from '../../../shared/config/rules-schema.js';
import type { FixPermissions, RuleDecision } from '../../../shared/events/incident-triaged.js';
import type { RuleVerdict } from './evaluate-rules.js';

/** The fix permissions a rule grants: its `fix` with the cautious defaults filled in. */
export function fixPermissionsOf(rule: Rule): FixPermissions | null {
  if (rule.action !== 'draft-fix' && rule.action !== 'auto-revert') return null;
  const fix = rule.fix ?? ruleFixSchema.parse(rule.action === 'auto-revert' ? { strategies: ['revert'] } : {});
  return { ...fix, strategies: [...fix.strategies] };
}

/**
 * The decision before the global controls: the matched rule's action and permissions, its
 * conditions as reasons; or triage only when no rule matched.
 */
export function decideForRule(rule: Rule | null, verdict: RuleVerdict | undefined, ruleCount: number): RuleDecision {
  if (!rule || !verdict) {
    return {
      action: 'triage',
      ruleId: null,
      reasons: [`none of the ${ruleCount} rules matched: triage only, no fix is drafted`],
      strategies: [],
    };
  }
  const fix = fixPermissionsOf(rule);
  return {
    action: rule.action,
    ruleId: rule.id,
    reasons: [
      `rule ${rule.id} matched${verdict.conditions.length === 0 ? ' (it has no conditions: a catch-all)' : ''}`,
      ...verdict.conditions.map((c) => c.reason),
    ],
    strategies: fix?.strategies ?? [],
    ...(fix ? { fix } : {}),
  };
}
