import type { z } from 'zod';
import { checkRunEvent, checkSuiteEvent, workflowRunEvent, type GithubEnvelope, type githubRepository } from './github-payload-schemas.js';
import { forgeKey, readForgeCommon, type ForgeReading } from './read-forge-common.js';

export type CheckEventName = 'check_suite' | 'check_run' | 'workflow_run';

interface CheckFields {
  id: number;
  head_sha: string;
  status: string;
  conclusion?: string | null | undefined;
  pull_requests?: { number: number }[] | null | undefined;
}

type CheckRead =
  | { ok: true; envelope: GithubEnvelope & { repository: z.infer<typeof githubRepository> }; check: ReturnType<typeof toCheck> }
  | { ok: false; error: z.ZodError };

function toCheck(check: CheckFields, name: string | null | undefined) {
  return {
    id: check.id,
    ...(name ? { name } : {}),
    headSha: check.head_sha,
    status: check.status,
    conclusion: check.conclusion ?? null,
    pullRequests: (check.pull_requests ?? []).map((pr) => pr.number),
  };
}

function readCheck(event: CheckEventName, body: unknown): CheckRead {
  switch (event) {
    case 'check_suite': {
      const parsed = checkSuiteEvent.safeParse(body);
      if (!parsed.success) return { ok: false, error: parsed.error };
      // A suite has no name of its own; the app that runs it names it in GitHub's UI.
      return { ok: true, envelope: parsed.data, check: toCheck(parsed.data.check_suite, parsed.data.check_suite.app?.name) };
    }
    case 'check_run': {
      const parsed = checkRunEvent.safeParse(body);
      if (!parsed.success) return { ok: false, error: parsed.error };
      return { ok: true, envelope: parsed.data, check: toCheck(parsed.data.check_run, parsed.data.check_run.name) };
    }
    case 'workflow_run': {
      const parsed = workflowRunEvent.safeParse(body);
      if (!parsed.success) return { ok: false, error: parsed.error };
      const run = parsed.data.workflow_run;
      return { ok: true, envelope: parsed.data, check: toCheck(run, run.name || parsed.data.workflow?.name) };
    }
  }
}

/**
 * A check suite, check run or workflow run delivery: an event once it has `completed` (the verifier
 * waits on results, not progress), null for `requested`, `created`, `in_progress` and the like.
 * Keyed by its first pull request, so it stays in order with that pull request's own events.
 */
export function readCheckEvent(event: CheckEventName, body: unknown, action: string | undefined, deliveryId: string): ForgeReading {
  if (action !== 'completed') return { ok: true, event: null };
  const read = readCheck(event, body);
  if (!read.ok) return read;
  return {
    ok: true,
    event: {
      key: forgeKey(read.envelope.repository, read.check.pullRequests[0]),
      payload: { ...readForgeCommon(read.envelope, deliveryId), kind: event, check: read.check },
    },
  };
}
