// What a delivery makes on ingest's publish path must die young: promoted objects fill the HTTP
// thread's old generation, whose full collections then pause requests (bench/ingest, p99 at 1,000/s).
// Each step below runs over and over, one delivery at a time, with the server's GC settings, and
// the test reads what young collections promoted per delivery. In Node 20's V8, every object
// literal that opens with a spread and then adds properties is promoted (the literal, ~100 bytes,
// not what it references); with such literals on the path these steps promoted 145 (receive), 431
// (produce) and 147 (ledger) bytes per delivery, and bench/ingest's HTTP thread ~150 KB per young
// collection at 1,000/s.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSentryDeliveries } from '../../bench/ingest-sentry-deliveries.js';
import { preferYoungCollections } from '../../services/cli/prefer-young-collections.js';
import { receiveEncoded } from '../../services/ingest/receive-encoded.js';
import { createSentryWebhookReceiver } from '../../services/ingest/sentry/create-sentry-webhook-receiver.js';
import type { EncodedEvent } from '../../shared/events/encode-event.js';
import { createSqliteStore, type Store } from '../../shared/store/index.js';
import { promotedByScavenges } from '../helpers/promoted-by-scavenges.js';
import { tempDir } from '../helpers/wait.js';

const require = createRequire(import.meta.url);
const produce = require('kafkajs/src/protocol/requests/produce') as { protocol: (v: { version: number }) => (args: object) => { request: object } };
const createRequest = require('kafkajs/src/protocol/request') as (args: { request: object; correlationId: number; clientId: string }) => Promise<unknown>;

const clientSecret = 'young-objects-secret';
const nextDelivery = createSentryDeliveries(clientSecret);
const receiver = createSentryWebhookReceiver({ clientSecret, toleranceSeconds: 300 });

async function receiveOne(): Promise<{ deliveryId: string; event: EncodedEvent }> {
  const signed = nextDelivery();
  const verdict = await receiveEncoded(receiver, { headers: signed.headers, body: signed.body, query: {}, params: {} }, new Date());
  if (!verdict.ok || !verdict.event) throw new Error(`the delivery was not accepted: ${JSON.stringify(verdict)}`);
  return { deliveryId: verdict.deliveryId, event: verdict.event };
}

let sequence = 0;
/** The event's Kafka produce request as kafkajs's producer encodes it (v7, idempotent). */
function encodeProduceRequest(event: EncodedEvent): Promise<unknown> {
  sequence += 1;
  const messages = [{ key: event.key, value: Buffer.from(event.json), headers: { 'event-id': event.id } }];
  const { request } = produce.protocol({ version: 7 })({
    acks: -1,
    timeout: 30_000,
    producerId: 1,
    producerEpoch: 0,
    topicData: [{ topic: 'alerts', partitions: [{ partition: 0, firstSequence: sequence, messages }] }],
  });
  return createRequest({ request, correlationId: sequence, clientId: 'young-objects' });
}

/**
 * Bytes a young collection promoted per run of `step`, in the median collection: a steady leak shows
 * in every one, while a one-off (code the JIT finished optimising, a SQLite page cache filling)
 * lands in a few and is not the delivery's.
 */
async function promotedPerRun(step: () => Promise<unknown>, runs: number): Promise<number> {
  for (let i = 0; i < 2_000; i++) await step(); // warm: optimised code, settled inline caches
  let filler: unknown[] = [];
  const promoted = await promotedByScavenges(async () => {
    for (let i = 0; i < runs; i++) {
      await step();
      // 64 KiB that dies at once: young collections come every few hundred runs, as at 1,000/s in a
      // server, whatever the young generation grew to earlier in this process.
      filler = new Array(8192);
    }
  });
  assert.ok(filler.length > 0);
  assert.ok(promoted.length >= 10, `only ${promoted.length} young collections: the run measured nothing`);
  const median = promoted.sort((a, b) => a - b)[Math.floor(promoted.length / 2)]!;
  return median / (runs / promoted.length);
}

describe('objects a delivery makes on the publish path die young', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: Store;
  let encoded: { deliveryId: string; event: EncodedEvent };
  before(async () => {
    preferYoungCollections(); // as `nightshift start` does
    dir = await tempDir('nightshift-young-objects-');
    store = await createSqliteStore({ file: join(dir.path, 'store.db'), clock: () => new Date() });
    encoded = await receiveOne();
  });
  after(async () => {
    await store.close();
    await dir.cleanup();
  });

  test('the measure sees promotion: a literal opening with a spread and adding a property is promoted', async () => {
    const base = { source: 'sentry', channel: 'webhook' };
    const bytes = await promotedPerRun(async () => ({ ...base, frames: Array.from({ length: 32 }, (_, line) => ({ line })) }), 20_000);
    assert.ok(bytes >= 50, `only ${bytes.toFixed(1)} bytes per literal promoted`);
  });

  const steps: [string, () => Promise<unknown>, number][] = [
    ['receive (a signed Sentry webhook to its encoded event)', receiveOne, 20_000],
    ['produce (its Kafka produce request, encoded by kafkajs)', () => encodeProduceRequest(encoded.event), 20_000],
    ['ledger (recorded in the SQLite delivery ledger)', () => store.recordDelivery({ source: 'sentry', deliveryId: `${encoded.deliveryId}-${(sequence += 1)}`, eventId: encoded.event.id }), 5_000],
  ];
  for (const [name, step, runs] of steps) {
    test(`${name}: under 25 bytes promoted per delivery`, async () => {
      const bytes = await promotedPerRun(step, runs);
      assert.ok(bytes < 25, `${bytes.toFixed(1)} bytes per delivery promoted`);
    });
  }
});
