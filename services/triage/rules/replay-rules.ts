import type { RuleDecision } from '../../../shared/events/incident-triaged.js';
import type { Store } from '../../../shared/store/store.js';
import { decideIncident, type RuleSet } from './decide-incident.js';
import { collectIncidentFacts } from './incident-facts.js';

const HOUR_MS = 3_600_000;

type Action = RuleDecision['action'];

/** One incident whose decision the candidate rules would change. */
export interface ReplayChange {
  incidentId: string;
  title: string;
  severity: string;
  before: { action: Action | null; ruleId: string | null };
  after: { action: Action; ruleId: string | null; reasons: string[] };
  /** Whether a pull request would now be opened, or would no longer be. */
  pullRequest: 'would-open' | 'would-not-open' | null;
}

/** What a candidate rule set would have done over a period, against what was decided. */
export interface ReplayReport {
  since: string;
  incidents: number;
  unchanged: number;
  changes: ReplayChange[];
  actions: { before: Partial<Record<Action, number>>; after: Partial<Record<Action, number>> };
  pullRequests: { wouldOpen: number; wouldNotOpen: number };
  /** Upper bound on LLM spend: the sum of `fix.maxUsd` over decisions allowing the llm strategy. */
  llmBudgetUsd: { before: number; after: number };
}

const isFix = (action: Action | null | undefined) => action === 'draft-fix' || action === 'auto-revert';
const llmBudget = (decision: Partial<RuleDecision> | null) =>
  decision && isFix(decision.action) && decision.fix?.strategies.includes('llm') ? decision.fix.maxUsd : 0;
const cents = (usd: number) => Math.round(usd * 100) / 100;

/**
 * Re-evaluates every incident with alerts received since `since` against `candidate`, through the
 * same decision path live triage uses, and compares with the decisions stored. Incidents are replayed
 * oldest first so the hourly limits count the candidate's own fixes; the runtime kill switch and
 * later fix attempts are left out (they say nothing about the rules).
 */
export async function replayRules({ store, candidate, since }: { store: Store; candidate: RuleSet; since: Date }): Promise<ReplayReport> {
  const alerts = await store.listAlerts({ since: since.toISOString() });
  // Oldest first by their first alert in the period, the order they were decided in.
  const firstAlert = new Map<string, string>();
  for (const alert of alerts) {
    if (alert.incidentId === null) continue;
    const known = firstAlert.get(alert.incidentId);
    if (known === undefined || alert.receivedAt < known) firstAlert.set(alert.incidentId, alert.receivedAt);
  }
  const ids = [...firstAlert.keys()].sort((a, b) => firstAlert.get(a)!.localeCompare(firstAlert.get(b)!) || a.localeCompare(b));
  const incidents = (await Promise.all(ids.map((id) => store.getIncident(id)))).filter((incident) => incident !== undefined);

  const report: ReplayReport = {
    since: since.toISOString(),
    incidents: incidents.length,
    unchanged: 0,
    changes: [],
    actions: { before: {}, after: {} },
    pullRequests: { wouldOpen: 0, wouldNotOpen: 0 },
    llmBudgetUsd: { before: 0, after: 0 },
  };
  const fixesByRule = new Map<string, number[]>();
  for (const incident of incidents) {
    const facts = await collectIncidentFacts(store, incident.id);
    if (!facts) continue;
    const { decision } = await decideIncident(candidate, facts, async (ruleId) => ({
      runtimeKillSwitch: null,
      fixAttempts: 0,
      fixesByRuleLastHour: (fixesByRule.get(ruleId ?? '') ?? []).filter((at) => at > facts.latestAt - HOUR_MS).length,
      at: facts.latestAt,
    }));
    if (decision.ruleId && isFix(decision.action)) fixesByRule.set(decision.ruleId, [...(fixesByRule.get(decision.ruleId) ?? []), facts.latestAt]);

    const stored = incident.decision as Partial<RuleDecision> | null;
    const before = stored?.action ?? null;
    if (before) report.actions.before[before] = (report.actions.before[before] ?? 0) + 1;
    report.actions.after[decision.action] = (report.actions.after[decision.action] ?? 0) + 1;
    report.llmBudgetUsd.before += llmBudget(stored);
    report.llmBudgetUsd.after += llmBudget(decision);

    const hadPullRequest = isFix(before) || (await store.listPullRequests(incident.id)).length > 0;
    const pullRequest = isFix(decision.action) && !hadPullRequest ? 'would-open' : !isFix(decision.action) && hadPullRequest ? 'would-not-open' : null;
    if (pullRequest === 'would-open') report.pullRequests.wouldOpen++;
    if (pullRequest === 'would-not-open') report.pullRequests.wouldNotOpen++;
    const sameFix = JSON.stringify(stored?.fix ?? null) === JSON.stringify(decision.fix ?? null);
    if (before === decision.action && (stored?.ruleId ?? null) === decision.ruleId && sameFix) {
      report.unchanged++;
      continue;
    }
    report.changes.push({
      incidentId: incident.id,
      title: incident.title,
      severity: incident.severity,
      before: { action: before, ruleId: stored?.ruleId ?? null },
      after: { action: decision.action, ruleId: decision.ruleId, reasons: decision.reasons },
      pullRequest,
    });
  }
  report.llmBudgetUsd = { before: cents(report.llmBudgetUsd.before), after: cents(report.llmBudgetUsd.after) };
  return report;
}
