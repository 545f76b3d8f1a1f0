import { encodeJson, normaliseTimestamp } from './encode-value.js';
import type { QueryContext } from './query-context.js';
import type { PendingEvents, Store } from './store.js';
import { InvalidRecordError, NotFoundError } from './store-errors.js';

type AlertQueries = Pick<
  Store,
  'markHandled' | 'hasHandled' | 'findHandled' | 'findPending' | 'clearPending' | 'insertAlert' | 'assignAlert' | 'listAlerts'
>;

const HANDLED_LOOKUP_CHUNK = 500;

/** Runs `work` on `ids` in chunks: SQLite and PostgreSQL both cap the bound parameters of one statement. */
async function inChunks(ids: string[], work: (chunk: string[]) => Promise<void>): Promise<void> {
  for (let start = 0; start < ids.length; start += HANDLED_LOOKUP_CHUNK) await work(ids.slice(start, start + HANDLED_LOOKUP_CHUNK));
}

function decodePending(eventId: string, text: string): unknown[] {
  let events: unknown;
  try {
    events = JSON.parse(text);
  } catch (error) {
    throw new InvalidRecordError(`pending events of handled event ${eventId} are not JSON`, error);
  }
  if (!Array.isArray(events)) throw new InvalidRecordError(`pending events of handled event ${eventId} are not a list`);
  return events;
}

/** Alerts and the handled-event ledger: the writes an at-least-once delivery repeats. */
export function createAlertQueries(ctx: QueryContext): AlertQueries {
  return {
    async markHandled(consumer, eventId, pending) {
      // Text, not the dialect's JSON type: see migration 0005. An empty outbox is no outbox.
      const outbox = pending && pending.length > 0 ? encodeJson(pending, 'pending') : null;
      const result = await ctx
        .db()
        .insertInto('handled_events')
        .values({ consumer, event_id: eventId, handled_at: ctx.now(), pending: outbox })
        .onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },

    async hasHandled(consumer, eventId) {
      const row = await ctx
        .db()
        .selectFrom('handled_events')
        .select('event_id')
        .where('consumer', '=', consumer)
        .where('event_id', '=', eventId)
        .executeTakeFirst();
      return row !== undefined;
    },

    async findHandled(consumer, eventIds) {
      const handled: string[] = [];
      await inChunks(eventIds, async (chunk) => {
        const rows = await ctx
          .db()
          .selectFrom('handled_events')
          .select('event_id')
          .where('consumer', '=', consumer)
          .where('event_id', 'in', chunk)
          .execute();
        handled.push(...rows.map((row) => row.event_id));
      });
      return handled;
    },

    async findPending(consumer, eventIds) {
      const found: PendingEvents[] = [];
      await inChunks(eventIds, async (chunk) => {
        const rows = await ctx
          .db()
          .selectFrom('handled_events')
          .select(['event_id', 'pending'])
          .where('consumer', '=', consumer)
          .where('event_id', 'in', chunk)
          .where('pending', 'is not', null)
          .execute();
        for (const row of rows) found.push({ eventId: row.event_id, events: decodePending(row.event_id, row.pending!) });
      });
      return found;
    },

    async clearPending(consumer, eventIds) {
      await inChunks(eventIds, async (chunk) => {
        await ctx
          .db()
          .updateTable('handled_events')
          .set({ pending: null })
          .where('consumer', '=', consumer)
          .where('event_id', 'in', chunk)
          .where('pending', 'is not', null)
          .execute();
      });
    },

    async insertAlert(alert) {
      // Conflict target is (source, delivery_id) only: a reused event id with another delivery is a
      // bug and must fail loudly, not be mistaken for a repeat.
      const inserted = await ctx
        .db()
        .insertInto('alerts')
        .values({
          id: alert.id,
          source: alert.source,
          delivery_id: alert.deliveryId,
          incident_id: alert.incidentId ?? null,
          fingerprint: alert.fingerprint,
          kind: alert.kind,
          title: alert.title,
          service: alert.service,
          severity: alert.severity,
          received_at: normaliseTimestamp(alert.receivedAt, 'receivedAt'),
          payload: encodeJson(alert.payload, 'payload'),
        })
        .onConflict((oc) => oc.columns(['source', 'delivery_id']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return { inserted: true, alert: ctx.decode.alert(inserted) };
      const existing = await ctx
        .db()
        .selectFrom('alerts')
        .selectAll()
        .where('source', '=', alert.source)
        .where('delivery_id', '=', alert.deliveryId)
        .executeTakeFirstOrThrow();
      return { inserted: false, alert: ctx.decode.alert(existing) };
    },

    async assignAlert(alertId, incidentId) {
      const result = await ctx
        .db()
        .updateTable('alerts')
        .set({ incident_id: incidentId })
        .where('id', '=', alertId)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new NotFoundError('alert', alertId);
    },

    async listAlerts(query = {}) {
      let select = ctx.db().selectFrom('alerts').selectAll();
      if (query.incidentId !== undefined) select = select.where('incident_id', '=', query.incidentId);
      if (query.since !== undefined) select = select.where('received_at', '>=', normaliseTimestamp(query.since, 'since'));
      select = select.orderBy('received_at', 'asc').orderBy('id', 'asc');
      if (query.limit !== undefined) select = select.limit(query.limit);
      const rows = await select.execute();
      return rows.map(ctx.decode.alert);
    },
  };
}
