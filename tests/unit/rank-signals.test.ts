import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createServiceNamer } from '../../services/triage/ranking/create-service-namer.js';
import { formatClock, formatDuration, quote } from '../../services/triage/ranking/format-evidence.js';
import { looksPropagated } from '../../services/triage/ranking/looks-propagated.js';
import { compileTemplate, createAnomalyMatcher } from '../../services/triage/ranking/match-anomaly.js';
import { anomaly } from '../fixtures/triage/make-anomaly.js';

test('failures propagated from a callee are recognised; a service’s own failures are not', () => {
  const propagated = [
    'timeout calling inventory after 2000 ms',
    'request timed out',
    'java.net.SocketTimeoutException: Read timed out',
    'context deadline exceeded',
    '502 Bad Gateway',
    'upstream returned status=503',
    'HTTP 504 from orders',
    'Error: connect ECONNREFUSED 10.0.0.7:5432',
    'read ECONNRESET',
    'socket hang up',
    'calling inventory failed: 500',
    'request to payments failed',
    'failed to reach ledger',
    'no healthy upstream',
    'circuit breaker open for inventory',
  ];
  for (const message of propagated) assert.equal(looksPropagated(message), true, message);
  const own = [
    "TypeError: Cannot read properties of undefined (reading 'sku')",
    'db pool exhausted (max 20)',
    'StockReservationError: quantity is not a number',
    'took 504ms to render',
    'order 50213 created',
    'lifetime output flushed',
    'NullPointerException at Reserve.java:42',
  ];
  for (const message of own) assert.equal(looksPropagated(message), false, message);
});

test('templates match their lines with wildcards over any text and flexible whitespace', () => {
  const pattern = compileTemplate('db pool exhausted <*> (max <NUM>) [pool=<*>]');
  assert.equal(pattern.test('db pool exhausted after 3 waits (max 20) [pool=main]'), true);
  assert.equal(pattern.test('db  pool exhausted x (max 20)  [pool=]'), true);
  assert.equal(pattern.test('db pool exhausted x (max 20) [pool=main] trailing'), false);
  assert.equal(pattern.test('cache pool exhausted x (max 20) [pool=main]'), false);
  assert.equal(compileTemplate('price is $<*>.00?').test('price is $5.00?'), true);
});

test('an error entry matches the anomalous template of its own service, by template id or by message', () => {
  const match = createAnomalyMatcher([
    anomaly('inventory', 'stock error for sku <*>', { incidentCount: 5 }),
    anomaly('inventory', 'stock error for <*>', { kind: 'bursting', incidentCount: 50 }),
    anomaly('inventory', 'cache refreshed <*>', { kind: 'bursting', level: 'info' }),
  ]);
  const entry = { service: 'inventory', level: 'error' as const, message: 'stock error for sku 12' };
  assert.equal(match(entry)?.anomaly.template, 'stock error for sku <*>', 'new templates win over bursting ones');
  assert.equal(match({ ...entry, service: 'orders' }), undefined);
  assert.equal(match({ ...entry, level: 'info' }), undefined, 'only error entries count');
  assert.equal(match({ ...entry, message: 'cache refreshed 3' }), undefined, 'info-level templates are not failures');
  assert.equal(match({ ...entry, message: 'anything', templateId: 'inventory:stock error for <*>' })?.anomaly.kind, 'bursting');
  assert.equal(match({ ...entry, message: 'stock error for sku 12', templateId: 'other' }), undefined, 'a template id is authoritative');
  assert.equal(match(entry)?.propagated, false);
  const timeouts = createAnomalyMatcher([anomaly('orders', 'timeout calling <*>')]);
  assert.equal(timeouts({ service: 'orders', level: 'fatal', message: 'timeout calling inventory' })?.propagated, true);
});

test('services named in a message are found as whole tokens, host names included, never the logging service', () => {
  const names = createServiceNamer(['inventory', 'orders', 'api', 'ledger.v2']);
  assert.deepEqual(names('timeout calling http://inventory-svc:8080/reserve', 'orders'), ['inventory']);
  assert.deepEqual(names('upstream orders failed for GET /api/orders/7', 'gateway'), ['orders']);
  assert.deepEqual(names('GET /api/orders/7 failed: 502 from http://inventory/orders/api', 'gateway'), ['inventory'], 'paths are routes');
  assert.deepEqual(names('reinventory and ordersx are not services', 'x'), []);
  assert.deepEqual(names('ECONNREFUSED ledger.v2:443', 'orders'), ['ledger.v2']);
  assert.deepEqual(names('orders calling orders failed', 'orders'), []);
});

test('evidence is formatted the way an on-call engineer reads it', () => {
  assert.equal(formatClock(Date.UTC(2026, 0, 2, 3, 12, 4, 120)), '03:12:04.120 UTC');
  assert.deepEqual([180, 1_234, 42_000, 184_000, 120_000, -90].map(formatDuration), ['180 ms', '1.2 s', '42 s', '3 min 4 s', '2 min', '90 ms']);
  assert.equal(quote('a\n  b'), "'a b'");
  assert.equal(quote('x'.repeat(200), 10), `'${'x'.repeat(9)}…'`);
});
