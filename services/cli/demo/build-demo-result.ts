import type { DemoContext } from './demo-context.js';
import { DEMO_CHECKS, evaluateDemoChecks, type DemoCheck } from './demo-checks.js';
import type { StagesOutcome } from './run-demo-stages.js';

/** What `nightshift demo --json` prints: one object. */
export interface DemoResult {
  ok: boolean;
  incidentId: string | null;
  rootCause: { service: string; confidence: number } | null;
  suspectCommit: { sha: string; subject: string; author: string } | null;
  fix: Record<string, unknown> | null;
  verification: Record<string, unknown> | null;
  sample: { repoDir: string; guiltySha: string; goodSha: string } | null;
  /** Milliseconds each stage took, by stage name, and `total`. */
  timings: Record<string, number>;
  /** Nightshift's own speed as the demo saw it (ms); absent when not measured. */
  measured: { firstFailureAfter?: number; incidentAfterFirstFailure?: number; triageAfterIncident?: number };
  checks: Array<{ name: string; ok: boolean }>;
  stages: Array<{ name: string; ok: boolean; ms: number; detail: string }>;
  failedStage: { stage: string; error: string } | null;
  /** The work directory when it was kept (--keep), else null. */
  workDir: string | null;
}

/** The demo's result: the stages' records, what triage found, and `ok` = no stage failed and every check passed. */
export function buildDemoResult(ctx: DemoContext, outcome: StagesOutcome, checks: readonly DemoCheck[] = DEMO_CHECKS): DemoResult {
  const report = ctx.incident?.triageReport;
  const suspect = report?.suspectCommits[0];
  const evaluated = evaluateDemoChecks(ctx, checks);
  const timings: Record<string, number> = Object.fromEntries(outcome.stages.map((stage) => [stage.name, stage.ms]));
  timings.total = outcome.totalMs;
  const measured: DemoResult['measured'] = {};
  if (ctx.traffic?.firstFailure) measured.firstFailureAfter = ctx.traffic.msUntilFirstFailure;
  if (ctx.traffic?.firstFailure && ctx.incidentSeenAt !== undefined) measured.incidentAfterFirstFailure = Math.max(0, ctx.incidentSeenAt - ctx.traffic.firstFailure.at);
  if (ctx.incidentSeenAt !== undefined && ctx.triagedSeenAt !== undefined) measured.triageAfterIncident = Math.max(0, ctx.triagedSeenAt - ctx.incidentSeenAt);
  return {
    ok: outcome.failed === undefined && evaluated.ok,
    incidentId: ctx.incidentId ?? null,
    rootCause: report?.rootCause ? { service: report.rootCause.service, confidence: report.rootCause.confidence } : null,
    suspectCommit: suspect ? { sha: suspect.sha, subject: suspect.subject, author: suspect.author } : null,
    fix: ctx.fix,
    verification: ctx.verification,
    sample: ctx.sample ? { repoDir: ctx.sample.repoDir, guiltySha: ctx.sample.guiltySha, goodSha: ctx.sample.goodSha } : null,
    timings,
    measured,
    checks: evaluated.checks,
    stages: outcome.stages.map(({ name, ok, ms, detail }) => ({ name, ok, ms, detail })),
    failedStage: outcome.failed ?? null,
    workDir: ctx.options.keep ? ctx.workDir : null,
  };
}
