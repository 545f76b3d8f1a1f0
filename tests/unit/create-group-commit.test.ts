import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGroupCommit } from '../../shared/batching/create-group-commit.js';

/** A commit function that records its batches and can be held open until released. */
function recordingCommit() {
  const batches: number[][] = [];
  let running = 0;
  let maxRunning = 0;
  let release: (() => void) | undefined;
  let hold = false;
  const commit = async (items: number[]) => {
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    batches.push(items);
    if (hold) await new Promise<void>((resolve) => (release = resolve));
    running -= 1;
    if (items.includes(-1)) throw new Error('disk full');
    return items.map((item) => item * 10);
  };
  return {
    commit,
    batches,
    maxRunning: () => maxRunning,
    hold: () => (hold = true),
    release: () => {
      hold = false;
      release?.();
    },
  };
}

test('items submitted in one turn are committed together, and each resolves with its own result', async () => {
  const rec = recordingCommit();
  const submit = createGroupCommit(rec.commit);
  const results = await Promise.all([1, 2, 3, 4].map(submit));
  assert.deepEqual(results, [10, 20, 30, 40]);
  assert.deepEqual(rec.batches, [[1, 2, 3, 4]]);
});

test('items submitted while a commit runs wait for it and go into the next one; commits never overlap', async () => {
  const rec = recordingCommit();
  const submit = createGroupCommit(rec.commit);
  rec.hold();
  const first = submit(1);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(rec.batches, [[1]], 'the first commit started');
  let laterDone = false;
  const later = Promise.all([submit(2), submit(3)]).then((r) => ((laterDone = true), r));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(laterDone, false, 'not resolved before a commit that wrote them');
  assert.deepEqual(rec.batches, [[1]], 'no second commit while the first runs');
  rec.release();
  assert.equal(await first, 10);
  assert.deepEqual(await later, [20, 30]);
  assert.deepEqual(rec.batches, [[1], [2, 3]]);
  assert.equal(rec.maxRunning(), 1);
});

test('a failed commit rejects the items it held, and only those; the next batch commits', async () => {
  const rec = recordingCommit();
  const submit = createGroupCommit(rec.commit);
  const failed = [submit(-1), submit(5)];
  await assert.rejects(failed[0]!, /disk full/);
  await assert.rejects(failed[1]!, /disk full/);
  assert.equal(await submit(6), 60);
});

test('maxBatch splits a large batch into consecutive commits', async () => {
  const rec = recordingCommit();
  const submit = createGroupCommit(rec.commit, { maxBatch: 2 });
  assert.deepEqual(await Promise.all([1, 2, 3, 4, 5].map(submit)), [10, 20, 30, 40, 50]);
  assert.deepEqual(rec.batches, [[1, 2], [3, 4], [5]]);
});

test('maxWeight closes a batch before it gets too heavy, but a single heavy item still commits alone', async () => {
  const rec = recordingCommit();
  const submit = createGroupCommit(rec.commit, { maxWeight: 10, weigh: (item) => item });
  assert.deepEqual(await Promise.all([4, 5, 3, 12, 2].map(submit)), [40, 50, 30, 120, 20]);
  assert.deepEqual(rec.batches, [[4, 5], [3], [12], [2]]);
});

test('lingerMs: items of later turns within the linger join the first one\'s commit; without it they do not', async () => {
  const laterTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  // A long linger: a loaded machine may pause this process between the two turns, and a 50 ms linger
  // could then expire first.
  for (const lingerMs of [0, 500]) {
    const rec = recordingCommit();
    const submit = createGroupCommit(rec.commit, { lingerMs });
    const first = submit(1);
    await laterTurn();
    const second = submit(2);
    assert.deepEqual(await Promise.all([first, second]), [10, 20]);
    assert.deepEqual(rec.batches, lingerMs > 0 ? [[1, 2]] : [[1], [2]], `lingerMs ${lingerMs}`);
  }
});
