// patches/kafkajs+2.2.4.patch speeds up kafkajs's producer encoding: CRC32C through the CPU's
// instruction (@node-rs/crc32) or else by slicing-by-8, an Encoder that neither zero-fills its buffers
// nor allocates one per varint, and produce requests whose encoders are each allocated once at their
// final size. These tests pin down that the patch is applied and that the bytes on the wire stay
// exactly what Kafka expects. (The patch also keeps produce encoding's objects young:
// tests/integration/young-objects.test.ts.)
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';

const require = createRequire(import.meta.url);
type Crc32C = (buffer: Buffer) => number;
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as Crc32C;
// The JavaScript tables: what kafkajs falls back to where @node-rs/crc32 has no build for the platform.
const crc32CTables = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C') as Crc32C;
const Encoder = require('kafkajs/src/protocol/encoder') as new () => { writeVarInt(value: number): unknown; buffer: Buffer };
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (batch: object) => Promise<{ buffer: Buffer }> };
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: object) => unknown;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<{
  producerId: string;
  firstSequence: number;
  records: { key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer>; offset: string }[];
}>;

/** CRC32C one bit at a time, straight from the definition (reflected Castagnoli polynomial). */
function referenceCrc32C(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('kafkajs CRC32C', () => {
  test('is the CPU instruction through @node-rs/crc32, which is installed', () => {
    const loaded = Object.keys(require.cache).filter((path) => path.includes('@node-rs/crc32'));
    assert.ok(loaded.length > 0, 'kafkajs fell back to its JavaScript tables');
  });

  for (const [name, crc] of [['native', crc32C], ['JavaScript tables', crc32CTables]] as const) {
    test(`${name}: matches the check values of RFC 3720 (iSCSI) and the CRC catalogue`, () => {
      assert.equal(crc(Buffer.from('123456789')) >>> 0, 0xe3069283);
      assert.equal(crc(Buffer.alloc(32, 0x00)) >>> 0, 0x8a9136aa);
      assert.equal(crc(Buffer.alloc(32, 0xff)) >>> 0, 0x62a8ab43);
      assert.equal(crc(Buffer.from(Array.from({ length: 32 }, (_, i) => i))) >>> 0, 0x46dd794e);
      assert.equal(crc(Buffer.alloc(0)) >>> 0, 0);
    });

    test(`${name}: matches the bitwise definition at every length around the 8-byte steps and at any alignment`, () => {
      const bytes = randomBytes(70_000);
      for (let length = 0; length < 200; length++) {
        const slice = bytes.subarray(length % 7, (length % 7) + length);
        assert.equal(crc(slice) >>> 0, referenceCrc32C(slice), `length ${length}`);
      }
      assert.equal(crc(bytes.subarray(3)) >>> 0, referenceCrc32C(bytes.subarray(3)));
    });
  }
});

/** Runs `encode` with every unfilled buffer kafkajs allocates pre-filled with `fill`. */
async function encodedWithGarbage(fill: number, encode: () => Promise<Buffer>): Promise<Buffer> {
  const allocUnsafe = Buffer.allocUnsafe;
  Buffer.allocUnsafe = (size: number) => Buffer.alloc(size, fill);
  try {
    return Buffer.from(await encode());
  } finally {
    Buffer.allocUnsafe = allocUnsafe;
  }
}

describe('kafkajs record batch encoding', () => {
  // Value sizes whose varint lengths take 1 to 3 bytes and cross the 4 KiB pool and encoder doublings.
  const values = [0, 1, 127, 128, 4095, 4096, 16_383, 16_384, 70_000].map((size) => randomBytes(size));
  const messages = values.map((value, n) => ({
    key: n % 3 === 0 ? null : Buffer.from(`key-${n}`),
    value,
    headers: { 'event-type': 'alert.received.v1', 'event-id': `evt-${n}-ü` },
  }));
  const encodeBatch = async () => {
    const records = messages.map((message, offsetDelta) => encodeRecord({ ...message, offsetDelta, timestampDelta: offsetDelta * 300 }));
    const batch = await RecordBatch({ records, firstTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_002_400, lastOffsetDelta: records.length - 1 });
    return batch.buffer;
  };

  test('writes every byte it sends: the batch is the same whatever the memory held before', async () => {
    const zeros = await encodedWithGarbage(0x00, encodeBatch);
    const ones = await encodedWithGarbage(0xff, encodeBatch);
    assert.equal(zeros.length, ones.length);
    assert.ok(zeros.equals(ones), 'an unwritten byte would differ between the two');
  });

  test('decodes back to the same records, under a CRC that covers them', async () => {
    const encoded = await encodeBatch();
    // FirstOffset (8), Length (4), PartitionLeaderEpoch (4), Magic (1), CRC (4), then the checked body.
    assert.equal(encoded.readUInt32BE(17), referenceCrc32C(encoded.subarray(21)));
    const decoded = await decodeRecordBatch(new Decoder(encoded));
    assert.equal(decoded.records.length, messages.length);
    decoded.records.forEach((record, n) => {
      assert.deepEqual(record.key, messages[n]!.key, `key ${n}`);
      assert.ok(record.value?.equals(messages[n]!.value), `value ${n}`);
      assert.equal(record.headers['event-id']?.toString(), messages[n]!.headers['event-id']);
      assert.equal(record.offset, String(n));
    });
  });

  test('writes varints in place, from 1 to 5 bytes, without a buffer each', () => {
    const from = Buffer.from;
    let allocations = 0;
    Buffer.from = ((...args: Parameters<typeof Buffer.from>) => {
      allocations++;
      return from(...(args as [string]));
    }) as typeof Buffer.from;
    const encoder = new Encoder();
    try {
      for (const value of [0, -1, 63, -64, 64, 8191, 8192, 1_048_575, 1_048_576, 2 ** 31 - 1, -(2 ** 31)]) encoder.writeVarInt(value);
    } finally {
      Buffer.from = from;
    }
    assert.equal(allocations, 0);
    // Zig-zag then LEB128: 0 → 00, -1 → 01, 63 → 7e, -64 → 7f, 64 → 80 01, 8191 → fe 7f, 8192 → 80 80 01, …
    assert.equal(
      encoder.buffer.toString('hex'),
      ['00', '01', '7e', '7f', '8001', 'fe7f', '808001', 'feff7f', '80808001', 'feffffff0f', 'ffffffff0f'].join(''),
    );
  });
});

describe('kafkajs produce request encoding', () => {
  type Encoded = { buffer: Buffer; buf: Buffer; size(): number };
  const produceRequest = require('kafkajs/src/protocol/requests/produce/v3/request') as (request: object) => { encode(): Promise<Encoded> };
  const encodeRequest = require('kafkajs/src/protocol/request') as (request: object) => Promise<Encoded>;
  const Long = require('kafkajs/src/utils/long') as { fromInt(value: number): unknown };
  type DecoderLike = { readInt16(): number; readInt32(): number; readString(): string | null; slice(size: number): DecoderLike; forward(size: number): void; buffer: Buffer };
  const decoderOf = (buffer: Buffer) => new Decoder(buffer) as DecoderLike;

  // Two topics of three partitions, records from empty to past the 4 KiB pool and 16 KiB, as a batch of the bus's.
  const sizes = [0, 3_042, 13_069, 4_175, 12_622, 70_000];
  const topicData = ['nightshift.alert.received.v1', 'nightshift.forge.event.v1'].map((topic, t) => ({
    topic,
    partitions: [0, 1, 2].map((partition) => ({
      partition,
      firstSequence: 10 * partition + t,
      messages: sizes.map((size, n) => ({
        key: `key-${t}-${partition}-${n}`,
        value: randomBytes(size),
        headers: { 'event-type': 'alert.received.v1', 'event-id': `evt-${n}-ü` },
      })),
    })),
  }));
  const encode = () =>
    encodeRequest({
      correlationId: 42,
      clientId: 'nightshift-ü',
      request: produceRequest({ acks: -1, timeout: 30_000, producerId: Long.fromInt(7), producerEpoch: 3, topicData }),
    });

  test('is one buffer of exactly its size: size, header and payload, with nothing copied to grow', async () => {
    const encoded = await encode();
    assert.equal(encoded.buf.length, encoded.size(), 'allocated at its final size');
    assert.equal(encoded.buffer.readInt32BE(0), encoded.size() - 4, 'the size prefix counts what follows it');
  });

  test('grows no encoder on the way: records, batches, partitions, topics and the request are each sized up front', async () => {
    const prototype = (Encoder as unknown as { prototype: { ensureAvailable(this: { offset: number; buf: Buffer }, length: number): void } }).prototype;
    const ensureAvailable = prototype.ensureAvailable;
    let grown = 0;
    prototype.ensureAvailable = function (length) {
      if (this.offset + length > this.buf.length) grown++;
      ensureAvailable.call(this, length);
    };
    try {
      await encode();
    } finally {
      prototype.ensureAvailable = ensureAvailable;
    }
    assert.equal(grown, 0, 'an encoder outgrew its buffer and was copied into a larger one');
  });

  test('decodes back to every topic, partition and record, each batch under a CRC that covers it', async () => {
    const decoder = decoderOf((await encode()).buffer);
    decoder.readInt32();
    assert.deepEqual([decoder.readInt16(), decoder.readInt16(), decoder.readInt32(), decoder.readString()], [0, 3, 42, 'nightshift-ü']);
    assert.deepEqual([decoder.readString(), decoder.readInt16(), decoder.readInt32()], [null, -1, 30_000], 'transactional id, acks, timeout');
    assert.equal(decoder.readInt32(), topicData.length);
    for (const { topic, partitions } of topicData) {
      assert.equal(decoder.readString(), topic);
      assert.equal(decoder.readInt32(), partitions.length);
      for (const { partition, firstSequence, messages } of partitions) {
        assert.equal(decoder.readInt32(), partition);
        const size = decoder.readInt32();
        const batchBytes = decoder.slice(size).buffer;
        assert.equal(batchBytes.readUInt32BE(17), referenceCrc32C(batchBytes.subarray(21)), `${topic} ${partition}: CRC`);
        const batch = await decodeRecordBatch(decoder.slice(size));
        decoder.forward(size);
        assert.deepEqual([batch.producerId, batch.firstSequence], ['7', firstSequence]);
        assert.equal(batch.records.length, messages.length);
        batch.records.forEach((record, n) => {
          assert.equal(record.key?.toString(), messages[n]!.key);
          assert.ok(record.value?.equals(messages[n]!.value), `${topic} ${partition}: value ${n}`);
          assert.equal(record.headers['event-id']?.toString(), messages[n]!.headers['event-id']);
        });
      }
    }
  });

  test('writes every byte it sends, whatever the memory held before', async () => {
    // Timestamps are taken from the clock, so it stands still for both encodings.
    const now = Date.now;
    Date.now = () => 1_700_000_000_000;
    try {
      const zeros = await encodedWithGarbage(0x00, async () => (await encode()).buffer);
      const ones = await encodedWithGarbage(0xff, async () => (await encode()).buffer);
      assert.ok(zeros.equals(ones), 'an unwritten byte would differ between the two');
    } finally {
      Date.now = now;
    }
  });
});

describe('RequestQueue in-flight map', () => {
  const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
    inflight: Map<number, { completed(response: object): void }>;
    fulfillRequest(response: { correlationId: number; payload: Buffer | null; size: number }): void;
    destroy(): void;
  };
  const logger = { debug() {}, info() {}, warn() {}, error() {} };

  test('is replaced by a fresh Map every 256 responses, keeping what is still in flight', (t) => {
    const queue = new RequestQueue({ logger, clientId: 'test', broker: 'test:9092' });
    t.after(() => queue.destroy());
    const completed: number[] = [];
    for (let id = 0; id < 300; id++) queue.inflight.set(id, { completed: () => completed.push(id) });
    const first = queue.inflight;
    for (let id = 0; id < 255; id++) queue.fulfillRequest({ correlationId: id, payload: null, size: 0 });
    assert.equal(queue.inflight, first, 'the same Map before the 256th response');
    queue.fulfillRequest({ correlationId: 255, payload: null, size: 0 });
    assert.notEqual(queue.inflight, first, 'a fresh Map after it (see the patch: old tables keep their successors alive)');
    assert.deepEqual([...queue.inflight.keys()], Array.from({ length: 44 }, (_, n) => 256 + n));
    queue.fulfillRequest({ correlationId: 299, payload: null, size: 0 });
    assert.equal(completed.length, 257);
  });
});
