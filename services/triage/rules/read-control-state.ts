import type { RuleDecision } from '../../../shared/events/incident-triaged.js';
import type { Store } from '../../../shared/store/store.js';
import type { ControlState } from './apply-controls.js';
import { readKillSwitch } from './kill-switch.js';

const HOUR_MS = 3_600_000;
// Enough to see any sane hourly limit; the query stays bounded whatever the incident volume.
const MAX_RECENT_INCIDENTS = 2000;

/** Whether a stored decision started a fix by `ruleId` at or after `since`. */
export function isFixDecisionBy(decision: unknown, ruleId: string, since: number): boolean {
  const d = decision as Partial<RuleDecision> | null;
  if (!d || d.ruleId !== ruleId || (d.action !== 'draft-fix' && d.action !== 'auto-revert')) return false;
  return typeof d.decidedAt === 'string' && Date.parse(d.decidedAt) >= since;
}

/**
 * Reads what the controls need from the store: the runtime kill switch, the incident's fix attempts,
 * and how many fixes `ruleId` decided in the last hour on other incidents. Not atomic with the
 * decision: two incidents decided at the same instant may both pass a limit's last slot.
 */
export async function readControlState(store: Store, { incidentId, ruleId, now }: { incidentId: string; ruleId: string | null; now: Date }): Promise<ControlState> {
  const at = now.getTime();
  const killSwitch = await readKillSwitch(store);
  const fixAttempts = (await store.listFixAttempts(incidentId)).length;
  let fixesByRuleLastHour = 0;
  if (ruleId !== null) {
    const since = at - HOUR_MS;
    const recent = await store.listIncidents({ updatedSince: new Date(since).toISOString(), limit: MAX_RECENT_INCIDENTS });
    fixesByRuleLastHour = recent.filter((incident) => incident.id !== incidentId && isFixDecisionBy(incident.decision, ruleId, since)).length;
  }
  return { runtimeKillSwitch: { enabled: killSwitch.enabled, ...(killSwitch.by ? { by: killSwitch.by } : {}) }, fixesByRuleLastHour, fixAttempts, at };
}
