// CPU per Sentry webhook receive, in process: no HTTP, no bus. Times
// `createSentryWebhookReceiver(...).receive(delivery, now)` over the bench's four fixtures, then each
// step of it alone (authentication, JSON parse, normalising, event creation) on the same deliveries,
// so the split is read as shares of one run, and encoding the event as published (its raw payload
// copied from the body's bytes) against serialising all of it. The machine is shared: compare
// numbers of one run only.
//
// Run: npx tsc -p tsconfig.json && node dist/bench/sentry-receive.js
//   BENCH_ITERATIONS=20000   receives per round (default 20000, a multiple of the four fixtures)
//   BENCH_ROUNDS=7           rounds; the median round is reported
import type { RawDelivery } from '../services/ingest/receiver.js';
import { parseJsonBody } from '../services/ingest/parse-json-body.js';
import { authenticateSentryDelivery } from '../services/ingest/sentry/authenticate-sentry-delivery.js';
import { createSentryAlertEvent } from '../services/ingest/sentry/create-sentry-alert-event.js';
import { createSentryWebhookReceiver } from '../services/ingest/sentry/create-sentry-webhook-receiver.js';
import { normaliseSentryDelivery } from '../services/ingest/sentry/normalise-sentry-delivery.js';
import type { SentryAlertFields } from '../services/ingest/sentry/sentry-alert-fields.js';
import { encodeEvent } from '../shared/events/encode-event.js';
import type { NightshiftEvent } from '../shared/events/index.js';
import { createSentryDeliveries } from './ingest-sentry-deliveries.js';

const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const clientSecret = 'bench-client-secret';
const toleranceSeconds = 300;

type Resource = 'issue' | 'event_alert' | 'metric_alert' | 'error';
interface Prepared {
  delivery: RawDelivery;
  deliveryId: string;
  resource: Resource;
  action: string;
  value: unknown;
  fields: SentryAlertFields;
  event: NightshiftEvent;
}

function prepare(): Prepared[] {
  const next = createSentryDeliveries(clientSecret);
  const now = new Date();
  return Array.from({ length: 4 }, () => {
    const signed = next();
    const delivery: RawDelivery = { headers: signed.headers, body: signed.body, query: {}, params: {} };
    const parsed = parseJsonBody(signed.body);
    if (!parsed.ok) throw new Error(parsed.detail);
    const resource = signed.headers['sentry-hook-resource'] as Resource;
    const action = (parsed.value as { action: string }).action;
    const normalised = normaliseSentryDelivery(resource, action, parsed.value, now);
    if (!normalised.ok) throw new Error(normalised.detail);
    const verdict = createSentryAlertEvent(signed.deliveryId, normalised.data, parsed.value, now, signed.body.length);
    if (!verdict.ok || !verdict.accepted.event) throw new Error(JSON.stringify(verdict));
    return { delivery, deliveryId: signed.deliveryId, resource, action, value: parsed.value, fields: normalised.data, event: verdict.accepted.event };
  });
}

/** Microseconds per call of `step` over the prepared deliveries, round-robin; the median of `rounds`. */
function time(prepared: Prepared[], step: (p: Prepared, now: Date) => unknown): number {
  const now = new Date();
  let sink = 0;
  const perRound: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) if (step(prepared[i & 3]!, now)) sink++;
    perRound.push(Number(process.hrtime.bigint() - started) / 1000 / iterations);
  }
  if (sink === 0) throw new Error('every step answered nothing');
  return perRound.sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
}

const utf8 = new TextEncoder();
const prepared = prepare();
const receiver = createSentryWebhookReceiver({ clientSecret, toleranceSeconds });
const steps: [string, (p: Prepared, now: Date) => unknown][] = [
  ['receive (whole)', (p, now) => {
    const verdict = receiver.receive(p.delivery, now) as { ok: boolean };
    if (!verdict.ok) throw new Error(JSON.stringify(verdict));
    return verdict;
  }],
  ['authenticate (HMAC, timestamp)', (p, now) => authenticateSentryDelivery(p.delivery, { clientSecret, toleranceSeconds }, now) === undefined],
  ['JSON parse', (p) => parseJsonBody(p.delivery.body)],
  ['normalise', (p, now) => normaliseSentryDelivery(p.resource, p.action, p.value, now)],
  ['event creation', (p, now) => createSentryAlertEvent(p.deliveryId, p.fields, p.value, now, p.delivery.body.length)],
  ['encode (raw copied from the body)', (p) => encodeEvent(p.event).json.length],
  ['encode, all serialised (baseline)', (p) => utf8.encode(JSON.stringify(p.event)).length],
];

// Warm every step up before measuring any, so the JIT sees them all.
for (const [, step] of steps) for (let i = 0; i < iterations; i++) step(prepared[i & 3]!, new Date());

const results = steps.map(([name, step]) => [name, time(prepared, step)] as const);
const whole = results[0]![1];
console.log(`Sentry webhook receive: median of ${rounds} rounds of ${iterations} receives, 4 fixtures round-robin`);
for (const [name, us] of results) {
  console.log(`  ${name.padEnd(32)} ${us.toFixed(2).padStart(7)} µs  ${((us / whole) * 100).toFixed(0).padStart(3)}%`);
}
