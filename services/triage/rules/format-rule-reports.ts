import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import type { IncidentDecision } from './decide-incident.js';
import type { ReplayReport } from './replay-rules.js';

/** `rules explain` for a terminal: every rule with its conditions, then the decision. */
export function formatExplanation({ evaluation, decision }: IncidentDecision, alert: AlertReceivedPayload): string {
  const lines = [`alert: ${alert.source} ${alert.kind} "${alert.title}" (${alert.severity}${alert.service ? `, service ${alert.service}` : ''})`, ''];
  if (evaluation.verdicts.length === 0) lines.push('no rules are configured');
  for (const verdict of evaluation.verdicts) {
    const status = !verdict.reached ? (verdict.matched ? 'SHADOWED (would match, but an earlier rule decided)' : 'not reached') : verdict.matched ? 'MATCHED' : 'no match';
    lines.push(`rule ${verdict.ruleId}: ${status}`);
    if (verdict.conditions.length === 0) lines.push('  (no conditions: matches everything)');
    for (const c of verdict.conditions) lines.push(`  ${c.passed ? 'pass' : 'FAIL'} ${c.condition}: ${c.reason}`);
  }
  lines.push('', `decision: ${decision.action}${decision.ruleId ? ` (rule ${decision.ruleId})` : ' (no rule matched)'}`);
  for (const reason of decision.reasons) lines.push(`  - ${reason}`);
  if (decision.fix) {
    const fix = decision.fix;
    lines.push(`  fix: strategies ${fix.strategies.join(', ')}; model tier ${fix.modelTier}; up to ${fix.maxTokens} tokens and $${fix.maxUsd}${fix.requireApproval ? '; needs approval' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `rules replay` for a terminal: the totals, then one line per changed incident. */
export function formatReplay(report: ReplayReport): string {
  const counts = (actions: Record<string, number | undefined>) =>
    Object.entries(actions).map(([action, n]) => `${action} ${n}`).join(', ') || 'none';
  const lines = [
    `replayed ${report.incidents} incidents with alerts since ${report.since}: ${report.changes.length} changed, ${report.unchanged} unchanged`,
    `actions before: ${counts(report.actions.before)}`,
    `actions after:  ${counts(report.actions.after)}`,
    `pull requests: ${report.pullRequests.wouldOpen} would be opened, ${report.pullRequests.wouldNotOpen} would not be`,
    `LLM budget (sum of maxUsd where llm is allowed): $${report.llmBudgetUsd.before} before, $${report.llmBudgetUsd.after} after`,
  ];
  if (report.changes.length > 0) lines.push('');
  for (const change of report.changes) {
    const before = change.before.action ? `${change.before.action} (${change.before.ruleId ?? 'no rule'})` : 'undecided';
    const pr = change.pullRequest ? ` [PR ${change.pullRequest}]` : '';
    lines.push(`${change.incidentId} "${change.title}": ${before} -> ${change.after.action} (${change.after.ruleId ?? 'no rule'})${pr}`);
  }
  return `${lines.join('\n')}\n`;
}
