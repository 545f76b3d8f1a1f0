import type { RoleName } from '../../runtime/role.js';
import type { DemoContext } from './demo-context.js';
import type { DemoStage } from './run-demo-stages.js';
import { alertsStage } from './stage-alerts.js';
import { createSetupStage } from './stage-setup.js';
import { trafficStage } from './stage-traffic.js';
import { triageStage } from './stage-triage.js';

/** Nightshift's roles the demo runs in its process; the fix and verification stages add fixer and verifier. */
export const DEMO_ROLES: readonly RoleName[] = ['ingest', 'triage', 'console'];

/** The demo, in order. The fix and verification stages go at the end of this list. */
export function defaultDemoStages(): DemoStage<DemoContext>[] {
  return [createSetupStage(DEMO_ROLES), trafficStage, alertsStage, triageStage];
}
