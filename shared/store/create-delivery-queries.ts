import type { QueryContext } from './query-context.js';
import type { Store } from './store.js';

type DeliveryQueries = Pick<Store, 'recordDelivery' | 'findDelivery'>;

/** The ledger of accepted deliveries, keyed by (source, delivery id). */
export function createDeliveryQueries(ctx: QueryContext): DeliveryQueries {
  async function findDelivery(source: string, deliveryId: string) {
    const row = await ctx
      .db()
      .selectFrom('deliveries')
      .selectAll()
      .where('source', '=', source)
      .where('delivery_id', '=', deliveryId)
      .executeTakeFirst();
    return row && ctx.decode.delivery(row);
  }

  return {
    findDelivery,
    async recordDelivery({ source, deliveryId, eventId }) {
      const result = await ctx
        .db()
        .insertInto('deliveries')
        .values({ source, delivery_id: deliveryId, event_id: eventId, received_at: ctx.now() })
        .onConflict((oc) => oc.columns(['source', 'delivery_id']).doNothing())
        .executeTakeFirst();
      const delivery = await findDelivery(source, deliveryId);
      if (!delivery) throw new Error(`delivery ${source}/${deliveryId} vanished after insert`);
      return { inserted: (result.numInsertedOrUpdatedRows ?? 0n) > 0n, delivery };
    },
  };
}
