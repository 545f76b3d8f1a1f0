import type { FixVerifiedPayload } from '../../shared/events/fix-verified.js';
import type { ReplayResponse } from './replay/run-replay.js';
import type { MemoryLimitKind } from './sandbox/step-cgroup.js';

export type VerificationVerdict = FixVerifiedPayload['verdict'];
export type VerificationStep = FixVerifiedPayload['steps'][number];
export type ReplaySummary = NonNullable<FixVerifiedPayload['replay']>;

/** One step's captured output (capped, scrubbed), for the check run and the store. */
export interface StepLog {
  name: string;
  output: string;
}

/** What verifying one candidate showed; `verdict`, `replay`, `steps` and `summary` go into `fix.verified.v1`. */
export interface VerificationResult {
  verdict: VerificationVerdict;
  replay: ReplaySummary | null;
  steps: VerificationStep[];
  /** Why the verdict is what it is, one sentence each (also why a candidate was passed over). */
  reasons: string[];
  /** What each replay got back, base then fix. */
  responses: { base: ReplayResponse[]; fix: ReplayResponse[] } | null;
  /** The memory bound the steps ran under, and whether it held for whole steps (a cgroup) or per process. */
  memory: { mb: number; appliedAs: MemoryLimitKind };
  /** Markdown for the check run and the PR comment. */
  summary: string;
  logs: StepLog[];
}
