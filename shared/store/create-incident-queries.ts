import type { Updateable } from 'kysely';
import { encodeJson, normaliseTimestamp } from './encode-value.js';
import type { QueryContext } from './query-context.js';
import type { IncidentsTable } from './schema.js';
import type { IncidentPatch, Store } from './store.js';
import { NotFoundError } from './store-errors.js';

type IncidentQueries = Pick<
  Store,
  | 'createIncident'
  | 'getIncident'
  | 'findOpenIncidentByKey'
  | 'updateIncident'
  | 'incrementAlertCount'
  | 'addIncidentKeys'
  | 'findIncidentsByKeys'
  | 'listIncidents'
  | 'countIncidentsByStatus'
  | 'resolveQuietIncidents'
>;

function toColumns(patch: IncidentPatch): Updateable<IncidentsTable> {
  const set: Updateable<IncidentsTable> = {};
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.title !== undefined) set.title = patch.title;
  if (patch.severity !== undefined) set.severity = patch.severity;
  if (patch.services !== undefined) set.services = encodeJson(patch.services, 'services');
  if (patch.sources !== undefined) set.sources = encodeJson(patch.sources, 'sources');
  if (patch.alertCount !== undefined) set.alert_count = patch.alertCount;
  if (patch.triageReport !== undefined) set.triage_report = encodeJson(patch.triageReport, 'triageReport');
  if (patch.decision !== undefined) set.decision = encodeJson(patch.decision, 'decision');
  if (patch.resolvedAt !== undefined) {
    set.resolved_at = patch.resolvedAt === null ? null : normaliseTimestamp(patch.resolvedAt, 'resolvedAt');
  }
  return set;
}

/** Incident reads and writes. */
export function createIncidentQueries(ctx: QueryContext): IncidentQueries {
  return {
    async createIncident(incident) {
      const now = ctx.now();
      const row = await ctx
        .db()
        .insertInto('incidents')
        .values({
          id: incident.id,
          key: incident.key,
          status: incident.status ?? 'open',
          title: incident.title,
          severity: incident.severity,
          services: encodeJson(incident.services ?? [], 'services'),
          sources: encodeJson(incident.sources ?? [], 'sources'),
          alert_count: 0,
          triage_report: null,
          decision: null,
          reopened_from: incident.reopenedFrom ?? null,
          created_at: now,
          updated_at: now,
          resolved_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return ctx.decode.incident(row);
    },

    async getIncident(id) {
      const row = await ctx.db().selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
      return row && ctx.decode.incident(row);
    },

    async findOpenIncidentByKey(key) {
      const row = await ctx
        .db()
        .selectFrom('incidents')
        .selectAll()
        .where('key', '=', key)
        .where('status', 'not in', ['resolved', 'ignored'])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && ctx.decode.incident(row);
    },

    async updateIncident(id, patch) {
      const row = await ctx
        .db()
        .updateTable('incidents')
        .set({ ...toColumns(patch), updated_at: ctx.now() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new NotFoundError('incident', id);
      return ctx.decode.incident(row);
    },

    async incrementAlertCount(id, by) {
      const row = await ctx
        .db()
        .updateTable('incidents')
        .set((eb) => ({ alert_count: eb('alert_count', '+', by), updated_at: ctx.now() }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new NotFoundError('incident', id);
      return ctx.decode.incident(row);
    },

    async addIncidentKeys(incidentId, keys) {
      const unique = [...new Set(keys)];
      if (unique.length === 0) return;
      const now = ctx.now();
      await ctx
        .db()
        .insertInto('incident_keys')
        .values(unique.map((key) => ({ key, incident_id: incidentId, added_at: now })))
        .onConflict((oc) => oc.columns(['key', 'incident_id']).doNothing())
        .execute();
    },

    async findIncidentsByKeys(keys, query = {}) {
      if (keys.length === 0 || query.status?.length === 0) return [];
      let select = ctx
        .db()
        .selectFrom('incidents')
        .selectAll()
        .where('id', 'in', (eb) => eb.selectFrom('incident_keys').select('incident_id').where('key', 'in', [...new Set(keys)]));
      if (query.status) select = select.where('status', 'in', query.status);
      select = select.orderBy('updated_at', 'desc').orderBy('id', 'desc');
      if (query.limit !== undefined) select = select.limit(query.limit);
      const rows = await select.execute();
      return rows.map(ctx.decode.incident);
    },

    async countIncidentsByStatus() {
      const rows = await ctx
        .db()
        .selectFrom('incidents')
        .select((eb) => ['status', eb.fn.countAll<number | string>().as('count')])
        .groupBy('status')
        .execute();
      // PostgreSQL returns count(*) as a string (bigint).
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
    },

    async resolveQuietIncidents({ quietSince, limit = 100 }) {
      const cutoff = normaliseTimestamp(quietSince, 'quietSince');
      const now = ctx.now();
      // The status test sits on the UPDATE itself: a concurrent sweep that resolved the row first
      // makes PostgreSQL's re-check (and SQLite's single writer) skip it here.
      const rows = await ctx
        .db()
        .updateTable('incidents')
        .set({ status: 'resolved', resolved_at: now, updated_at: now })
        .where('status', '=', 'recovering')
        .where('updated_at', '<', cutoff)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('alerts').select('alerts.id').whereRef('alerts.incident_id', '=', 'incidents.id').where('alerts.received_at', '>=', cutoff))),
        )
        .where('id', 'in', (eb) =>
          eb.selectFrom('incidents as candidate').select('candidate.id').where('candidate.status', '=', 'recovering').where('candidate.updated_at', '<', cutoff).orderBy('candidate.updated_at').limit(limit),
        )
        .returningAll()
        .execute();
      return rows.map(ctx.decode.incident);
    },

    async listIncidents(query = {}) {
      // `in ()` is a syntax error, and no status can match an empty list anyway.
      if (query.status?.length === 0) return [];
      let select = ctx.db().selectFrom('incidents').selectAll();
      if (query.status) select = select.where('status', 'in', query.status);
      if (query.updatedSince !== undefined) select = select.where('updated_at', '>=', normaliseTimestamp(query.updatedSince, 'updatedSince'));
      select = select.orderBy('updated_at', 'desc').orderBy('created_at', 'desc').orderBy('id', 'desc');
      // SQLite rejects OFFSET without LIMIT.
      if (query.limit !== undefined || query.offset !== undefined) select = select.limit(query.limit ?? Number.MAX_SAFE_INTEGER);
      if (query.offset !== undefined) select = select.offset(query.offset);
      const rows = await select.execute();
      return rows.map(ctx.decode.incident);
    },
  };
}
