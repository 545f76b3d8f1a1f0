import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { Pool } from 'undici';
import type { SignedDelivery } from './ingest-sentry-deliveries.js';

/** What one load run saw. Latencies are in milliseconds, one per answered request. */
export interface LoadResult {
  elapsedMs: number;
  accepted: number;
  latenciesMs: number[];
  /** Non-202 answers and socket errors, by status or error code. */
  failures: Map<string, number>;
  /** Connections used: with keep-alive, at most one per request in flight at once. */
  connections: number;
  /** The same latencies counted from when the driver got round to sending each request instead. */
  fromSentMs: number[];
  /** Fixed rate only: how late the driver itself issued each request after it was due, in milliseconds. */
  issuedLateMs: number[];
}

/** Called for every 202 with the delivery and the answer body, to account for what was accepted. */
export type OnAccepted = (delivery: SignedDelivery, body: string) => void;

interface Target {
  url: URL;
  next: () => SignedDelivery;
  onAccepted: OnAccepted;
}

/** How the driver sends requests: one connection pool per run, keep-alive, at most `connections` sockets. */
interface HttpDriver {
  post(delivery: SignedDelivery): Promise<{ status: number; body: string }>;
  /** Connections opened so far. */
  connections(): number;
  close(): Promise<void>;
}

/** undici's Pool: the lighter client (its own HTTP parser, no IncomingMessage streams), so the driver takes less of the machine it shares. */
function undiciDriver(url: URL, connections: number): HttpDriver {
  const pool = new Pool(url.origin, { connections });
  let opened = 0;
  pool.on('connect', () => (opened += 1));
  return {
    async post(delivery) {
      const { statusCode, body } = await pool.request({ path: url.pathname, method: 'POST', headers: delivery.headers, body: delivery.body });
      return { status: statusCode, body: await body.text() };
    },
    connections: () => opened,
    close: () => pool.destroy(),
  };
}

/** Node's own http.Agent: what the bench used before undici, kept for comparison (BENCH_DRIVER=node-http). */
function nodeHttpDriver(url: URL, connections: number): HttpDriver {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const sockets = new Set<Socket>();
  return {
    post(delivery) {
      return new Promise((resolve, reject) => {
        const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: delivery.headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('socket', (socket) => sockets.add(socket));
        req.on('error', reject);
        req.end(delivery.body);
      });
    },
    connections: () => sockets.size,
    close: async () => agent.destroy(),
  };
}

export type DriverName = 'undici' | 'node-http';

function createDriver(name: DriverName, url: URL, connections: number): HttpDriver {
  return name === 'undici' ? undiciDriver(url, connections) : nodeHttpDriver(url, connections);
}

function createRecorder(target: Target, driver: HttpDriver) {
  const result: LoadResult = { elapsedMs: 0, accepted: 0, latenciesMs: [], failures: new Map(), connections: 0, fromSentMs: [], issuedLateMs: [] };
  const fail = (what: string) => result.failures.set(what, (result.failures.get(what) ?? 0) + 1);
  /** Sends one delivery; latency counts from `startedAt` (the intended start, for fixed-rate runs). */
  async function send(startedAt: number): Promise<void> {
    const delivery = target.next();
    const sentAt = performance.now();
    try {
      const answer = await driver.post(delivery);
      const answeredAt = performance.now();
      result.latenciesMs.push(answeredAt - startedAt);
      result.fromSentMs.push(answeredAt - sentAt);
      if (answer.status === 202) {
        result.accepted += 1;
        target.onAccepted(delivery, answer.body);
      } else {
        fail(`HTTP ${answer.status}`);
      }
    } catch (error) {
      fail((error as NodeJS.ErrnoException).code ?? String(error));
    }
  }
  async function finish(started: number): Promise<LoadResult> {
    result.elapsedMs = performance.now() - started;
    result.connections = driver.connections();
    await driver.close();
    return result;
  }
  return { result, send, finish };
}

/**
 * Saturation: `concurrency` senders, each sending its next delivery as soon as the previous one is
 * answered, over keep-alive connections, for `durationMs`.
 */
export async function runAtConcurrency(target: Target, { concurrency, durationMs, driver }: { concurrency: number; durationMs: number; driver: DriverName }): Promise<LoadResult> {
  const { send, finish } = createRecorder(target, createDriver(driver, target.url, concurrency));
  const started = performance.now();
  const deadline = started + durationMs;
  const sender = async () => {
    while (performance.now() < deadline) await send(performance.now());
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  return finish(started);
}

/**
 * Fixed rate (open loop): request i is due at start + i/rate whether or not earlier ones were answered,
 * and its latency counts from when it was due, so a stalled server shows up in the tail instead of
 * silently slowing the sender down (coordinated omission).
 */
export async function runAtRate(target: Target, { rate, durationMs, driver }: { rate: number; durationMs: number; driver: DriverName }): Promise<LoadResult> {
  const { result, send, finish } = createRecorder(target, createDriver(driver, target.url, 512));
  const started = performance.now();
  const late = result.issuedLateMs;
  const total = Math.floor((rate * durationMs) / 1000);
  // A count, not a Set of the sends: a Set churned per request promotes them all (see RenewingMap),
  // and the driver's own collections would then show up in the latencies it measures.
  let inFlight = 0;
  let drained = () => {};
  let issued = 0;
  while (issued < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - started) * rate) / 1000) + 1);
    for (; issued < due; issued++) {
      inFlight += 1;
      const dueAt = started + (issued * 1000) / rate;
      late.push(now - dueAt);
      void send(dueAt).finally(() => {
        inFlight -= 1;
        if (inFlight === 0) drained();
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
  return finish(started);
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export interface LoadSummary {
  acceptedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: string;
  connections: number;
  /** p99 counted from when each request was sent rather than due: the tail without the driver's own lateness. */
  p99FromSentMs: number;
  /** Fixed rate: the p99 and the worst of how late the driver issued requests, and how many it issued over 5 ms late. */
  issuedLate: { p99Ms: number; maxMs: number; over5Ms: number } | undefined;
}

/** Numbers in ascending order (a typed array sorts numerically, and faster than an array of them). */
export const sortedValues = (values: number[]) => Array.from(Float64Array.from(values).sort());

export function summarise(result: LoadResult): LoadSummary {
  const values = sortedValues(result.latenciesMs);
  const late = sortedValues(result.issuedLateMs);
  return {
    acceptedPerSecond: (result.accepted * 1000) / result.elapsedMs,
    p50Ms: quantile(values, 0.5),
    p99Ms: quantile(values, 0.99),
    failures: [...result.failures].map(([what, n]) => `${n}× ${what}`).join(', ') || 'none',
    connections: result.connections,
    p99FromSentMs: quantile(sortedValues(result.fromSentMs), 0.99),
    issuedLate: late.length > 0 ? { p99Ms: quantile(late, 0.99), maxMs: late.at(-1)!, over5Ms: late.filter((ms) => ms > 5).length } : undefined,
  };
}
