import { encodeJson } from './encode-value.js';
import type { QueryContext } from './query-context.js';
import type { Store } from './store.js';

type AuditQueries = Pick<Store, 'appendAudit' | 'listAudit'>;

/** The append-only audit log, oldest first. */
export function createAuditQueries(ctx: QueryContext): AuditQueries {
  return {
    async appendAudit(entry) {
      const row = await ctx
        .db()
        .insertInto('audit_log')
        .values({
          at: ctx.now(),
          incident_id: entry.incidentId,
          actor: entry.actor,
          action: entry.action,
          detail: encodeJson(entry.detail, 'detail'),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return ctx.decode.audit(row);
    },

    async listAudit(query = {}) {
      let select = ctx.db().selectFrom('audit_log').selectAll();
      if (query.incidentId !== undefined) select = select.where('incident_id', '=', query.incidentId);
      select = select.orderBy('seq', 'asc');
      if (query.limit !== undefined) select = select.limit(query.limit);
      const rows = await select.execute();
      return rows.map(ctx.decode.audit);
    },
  };
}
