import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';

/** What a metadata request can answer for a topic the controller has just created, before every broker knows it. */
const SETTLING = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Waits until every partition of `topics` has a leader. kafkajs's own `waitForLeaders` retries only
 * LEADER_NOT_AVAILABLE, but a KRaft broker first answers UNKNOWN_TOPIC_OR_PARTITION for a topic just
 * created (the metadata has not reached it yet), and kafkajs then throws: seen as a failed start in CI.
 */
export async function waitForTopicLeaders(admin: Admin, topics: string[], { timeoutMs = 30_000, intervalMs = 100 } = {}): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics });
      if (found.length === topics.length && found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (!SETTLING.has(String((error as { type?: unknown }).type))) throw error;
    }
    if (performance.now() >= deadline) throw new Error(`Kafka topics had no leaders within ${timeoutMs} ms: ${topics.join(', ')}`);
    await sleep(intervalMs);
  }
}
