import type { Logger } from 'pino';
import type { FixPermissions, FixStrategyName } from '../../../shared/events/incident-triaged.js';
import type { Incident } from '../../../shared/store/store.js';
import type { TriageReport } from '../../triage/report/triage-report.js';
import type { StrategyOutcome } from '../fix-candidate.js';
import type { Workspace } from '../workspace/workspace.js';

/** Everything a strategy may read about the incident, and the workspace it may write in. */
export interface FixContext {
  incident: Incident;
  report: TriageReport;
  permissions: FixPermissions;
  workspace: Workspace;
  /** The failing request and error text from the incident's alerts, secrets already redacted. */
  alerts: Array<{ title: string; message?: string; errorType?: string; errorValue?: string; request?: { method: string; url: string } }>;
  log: Logger;
  signal: AbortSignal;
}

/** One rung of the ladder: revert, template or llm. Leaves its edit in `ctx.workspace` when it succeeds. */
export interface FixStrategy {
  readonly name: FixStrategyName;
  propose(ctx: FixContext): Promise<StrategyOutcome>;
}
