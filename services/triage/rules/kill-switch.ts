import type { Store } from '../../../shared/store/store.js';

const KILL_SWITCH = 'kill-switch';

/** The runtime kill switch as stored: on or off, who set it last, when and why. */
export interface KillSwitchState {
  enabled: boolean;
  by: string | null;
  at: string | null;
  reason: string | null;
}

/** The runtime kill switch; off when nobody ever set it. */
export async function readKillSwitch(store: Store): Promise<KillSwitchState> {
  const setting = await store.getControl(KILL_SWITCH);
  if (!setting) return { enabled: false, by: null, at: null, reason: null };
  const value = (setting.value ?? {}) as { enabled?: unknown; reason?: unknown };
  return { enabled: value.enabled === true, by: setting.updatedBy, at: setting.updatedAt, reason: typeof value.reason === 'string' ? value.reason : null };
}

/** Turns the runtime kill switch on or off and writes who did it to the audit log. */
export async function setKillSwitch(store: Store, { enabled, actor, reason }: { enabled: boolean; actor: string; reason?: string }): Promise<KillSwitchState> {
  return store.transaction(async (tx) => {
    const setting = await tx.setControl({ name: KILL_SWITCH, value: { enabled, ...(reason ? { reason } : {}) }, updatedBy: actor });
    await tx.appendAudit({ incidentId: null, actor, action: enabled ? 'kill-switch.on' : 'kill-switch.off', detail: reason ? { reason } : null });
    return { enabled, by: setting.updatedBy, at: setting.updatedAt, reason: reason ?? null };
  });
}
