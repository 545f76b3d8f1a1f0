import assert from 'node:assert/strict';
import { test } from 'node:test';
import { correlateLogs } from '../../services/triage/correlation/correlate-logs.js';
import { rankRootCause } from '../../services/triage/ranking/rank-root-cause.js';
import type { RankedService } from '../../services/triage/report/triage-report.js';
import { generateIncident, type IncidentScenario } from '../fixtures/triage/generate-incident.js';

function triage(scenario: IncidentScenario) {
  const incident = generateIncident(scenario);
  const correlation = correlateLogs(incident.records);
  const ranking = rankRootCause({
    traces: correlation.traces,
    callGraph: correlation.callGraph,
    anomalies: incident.anomalies,
    alerts: incident.alerts,
    frames: incident.frames,
  });
  return { incident, correlation, ranking };
}

function assertFirst(ranking: RankedService[], service: string): RankedService {
  const [first, ...rest] = ranking;
  assert.equal(first?.service, service, ranking.map((s) => `${s.service} ${s.confidence}`).join(', '));
  for (const other of rest) assert.ok(first!.confidence > other.confidence, `${first!.service} ${first!.confidence} vs ${other.service} ${other.confidence}`);
  const sum = ranking.reduce((total, s) => total + s.confidence, 0);
  assert.ok(sum <= 1.0005 && ranking.every((s) => s.confidence >= 0 && s.confidence <= 1), `confidences sum to ${sum}`);
  return first!;
}

test('the generated incident is deterministic for a seed and differs across seeds', () => {
  const a = generateIncident({ seed: 7 });
  const b = generateIncident({ seed: 7 });
  assert.deepEqual(a.records, b.records);
  assert.deepEqual(a.anomalies, b.anomalies);
  assert.notDeepEqual(generateIncident({ seed: 8 }).records.slice(0, 5), a.records.slice(0, 5));
  assert.ok(a.failingRequests > 100, String(a.failingRequests));
});

test('a bad inventory deploy: inventory ranks first although the gateway alerted first', () => {
  const { incident, correlation, ranking } = triage({});
  assert.deepEqual(
    correlation.callGraph.map((e) => `${e.caller}>${e.callee}`),
    ['gateway>orders', 'orders>inventory'],
  );
  const gatewayAlert = incident.alerts.find((a) => a.service === 'gateway')!;
  assert.ok(incident.alerts.every((a) => a.firstSeen >= gatewayAlert.firstSeen), 'the gateway alerts first');

  const inventory = assertFirst(ranking, 'inventory');
  assert.ok(inventory.confidence > 0.7, String(inventory.confidence));
  const reasons = inventory.reasons.join('\n');
  assert.match(reasons, /Propagation: in \d+ of \d+ failing traces inventory was the deepest failure on the call path/);
  assert.match(reasons, /Errors propagated upward: inventory's first error preceded orders' in (\d+) of \1 traces where both failed/);
  assert.match(reasons, /inventory logged its first new error template 'StockReservationError: quantity of undefined sku <\*> is not a number' at \d\d:\d\d:\d\d\.\d{3} UTC, \d+ ms before orders' and \d+ ms before gateway's first error/);
  assert.match(reasons, /orders' failures name inventory as the callee that failed/);
  assert.match(reasons, /4 in-app stack frames \(top: reserveStock in src\/stock\/reserve-stock.ts\)/);

  const gateway = ranking.find((s) => s.service === 'gateway')!;
  assert.match(gateway.reasons.join('\n'), /gateway alerted first, at .* but that alert is a symptom of the failure ranked at inventory/);
  const orders = ranking.find((s) => s.service === 'orders')!;
  assert.match(orders.reasons[0]!, /read as failures propagated from a callee .* toward inventory rather than orders/);
  const notifications = ranking.find((s) => s.service === 'notifications');
  assert.ok(notifications === undefined || notifications.confidence < 0.05);
});

test('when the middle service is the cause, orders ranks first and healthy inventory’s info burst counts for nothing', () => {
  const { ranking } = triage({ culprit: 'orders', seed: 11 });
  const orders = assertFirst(ranking, 'orders');
  const reasons = orders.reasons.join('\n');
  assert.match(reasons, /Propagation: in \d+ of \d+ failing traces orders was the deepest failure on the call path .* gateway/);
  assert.match(reasons, /TypeError: Cannot read properties of undefined/);
  assert.doesNotMatch(reasons, /inventory/);
  const inventory = ranking.find((s) => s.service === 'inventory')!;
  assert.equal(inventory.confidence, 0);
  assert.match(inventory.reasons[0]!, /Only info-level anomalies: bursting template 'reserved <\*> units of sku <\*>'/);
});

test('with only request ids (no trace or span ids), requests still correlate and inventory still ranks first', () => {
  const { correlation, ranking } = triage({ ids: 'request-ids', seed: 5 });
  assert.equal(correlation.stats.requestOnlyTraces, correlation.stats.traces);
  assert.equal(correlation.stats.callGraphSources.spans, 0);
  assert.deepEqual(
    correlation.callGraph.map((e) => `${e.caller}>${e.callee}`),
    ['gateway>orders', 'orders>inventory'],
    'the order services first log in gives the chain',
  );
  const inventory = assertFirst(ranking, 'inventory');
  assert.match(inventory.reasons.join('\n'), /Propagation:/);
});

test('clock skew that reorders inventory and orders does not flip the answer when propagation and templates agree', () => {
  const skewed = triage({ tightPropagation: true, skewMs: { inventory: 5, orders: -4 }, seed: 3 });
  // The skew really does reorder the logged first errors in every failing trace.
  const reordered = skewed.correlation.traces.filter(
    (t) => t.firstErrorAt.inventory !== undefined && t.firstErrorAt.orders !== undefined && t.firstErrorAt.orders < t.firstErrorAt.inventory,
  );
  assert.ok(reordered.length > 100, String(reordered.length));
  const inventory = assertFirst(skewed.ranking, 'inventory');
  const reasons = inventory.reasons.join('\n');
  assert.match(reasons, /Propagation: in \d+ of \d+ failing traces inventory was the deepest failure/);
  assert.match(reasons, /Timing alone does not settle it: inventory's first error preceded orders' in only 0 of \d+ traces/);

  const unskewed = triage({ tightPropagation: true, seed: 3 });
  assert.equal(unskewed.ranking[0]!.service, 'inventory');
  assert.ok(Math.abs(unskewed.ranking[0]!.confidence - inventory.confidence) < 0.05);
});

test('without any traces, the templates and alerts of the same incident still point at inventory', () => {
  const incident = generateIncident({ seed: 9 });
  const ranking = rankRootCause({ traces: [], callGraph: [], anomalies: incident.anomalies, alerts: incident.alerts, frames: incident.frames });
  const inventory = assertFirst(ranking, 'inventory');
  assert.match(inventory.reasons[0]!, /^Propagation \(no correlated traces, judged over the whole window\): inventory is the deepest failing service/);
});
