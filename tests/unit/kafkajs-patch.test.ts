// patches/kafkajs+2.2.4.patch speeds up kafkajs's producer encoding: CRC32C by slicing-by-8, and an
// Encoder that neither zero-fills its buffers nor allocates one per varint. These tests pin down that
// the patch is applied and that the bytes on the wire stay exactly what Kafka expects.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';

const require = createRequire(import.meta.url);
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;
const Encoder = require('kafkajs/src/protocol/encoder') as new () => { writeVarInt(value: number): unknown; buffer: Buffer };
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (batch: object) => Promise<{ buffer: Buffer }> };
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: object) => unknown;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<{
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
  test('matches the check values of RFC 3720 (iSCSI) and the CRC catalogue', () => {
    assert.equal(crc32C(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32C(Buffer.alloc(32, 0x00)), 0x8a9136aa);
    assert.equal(crc32C(Buffer.alloc(32, 0xff)), 0x62a8ab43);
    assert.equal(crc32C(Buffer.from(Array.from({ length: 32 }, (_, i) => i))), 0x46dd794e);
    assert.equal(crc32C(Buffer.alloc(0)), 0);
  });

  test('matches the bitwise definition at every length around the 8-byte steps and at any alignment', () => {
    const bytes = randomBytes(70_000);
    for (let length = 0; length < 200; length++) {
      const slice = bytes.subarray(length % 7, (length % 7) + length);
      assert.equal(crc32C(slice), referenceCrc32C(slice), `length ${length}`);
    }
    assert.equal(crc32C(bytes.subarray(3)), referenceCrc32C(bytes.subarray(3)));
  });
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
