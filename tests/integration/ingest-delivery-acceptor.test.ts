import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { createEmbeddedBus } from '../../shared/bus/embedded/create-embedded-bus.js';
import { encodeEvent, type EncodedEvent } from '../../shared/events/encode-event.js';
import type { NightshiftEvent } from '../../shared/events/registry.js';
import { createSqliteStore } from '../../shared/store/index.js';
import { createDeliveryAcceptor } from '../../services/ingest/create-delivery-acceptor.js';
import { deliveryEventId } from '../../services/ingest/delivery-event-id.js';
import { makeAlertEvent } from '../helpers/events.js';
import { tempDir, waitFor } from '../helpers/wait.js';

async function openParts(t: import('node:test').TestContext) {
  const dir = await tempDir('nightshift-acceptor-');
  const log = pino({ level: 'silent' });
  const bus = createEmbeddedBus({ file: join(dir.path, 'bus.sqlite'), log, pollIntervalMs: 20 });
  const store = await createSqliteStore({ file: join(dir.path, 'state.sqlite'), clock: () => new Date() });
  t.after(async () => {
    await bus.close();
    await store.close();
    await dir.cleanup();
  });
  const seen: NightshiftEvent[] = [];
  await bus.subscribe({ group: 'acceptor-test', topics: ['alerts'], handler: async (event) => void seen.push(event) });
  return { bus, store, seen };
}

function alertFor(deliveryId: string, n: number): EncodedEvent {
  return encodeEvent({ ...makeAlertEvent(n, 'fp-1'), id: deliveryEventId('sentry', deliveryId) });
}

test('concurrent deliveries are each published and recorded; every one is answered 202 with its own event', async (t) => {
  const { bus, store, seen } = await openParts(t);
  const accept = createDeliveryAcceptor({ bus, store });
  const ids = Array.from({ length: 40 }, (_, n) => `req-${n}`);
  const answers = await Promise.all(ids.map((id, n) => accept('sentry', { deliveryId: id, event: alertFor(id, n) })));
  answers.forEach((answer, n) => assert.deepEqual(answer, { status: 202, body: { eventId: deliveryEventId('sentry', ids[n]!), duplicate: false } }));
  for (const id of ids) assert.equal((await store.findDelivery('sentry', id))?.eventId, deliveryEventId('sentry', id));
  await waitFor(() => seen.length === ids.length, { what: 'every event on the bus' });
});

test('two processes racing with one delivery: both answer 2xx with the first event id, and the ledger holds one', async (t) => {
  const { bus, store } = await openParts(t);
  // Two acceptors share the bus and store but not their in-flight state, as two ingest processes would.
  const [one, two] = [createDeliveryAcceptor({ bus, store }), createDeliveryAcceptor({ bus, store })];
  const event = alertFor('raced', 1);
  const answers = await Promise.all([one('sentry', { deliveryId: 'raced', event }), two('sentry', { deliveryId: 'raced', event })]);
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 202]);
  for (const answer of answers) assert.equal(answer.body.eventId, event.id);
  assert.equal(answers.find((a) => a.status === 200)?.body.duplicate, true);
  assert.equal((await store.findDelivery('sentry', 'raced'))?.eventId, event.id);
});

test('a delivery with nothing to publish is 202 without a ledger row', async (t) => {
  const { bus, store } = await openParts(t);
  const answer = await createDeliveryAcceptor({ bus, store })('sentry', { deliveryId: 'install-1', event: null });
  assert.deepEqual(answer, { status: 202, body: { eventId: null, duplicate: false } });
  assert.equal(await store.findDelivery('sentry', 'install-1'), undefined);
});
