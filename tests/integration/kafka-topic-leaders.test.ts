// waitForTopicLeaders against the real broker: topics created without kafkajs's own wait are
// usable once it returns, and a topic that never appears fails with its name, not a hang.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { waitForTopicLeaders } from '../../shared/bus/kafka/wait-for-topic-leaders.js';
import { kafkaBrokers } from '../helpers/infra.js';
import { randomName } from '../helpers/wait.js';

/** A connected admin client on the test broker, disconnected after the test; undefined when there is no broker. */
async function connectAdmin(t: TestContext) {
  const brokers = kafkaBrokers(t);
  if (!brokers) return undefined;
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  t.after(() => admin.disconnect());
  return admin;
}

test('Kafka: waitForTopicLeaders returns once every partition of freshly created topics has a leader', { timeout: 60_000 }, async (t) => {
  const admin = await connectAdmin(t);
  if (!admin) return;
  const topics = [randomName('leaders-a'), randomName('leaders-b')];
  await admin.createTopics({ waitForLeaders: false, topics: topics.map((topic) => ({ topic, numPartitions: 4 })) });
  t.after(() => admin.deleteTopics({ topics }).catch(() => {}));

  await waitForTopicLeaders(admin, topics);
  const { topics: found } = await admin.fetchTopicMetadata({ topics });
  assert.deepEqual(found.map((f) => f.name).sort(), [...topics].sort());
  for (const topic of found) {
    assert.equal(topic.partitions.length, 4);
    assert.ok(topic.partitions.every((p) => p.leader >= 0), `${topic.name}: every partition led`);
  }
});

test('Kafka: waitForTopicLeaders gives up on a topic that never appears, naming it', { timeout: 60_000 }, async (t) => {
  const admin = await connectAdmin(t);
  if (!admin) return;
  const missing = randomName('never-created');
  await assert.rejects(waitForTopicLeaders(admin, [missing], { timeoutMs: 500 }), new RegExp(`no leaders within 500 ms: ${missing}`));
});
