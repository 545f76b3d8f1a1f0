import type { DemoContext } from './demo-context.js';
import { DemoError } from './demo-error.js';
import { formatSeconds } from './format-seconds.js';
import { pollUntil } from './poll-until.js';
import { getIncident } from './read-incidents.js';
import type { DemoStage } from './run-demo-stages.js';

interface DraftedAttempt {
  status: string;
  branch: string | null;
  candidate: { strategy?: string; files?: string[]; linesChanged?: number; headSha?: string } | null;
}

interface PullRequestRow {
  number: number;
  url: string;
  state: string;
}

/** Fix: the rule allows a fix, the fixer drafts one and opens a draft PR on the local forge. */
export const fixStage: DemoStage<DemoContext> = {
  name: 'fix',
  title: 'fix drafted',
  async run(ctx) {
    const url = ctx.nightshift!.url;
    const id = ctx.incidentId!;
    const timeoutMs = ctx.options.fixTimeoutMs;
    const incident = await pollUntil(
      async () => {
        const detail = await getIncident(url, id);
        return detail && detail.pullRequests.length > 0 ? detail : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
    if (!incident) {
      const detail = await getIncident(url, id);
      const attempts = (detail?.fixAttempts ?? []) as Array<{ status: string; error: string | null }>;
      const why = attempts.map((attempt) => `${attempt.status}: ${attempt.error ?? ''}`).join('; ') || 'no fix attempt was made';
      throw new DemoError('DEMO_NO_FIX', `no pull request within ${formatSeconds(timeoutMs)} (${why})`);
    }
    ctx.incident = incident;
    const pr = incident.pullRequests[0] as PullRequestRow;
    const attempt = (incident.fixAttempts as DraftedAttempt[]).find((a) => a.status !== 'rejected' && a.candidate?.strategy !== undefined);
    const strategy = attempt?.candidate?.strategy ?? 'unknown';
    ctx.fix = { strategy, branch: attempt?.branch ?? null, pr: { number: pr.number, url: pr.url } };
    const files = attempt?.candidate?.files?.join(', ') ?? '';
    return `${strategy} on ${attempt?.branch ?? '?'} (${files}); draft PR #${pr.number}`;
  },
};
