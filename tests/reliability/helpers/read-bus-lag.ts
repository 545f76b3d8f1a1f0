/** One `nightshift_bus_consumer_lag` sample of a process's /metrics. */
export interface LagSample {
  group: string;
  topic: string;
  lag: number;
}

const SAMPLE = /^nightshift_bus_consumer_lag\{(?<labels>[^}]*)\} (?<value>\S+)$/;

/** The bus lag gauge as the process exports it, per group and topic (empty when it cannot be read). */
export async function readBusLag(baseUrl: string): Promise<LagSample[]> {
  const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
  if (!res?.ok) return [];
  const samples: LagSample[] = [];
  for (const line of (await res.text()).split('\n')) {
    const match = SAMPLE.exec(line);
    if (!match?.groups) continue;
    const labels = Object.fromEntries([...match.groups.labels!.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key!, value!]));
    samples.push({ group: labels.group ?? '', topic: labels.topic ?? '', lag: Number(match.groups.value) });
  }
  return samples;
}

/** True once every listed group reports its lag on /metrics and all of it is 0: the process has nothing left to handle. */
export async function isBusDrained(baseUrl: string, groups: readonly string[]): Promise<boolean> {
  const samples = await readBusLag(baseUrl);
  return groups.every((group) => samples.some((sample) => sample.group === group)) && samples.every((sample) => sample.lag === 0);
}
