import type { Delivery } from './webhook-deliveries.js';

/** A delivery ingest acknowledged with a 2xx, and the event id it answered with. */
export interface Ack {
  delivery: Delivery;
  status: number;
  eventId: string;
  duplicate: boolean;
}

export interface SenderStats {
  attempts: number;
  /** Refused connections, resets and timeouts: the process was down or died mid-request. */
  noAnswer: number;
  /** 5xx answers (e.g. the bus could not take the event): retried like Sentry and Datadog do. */
  unavailable: number;
  /** 4xx answers to deliveries that are valid: never expected. */
  rejected: { status: number; body: string; deliveryId: string }[];
}

export function deliveryKey(delivery: { source: string; deliveryId: string }): string {
  return `${delivery.source}/${delivery.deliveryId}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts one delivery; the answer, or undefined when none came (refused, reset, timed out). */
export async function postDelivery(baseUrl: string, delivery: Delivery, timeoutMs: number): Promise<{ status: number; text: string } | undefined> {
  try {
    const res = await fetch(`${baseUrl}${delivery.path}`, { method: 'POST', headers: delivery.headers(), body: delivery.body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, text: await res.text() };
  } catch {
    return undefined;
  }
}

/**
 * Sends webhooks the way Sentry and Datadog do: each delivery until it gets a 2xx, a 5xx or no
 * answer meaning "try again later". Records every acknowledged delivery; that record is what the
 * reliability checks hold the store to.
 */
export function createAlertSender({ baseUrl, next, concurrency = 4, timeoutMs = 15_000, paceMs = 10 }: {
  baseUrl: () => string;
  next: () => Delivery;
  concurrency?: number;
  timeoutMs?: number;
  /** Pause after each acknowledged delivery, so the sender does not starve the process under test. */
  paceMs?: number;
}) {
  const acked = new Map<string, Ack>();
  const pending: Delivery[] = [];
  const stats: SenderStats = { attempts: 0, noAnswer: 0, unavailable: 0, rejected: [] };
  let generating = true;
  let running = true;
  let inFlight = 0;

  async function attempt(delivery: Delivery): Promise<void> {
    stats.attempts++;
    inFlight++;
    const answer = await postDelivery(baseUrl(), delivery, timeoutMs).finally(() => inFlight--);
    if (answer && answer.status >= 200 && answer.status < 300) {
      const body = JSON.parse(answer.text) as { eventId: string; duplicate: boolean };
      acked.set(deliveryKey(delivery), { delivery, status: answer.status, eventId: body.eventId, duplicate: body.duplicate });
      await sleep(paceMs);
      return;
    }
    if (answer && answer.status >= 400 && answer.status < 500) {
      stats.rejected.push({ status: answer.status, body: answer.text.slice(0, 300), deliveryId: delivery.deliveryId });
      return;
    }
    if (answer) stats.unavailable++;
    else stats.noAnswer++;
    pending.push(delivery);
    await sleep(50);
  }

  async function worker(): Promise<void> {
    while (running) {
      const retry = pending.length > 0 && (!generating || pending.length > 20 || Math.random() < 0.5);
      const delivery = retry ? pending.shift() : generating ? next() : undefined;
      if (delivery) await attempt(delivery);
      else await sleep(20);
    }
  }

  const workers = Array.from({ length: concurrency }, () => worker());
  return {
    acked,
    stats,
    /** Deliveries sent but not yet acknowledged. */
    unacknowledged: () => pending.length + inFlight,
    /** Stops making new deliveries, retries the unacknowledged ones until all are or the time is up, and stops. */
    async finish(flushTimeoutMs: number): Promise<void> {
      generating = false;
      const deadline = Date.now() + flushTimeoutMs;
      while ((pending.length > 0 || inFlight > 0) && Date.now() < deadline) await sleep(50);
      running = false;
      await Promise.all(workers);
    },
  };
}

/** What the sender saw, as rows of a run's printed table (the same in every kill run). */
export function senderRows(sender: { stats: SenderStats; acked: Map<string, Ack> }): [string, number][] {
  return [
    ['delivery attempts', sender.stats.attempts],
    ['attempts without answer', sender.stats.noAnswer],
    ['attempts answered 5xx', sender.stats.unavailable],
    ['valid deliveries refused 4xx', sender.stats.rejected.length],
    ['acked as duplicate (retry after a fault)', [...sender.acked.values()].filter((ack) => ack.duplicate).length],
  ];
}
