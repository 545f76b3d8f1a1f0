import type { Updateable } from 'kysely';
import { encodeJson, normaliseTimestamp } from './encode-value.js';
import type { QueryContext } from './query-context.js';
import type { FixAttemptsTable } from './schema.js';
import type { FixAttemptPatch, Store } from './store.js';
import { NotFoundError } from './store-errors.js';

type FixQueries = Pick<
  Store,
  | 'createFixAttempt'
  | 'updateFixAttempt'
  | 'listFixAttempts'
  | 'linkPullRequest'
  | 'updatePullRequestState'
  | 'listPullRequests'
  | 'findPullRequestLink'
  | 'replacePullRequest'
  | 'recordVerification'
  | 'listVerifications'
>;

function toColumns(patch: FixAttemptPatch): Updateable<FixAttemptsTable> {
  const set: Updateable<FixAttemptsTable> = {};
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.repository !== undefined) set.repository = patch.repository;
  if (patch.branch !== undefined) set.branch = patch.branch;
  if (patch.candidate !== undefined) set.candidate = encodeJson(patch.candidate, 'candidate');
  if (patch.usage !== undefined) set.usage = encodeJson(patch.usage, 'usage');
  if (patch.error !== undefined) set.error = patch.error;
  return set;
}

/** Fix attempts and what follows from them: pull requests and verification runs. */
export function createFixQueries(ctx: QueryContext): FixQueries {
  return {
    async createFixAttempt(attempt) {
      const now = ctx.now();
      const row = await ctx
        .db()
        .insertInto('fix_attempts')
        .values({
          id: attempt.id,
          incident_id: attempt.incidentId,
          strategy: attempt.strategy,
          status: attempt.status ?? 'pending',
          repository: attempt.repository ?? null,
          branch: attempt.branch ?? null,
          candidate: null,
          usage: null,
          error: null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return ctx.decode.fixAttempt(row);
    },

    async updateFixAttempt(id, patch) {
      const row = await ctx
        .db()
        .updateTable('fix_attempts')
        .set({ ...toColumns(patch), updated_at: ctx.now() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new NotFoundError('fix attempt', id);
      return ctx.decode.fixAttempt(row);
    },

    async listFixAttempts(incidentId) {
      const rows = await ctx
        .db()
        .selectFrom('fix_attempts')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map(ctx.decode.fixAttempt);
    },

    async linkPullRequest(link) {
      const now = ctx.now();
      const inserted = await ctx
        .db()
        .insertInto('pull_requests')
        .values({
          incident_id: link.incidentId,
          attempt_id: link.attemptId,
          repository: link.repository,
          number: link.number,
          url: link.url,
          state: link.state ?? 'draft',
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(['incident_id', 'repository']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return { inserted: true, link: ctx.decode.pullRequest(inserted) };
      const existing = await ctx
        .db()
        .selectFrom('pull_requests')
        .selectAll()
        .where('incident_id', '=', link.incidentId)
        .where('repository', '=', link.repository)
        .executeTakeFirstOrThrow();
      return { inserted: false, link: ctx.decode.pullRequest(existing) };
    },

    async updatePullRequestState(repository, number, state) {
      // Forge webhooks also report pull requests Nightshift did not open; those match no row.
      await ctx
        .db()
        .updateTable('pull_requests')
        .set({ state, updated_at: ctx.now() })
        .where('repository', '=', repository)
        .where('number', '=', number)
        .execute();
    },

    async findPullRequestLink(repository, number) {
      const row = await ctx.db().selectFrom('pull_requests').selectAll().where('repository', '=', repository).where('number', '=', number).executeTakeFirst();
      return row ? ctx.decode.pullRequest(row) : undefined;
    },

    async replacePullRequest(link) {
      const row = await ctx
        .db()
        .updateTable('pull_requests')
        .set({ attempt_id: link.attemptId, number: link.number, url: link.url, state: link.state ?? 'draft', updated_at: ctx.now() })
        .where('incident_id', '=', link.incidentId)
        .where('repository', '=', link.repository)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new NotFoundError('pull request link', `${link.incidentId}/${link.repository}`);
      return ctx.decode.pullRequest(row);
    },

    async listPullRequests(incidentId) {
      const rows = await ctx
        .db()
        .selectFrom('pull_requests')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .orderBy('created_at', 'asc')
        .orderBy('repository', 'asc')
        .execute();
      return rows.map(ctx.decode.pullRequest);
    },

    async recordVerification(run) {
      // A replace keeps the original started_at: the run started once, however often it reports.
      const row = await ctx
        .db()
        .insertInto('verification_runs')
        .values({
          id: run.id,
          incident_id: run.incidentId,
          attempt_id: run.attemptId,
          verdict: run.verdict,
          report: encodeJson(run.report, 'report'),
          started_at: ctx.now(),
          finished_at: run.finishedAt == null ? null : normaliseTimestamp(run.finishedAt, 'finishedAt'),
        })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            incident_id: eb.ref('excluded.incident_id'),
            attempt_id: eb.ref('excluded.attempt_id'),
            verdict: eb.ref('excluded.verdict'),
            report: eb.ref('excluded.report'),
            finished_at: eb.ref('excluded.finished_at'),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return ctx.decode.verification(row);
    },

    async listVerifications(incidentId) {
      const rows = await ctx
        .db()
        .selectFrom('verification_runs')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .orderBy('started_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map(ctx.decode.verification);
    },
  };
}
