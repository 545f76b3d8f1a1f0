import type { Logger } from 'pino';
import type { CheckCompletion, CheckConclusion, CheckHandle, CheckStart } from '../forge.js';
import type { GithubClient } from './create-github-client.js';

/** GitHub's limit on a check run's output summary and text. */
export const CHECK_OUTPUT_LIMIT = 65_535;
/** GitHub's limit on a check run's output title (documented nowhere; 1000 is safe). */
const CHECK_TITLE_LIMIT = 1000;
/** GitHub's limit on a commit status description. */
const STATUS_DESCRIPTION_LIMIT = 140;

const STATUS_STATE: Record<CheckConclusion, 'success' | 'failure'> = {
  success: 'success',
  failure: 'failure',
  // A status has no neutral; success is the state that, like a neutral check, blocks nothing.
  neutral: 'success',
};

/** Caps text at `limit` characters (code points), saying at the end how much was cut. */
export function capCheckText(text: string, limit: number): string {
  const chars = Array.from(text);
  if (chars.length <= limit) return text;
  const note = (kept: number) => `\n\n… (truncated: ${kept} of ${chars.length} characters shown)`;
  // The note's own length depends on the number it states; size it with the widest number it can hold.
  const kept = limit - Array.from(note(limit)).length;
  return chars.slice(0, kept).join('') + note(kept);
}

/** Caps a one-line text (a title, a status description) with an ellipsis. */
function capLine(text: string, limit: number): string {
  const chars = Array.from(text);
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}…`;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface GithubChecks {
  start(slug: { owner: string; repo: string }, start: CheckStart): Promise<CheckHandle>;
  complete(slug: { owner: string; repo: string }, check: CheckHandle, completion: CheckCompletion): Promise<void>;
}

/**
 * The check lifecycle on GitHub: a check run created `in_progress` and later updated to `completed`, or,
 * where check runs are refused (token auth: 403), a commit status `pending` then `success`/`failure`.
 * A check run of the same name still running on the commit (a crash between start and completion) is
 * found with the list-for-ref endpoint and taken over, so a redelivery never adds a second one. A
 * completed run is never reopened (GitHub does not allow it): a new verification gets a new run.
 */
export function createGithubChecks(input: { client: GithubClient; log: Logger; appId?: number; now?: () => Date }): GithubChecks {
  const { client, log } = input;
  const now = () => (input.now ?? (() => new Date()))().toISOString().replace(/\.\d+Z$/, 'Z');
  // Token-authenticated clients cannot create check runs; after the first refusal go straight to statuses.
  let checkRunsUnavailable = false;

  const findRunning = async (owner: string, repo: string, start: CheckStart) => {
    const { data } = await client.rest.checks.listForRef({
      owner,
      repo,
      ref: start.headSha,
      check_name: start.name,
      filter: 'latest',
      per_page: 100,
      // Only our own App's runs: another App may report a check of the same name.
      ...(input.appId !== undefined ? { app_id: input.appId } : {}),
    });
    return data.check_runs.find((run) => run.head_sha === start.headSha && run.name === start.name && run.status !== 'completed');
  };

  const status = (owner: string, repo: string, check: { headSha: string; name: string }, state: 'pending' | 'success' | 'failure', title: string) =>
    client.rest.repos.createCommitStatus({ owner, repo, sha: check.headSha, state, context: check.name, description: capLine(title, STATUS_DESCRIPTION_LIMIT) });

  return {
    async start({ owner, repo }, start) {
      const base = { repository: start.repository, headSha: start.headSha, name: start.name };
      if (!checkRunsUnavailable) {
        try {
          const running = await findRunning(owner, repo, start);
          if (running) {
            log.info({ repository: start.repository, checkRunId: running.id }, 'a check run of this verification is still in progress; taking it over');
            return { ...base, kind: 'check-run', id: running.id, resumed: true, startedAt: running.started_at ?? now() };
          }
          const startedAt = now();
          const { data } = await client.rest.checks.create({
            owner,
            repo,
            name: start.name,
            head_sha: start.headSha,
            status: 'in_progress',
            started_at: startedAt,
            output: { title: capLine(start.title, CHECK_TITLE_LIMIT), summary: capCheckText(start.summary, CHECK_OUTPUT_LIMIT) },
          });
          return { ...base, kind: 'check-run', id: data.id, resumed: false, startedAt };
        } catch (error) {
          const code = statusOf(error);
          if (code !== 403 && code !== 404) throw error;
          checkRunsUnavailable = true;
          log.info({ repository: start.repository, status: code, reason: messageOf(error) }, 'check runs unavailable (token auth?); reporting commit statuses instead');
        }
      }
      const startedAt = now();
      // A status has no identity beyond its context: a repeated `pending` replaces the previous one.
      await status(owner, repo, start, 'pending', start.title);
      return { ...base, kind: 'commit-status', id: null, resumed: false, startedAt };
    },

    async complete({ owner, repo }, check, completion) {
      if (check.kind === 'commit-status') {
        await status(owner, repo, check, STATUS_STATE[completion.conclusion], completion.title);
        return;
      }
      if (check.kind !== 'check-run' || check.id === null) throw new Error(`a ${check.kind} check cannot be completed on GitHub`);
      const output: { title: string; summary: string; text?: string } = {
        title: capLine(completion.title, CHECK_TITLE_LIMIT),
        summary: capCheckText(completion.summary, CHECK_OUTPUT_LIMIT),
      };
      if (completion.text !== undefined) output.text = capCheckText(completion.text, CHECK_OUTPUT_LIMIT);
      await client.rest.checks.update({ owner, repo, check_run_id: check.id, status: 'completed', conclusion: completion.conclusion, completed_at: now(), output });
    },
  };
}
