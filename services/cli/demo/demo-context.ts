import type { Logger } from 'pino';
import type { DsnKey } from '../../../shared/config/config-schema.js';
import type { NightshiftConfig } from '../../../shared/config/index.js';
import type { RunningNightshift } from '../../runtime/start-nightshift.js';
import type { CleanupStack } from './cleanup-stack.js';
import type { SampleRepository } from './create-sample-repository.js';
import type { TrafficResult } from './drive-traffic.js';
import type { IncidentDetail } from './read-incidents.js';
import type { RunningSampleSystem } from './start-sample-system.js';
import type { IncidentWatch } from './watch-incidents.js';

export interface DemoOptions {
  /** Keep the work directory (repository, logs, config, SQLite) after the demo. */
  keep: boolean;
  trafficTimeoutMs: number;
  alertTimeoutMs: number;
  triageTimeoutMs: number;
  fixTimeoutMs: number;
  verifyTimeoutMs: number;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = { keep: false, trafficTimeoutMs: 20_000, alertTimeoutMs: 20_000, triageTimeoutMs: 30_000, fixTimeoutMs: 30_000, verifyTimeoutMs: 60_000 };

/** What the stages share: each fills in what it made, later stages and the result read it. */
export interface DemoContext {
  options: DemoOptions;
  workDir: string;
  /** Stages register what they start here; it runs on every exit path. */
  cleanup: CleanupStack;
  /** The variables Nightshift's configuration is read with (the demo's config file, OPENAI_*). */
  env: Record<string, string>;
  secrets: { datadogToken: string; dsnKey: DsnKey };
  log?: Logger;
  sample?: SampleRepository;
  configFile?: string;
  config?: NightshiftConfig;
  nightshift?: RunningNightshift;
  system?: RunningSampleSystem;
  watch?: IncidentWatch;
  traffic?: TrafficResult;
  /** Epoch ms when the first Sentry alert's incident was first seen. */
  incidentSeenAt?: number;
  /** Epoch ms when its triage report was first seen. */
  triagedSeenAt?: number;
  incidentId?: string;
  incident?: IncidentDetail;
  /** Set by the fix stage: `{ strategy, branch, pr }`. */
  fix: Record<string, unknown> | null;
  /** Set by the verification stage: `{ verdict, replay: { base, fix } }`. */
  verification: Record<string, unknown> | null;
}
