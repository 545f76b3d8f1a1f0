// The server's own latency histograms around the fixed-rate run, read from its /metrics: how much of
// the HTTP tail the server saw (routed until answered), how much of that the bus explains (publish
// until durable), and of that the broker (produce round trips); and where deliveries were received.

/** Cumulative bucket counts of one histogram, summed over its label sets, by upper bound in seconds. */
type Buckets = Map<number, number>;

export interface ServerLatencies {
  /** Webhook requests from routed until answered: the latency the driver saw, less the network and the wait to be read. */
  requests: Buckets;
  publish: Buckets;
  produce: Buckets;
  /** Deliveries received so far, by thread (http, receive). */
  receives: Map<string, number>;
  /** The HTTP thread's GC pauses so far, by kind (minor, major, incremental, weakcb): all of them, and those within 10 ms. */
  gcPauses: Map<string, { all: number; within10Ms: number }>;
}

function parseBuckets(text: string, name: string): Buckets {
  const buckets: Buckets = new Map();
  const pattern = new RegExp(`^${name}_bucket\\{(?:[^}]*,)?le="([^"]+)"[^}]*\\} (\\S+)$`, 'gm');
  for (const [, le, count] of text.matchAll(pattern)) {
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(count));
  }
  return buckets;
}

/** The main thread's (the HTTP thread's: its series alone have no `thread` label) GC pauses by kind, from prom-client's default histogram. */
function parseGcPauses(text: string): ServerLatencies['gcPauses'] {
  const pauses: ServerLatencies['gcPauses'] = new Map();
  for (const [, labels, count] of text.matchAll(/^nightshift_nodejs_gc_duration_seconds_bucket\{([^}]*)\} (\S+)$/gm)) {
    const kind = /kind="(\w+)"/.exec(labels!)?.[1];
    const le = /le="([^"]+)"/.exec(labels!)?.[1];
    if (!kind || labels!.includes('thread=')) continue;
    const entry = pauses.get(kind) ?? { all: 0, within10Ms: 0 };
    if (le === '+Inf') entry.all = Number(count);
    else if (le === '0.01') entry.within10Ms = Number(count);
    pauses.set(kind, entry);
  }
  return pauses;
}

/** The histograms now; undefined when the server has no /metrics (bare express). */
export async function readServerLatencies(webhookUrl: URL): Promise<ServerLatencies | undefined> {
  const response = await fetch(new URL('/metrics', webhookUrl)).catch(() => undefined);
  if (!response?.ok) return undefined;
  return parseServerLatencies(await response.text());
}

/** The readings in a /metrics text (Prometheus exposition format). */
export function parseServerLatencies(text: string): ServerLatencies {
  return {
    requests: parseBuckets(text, 'nightshift_ingest_request_duration_seconds'),
    publish: parseBuckets(text, 'nightshift_bus_publish_duration_seconds'),
    produce: parseBuckets(text, 'nightshift_kafka_produce_duration_seconds'),
    receives: new Map([...text.matchAll(/^nightshift_ingest_receives_total\{thread="(\w+)"\} (\S+)$/gm)].map(([, thread, n]) => [thread!, Number(n)])),
    gcPauses: parseGcPauses(text),
  };
}

/** "p99 ≤ 10 ms, 3 of 2,900 over 25 ms" for what was observed between two readings. */
function describe(before: Buckets, after: Buckets): string | undefined {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((bound) => (after.get(bound) ?? 0) - (before.get(bound) ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total === 0) return undefined;
  const p99Bound = bounds[counts.findIndex((count) => count >= 0.99 * total)]!;
  const within25 = counts[bounds.indexOf(0.025)] ?? Number.NaN;
  const p99 = Number.isFinite(p99Bound) ? `p99 ≤ ${p99Bound * 1000} ms` : 'p99 above the last bucket';
  return `${p99}, ${total - within25} of ${total} over 25 ms`;
}

/** One line on the server's own histograms over the run between the two readings, or undefined. */
export function describeServerLatencies(before: ServerLatencies | undefined, after: ServerLatencies | undefined): string | undefined {
  if (!before || !after) return undefined;
  const requests = describe(before.requests, after.requests);
  const publish = describe(before.publish, after.publish);
  const produce = describe(before.produce, after.produce);
  if (!publish) return undefined;
  // Whether the offload policy moved deliveries to the receive threads at this rate.
  const received = (thread: string) => (after.receives.get(thread) ?? 0) - (before.receives.get(thread) ?? 0);
  const total = received('http') + received('receive');
  const inThreads = total > 0 ? `; ${((100 * received('receive')) / total).toFixed(0)}% received in receive threads` : '';
  return `${requests ? `requests ${requests}; ` : ''}bus publishes ${publish}${produce ? `; Kafka produce round trips ${produce}` : ''}${inThreads}`;
}

/** "14 pauses over 10 ms (12 of 380 minor, 2 of 9 incremental)": the HTTP thread's GC between two readings, or undefined. */
export function describeHttpThreadGc(before: ServerLatencies | undefined, after: ServerLatencies | undefined): string | undefined {
  if (!before || !after || after.gcPauses.size === 0) return undefined;
  const kinds = [...after.gcPauses].map(([kind, now]) => {
    const then = before.gcPauses.get(kind) ?? { all: 0, within10Ms: 0 };
    const all = now.all - then.all;
    return { kind, all, over10Ms: all - (now.within10Ms - then.within10Ms) };
  });
  const over10Ms = kinds.reduce((sum, k) => sum + k.over10Ms, 0);
  const byKind = kinds.filter((k) => k.all > 0).map((k) => `${k.over10Ms} of ${k.all} ${k.kind}`);
  return `${over10Ms} pause${over10Ms === 1 ? '' : 's'} over 10 ms (${byKind.join(', ')})`;
}
