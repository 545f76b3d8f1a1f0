import assert from 'node:assert/strict';
import { test } from 'node:test';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RenewingMap } from '../../shared/collections/renewing-map.js';
import { promotedByScavenges } from '../helpers/promoted-by-scavenges.js';

test('RenewingMap keeps its entries across renewals', () => {
  const map = new RenewingMap<number, string>(4);
  for (let i = 0; i < 20; i++) map.set(i, `v${i}`);
  for (let i = 0; i < 15; i++) assert.equal(map.delete(i), true);
  assert.equal(map.delete(3), false, 'a key deleted before a renewal stays deleted');
  assert.equal(map.size, 5);
  assert.equal(map.get(17), 'v17');
  assert.equal(map.has(2), false);
  assert.deepEqual(
    map.entries().map(([key]) => key),
    [15, 16, 17, 18, 19],
  );
  // entries() is a snapshot: deleting while going through it visits every entry once.
  for (const [key] of map.entries()) map.delete(key);
  assert.equal(map.size, 0);
});

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Churned {
  set(key: number, value: unknown): unknown;
  delete(key: number): boolean;
}

/** Bytes promoted into the old generation by young collections while `map` holds a few short-lived entries at a time. */
async function promotedWhileChurning(map: Churned): Promise<number> {
  map.set(-1, {});
  map.delete(-1);
  // Two full collections: the map and its table are now old, as after a quiet spell in a server.
  gc();
  gc();
  const promoted = await promotedByScavenges(() => {
    for (let i = 0; i < 200_000; i++) {
      map.set(i, { payload: new Array(64).fill(i) });
      if (i >= 4) map.delete(i - 4);
    }
  });
  return promoted.reduce((sum, bytes) => sum + bytes, 0);
}

test('a busy RenewingMap lets its entries die young where a plain Map promotes them', async () => {
  // ~100 MB of entries pass through, four alive at a time: nothing should need promoting.
  // Whether a plain Map's chain starts depends on where its table is at a rehash: a few tries settle it.
  let plain = 0;
  for (let attempt = 0; attempt < 3 && plain <= 5_000_000; attempt++) plain = Math.max(plain, await promotedWhileChurning(new Map<number, unknown>()));
  const renewing = await promotedWhileChurning(new RenewingMap<number, unknown>());
  // The hazard RenewingMap exists for: each rehashed table of a plain Map is kept by its old predecessor.
  assert.ok(plain > 5_000_000, `a plain Map whose table is old promoted only ${plain} bytes; if V8 no longer does this, RenewingMap can go`);
  assert.ok(renewing < plain / 10, `RenewingMap promoted ${renewing} bytes, a plain Map ${plain}`);
});
