import { encodeJson } from './encode-value.js';
import type { QueryContext } from './query-context.js';
import type { Store } from './store.js';

type ControlQueries = Pick<Store, 'getControl' | 'setControl' | 'countOpenPullRequests'>;

/** Runtime controls (one row per name) and the open-PR count the fix gates read. */
export function createControlQueries(ctx: QueryContext): ControlQueries {
  return {
    async getControl(name) {
      const row = await ctx.db().selectFrom('controls').selectAll().where('name', '=', name).executeTakeFirst();
      return row && ctx.decode.control(row);
    },

    async setControl({ name, value, updatedBy }) {
      const updatedAt = ctx.now();
      const encoded = encodeJson(value, 'value');
      await ctx
        .db()
        .insertInto('controls')
        .values({ name, value: encoded, updated_by: updatedBy, updated_at: updatedAt })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value: encoded, updated_by: updatedBy, updated_at: updatedAt }))
        .execute();
      return { name, value: value ?? null, updatedBy, updatedAt };
    },

    async countOpenPullRequests(repository) {
      const row = await ctx
        .db()
        .selectFrom('pull_requests')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('repository', '=', repository)
        .where('state', 'in', ['draft', 'ready'])
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
