import type { DemoContext } from './demo-context.js';
import { DemoError } from './demo-error.js';
import { formatSeconds } from './format-seconds.js';
import { pollUntil } from './poll-until.js';
import { getIncident } from './read-incidents.js';
import type { DemoStage } from './run-demo-stages.js';

interface VerificationRow {
  verdict: string;
  report: { replay: { base: string; fix: string } | null; readyForReview: boolean; summary: string } | null;
}

/** Verification: the sandboxed tests and the red-to-green replay run, and only a pass makes the PR ready. */
export const verifyStage: DemoStage<DemoContext> = {
  name: 'verify',
  title: 'verification',
  async run(ctx) {
    const url = ctx.nightshift!.url;
    const id = ctx.incidentId!;
    const timeoutMs = ctx.options.verifyTimeoutMs;
    const incident = await pollUntil(
      async () => {
        const detail = await getIncident(url, id);
        const done = (detail?.verifications as VerificationRow[] | undefined)?.some((run) => run.verdict !== 'running');
        return done ? detail : undefined;
      },
      { timeoutMs, intervalMs: 150 },
    );
    if (!incident) throw new DemoError('DEMO_NO_VERIFICATION', `the fix was not verified within ${formatSeconds(timeoutMs)}`);
    ctx.incident = incident;
    const runs = incident.verifications as VerificationRow[];
    const run = runs.find((r) => r.verdict === 'passed') ?? runs.find((r) => r.verdict !== 'running')!;
    const replay = run.report?.replay ?? null;
    const pr = incident.pullRequests[0] as { number: number; state: string } | undefined;
    ctx.verification = { verdict: run.verdict, replay, pullRequestState: pr?.state ?? null };
    const replayText = replay ? `replay base ${replay.base} → fix ${replay.fix}` : 'no replay';
    return `${run.verdict}: ${replayText}; PR #${pr?.number ?? '?'} is ${pr?.state ?? 'unknown'}`;
  },
};
