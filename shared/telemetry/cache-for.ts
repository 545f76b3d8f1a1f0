/**
 * Wraps an async read so callers within `ttlMs` of the last answer share it: a scrape every few seconds
 * by several Prometheus replicas then costs one Kafka admin round trip or one store query, not one each.
 * A failed read is not cached, so the next scrape tries again.
 */
export function cacheFor<T>(ttlMs: number, read: () => Promise<T>, nowMs: () => number = Date.now): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined;
  return () => {
    const at = nowMs();
    if (cached && at - cached.at < ttlMs) return cached.value;
    const value = read();
    const entry = { at, value };
    cached = entry;
    value.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return value;
  };
}
