import type { DemoContext } from './demo-context.js';

/** One thing the demo must have shown for it to count as a success. */
export interface DemoCheck {
  name: string;
  passes(ctx: DemoContext): boolean;
}

/** What `ok` requires. The fix and verification stages add theirs (a PR exists, it was verified red → green). */
export const DEMO_CHECKS: readonly DemoCheck[] = [
  { name: 'triage names inventory, the deepest service, as the root cause', passes: (ctx) => ctx.incident?.triageReport?.rootCause?.service === 'inventory' },
  {
    name: 'triage names the guilty commit as the first suspect',
    passes: (ctx) => ctx.sample !== undefined && ctx.incident?.triageReport?.suspectCommits[0]?.sha === ctx.sample.guiltySha,
  },
  { name: 'the fixer opened a pull request with a fix', passes: (ctx) => ctx.fix !== null && typeof ctx.fix.strategy === 'string' },
  {
    name: 'verification replayed the failing request red to green and passed',
    passes: (ctx) => {
      const verification = ctx.verification as { verdict?: string; replay?: { base: string; fix: string } | null } | null;
      return verification?.verdict === 'passed' && verification.replay?.base === 'failed' && verification.replay.fix === 'passed';
    },
  },
  { name: 'the pull request is ready for review', passes: (ctx) => (ctx.verification as { pullRequestState?: string } | null)?.pullRequestState === 'ready' },
];

/** Every check's outcome, and whether all passed. */
export function evaluateDemoChecks(ctx: DemoContext, checks: readonly DemoCheck[] = DEMO_CHECKS): { ok: boolean; checks: Array<{ name: string; ok: boolean }> } {
  const results = checks.map((check) => ({ name: check.name, ok: check.passes(ctx) }));
  return { ok: results.every((result) => result.ok), checks: results };
}
