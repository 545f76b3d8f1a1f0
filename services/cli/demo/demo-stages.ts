import type { RoleName } from '../../runtime/role.js';
import type { DemoContext } from './demo-context.js';
import type { DemoStage } from './run-demo-stages.js';
import { alertsStage } from './stage-alerts.js';
import { fixStage } from './stage-fix.js';
import { createSetupStage } from './stage-setup.js';
import { trafficStage } from './stage-traffic.js';
import { triageStage } from './stage-triage.js';
import { verifyStage } from './stage-verify.js';

/** Nightshift's roles the demo runs in its process: all of them. */
export const DEMO_ROLES: readonly RoleName[] = ['ingest', 'triage', 'fixer', 'verifier', 'console'];

/** The demo, in order. */
export function defaultDemoStages(): DemoStage<DemoContext>[] {
  return [createSetupStage(DEMO_ROLES), trafficStage, alertsStage, triageStage, fixStage, verifyStage];
}
