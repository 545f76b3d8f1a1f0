import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ruleSchema, type Rule } from '../../shared/config/rules-schema.js';
import type { AlertReceivedPayload } from '../../shared/events/alert-received.js';
import { applyControls } from '../../services/triage/rules/apply-controls.js';
import { decideForRule } from '../../services/triage/rules/decide-for-rule.js';
import { evaluateRules } from '../../services/triage/rules/evaluate-rules.js';
import { factsFromAlert, type IncidentFacts } from '../../services/triage/rules/incident-facts.js';
import { findShadowedRules } from '../../services/triage/rules/find-shadowed-rules.js';
import { DEFAULT_CONTROLS } from '../../shared/config/rules-schema.js';

const AT = '2026-11-21T03:10:00.000Z';

function alert(overrides: Partial<AlertReceivedPayload> = {}): AlertReceivedPayload {
  return {
    source: 'sentry',
    channel: 'webhook',
    deliveryId: 'd-1',
    kind: 'issue',
    action: 'created',
    status: 'firing',
    severity: 'error',
    title: "TypeError: Cannot read properties of undefined (reading 'amount')",
    fingerprint: 'fp-1',
    service: 'checkout',
    environment: 'production',
    release: 'checkout@2026.11.3',
    links: [],
    tags: { team: 'payments', region: 'eu' },
    traceIds: [],
    requestIds: [],
    error: { type: 'TypeError', value: "Cannot read properties of undefined (reading 'amount')", frames: [] },
    firedAt: AT,
    receivedAt: AT,
    ...overrides,
  };
}

function rule(match: unknown, extra: Record<string, unknown> = {}): Rule {
  return ruleSchema.parse({ id: 'r', match, action: 'triage', ...extra });
}

/** The one condition of a single-condition rule, judged on `facts`. */
function judge(match: unknown, facts: IncidentFacts = factsFromAlert(alert())) {
  const [verdict] = evaluateRules([rule(match)], facts).verdicts;
  assert.equal(verdict!.conditions.length, 1, JSON.stringify(verdict!.conditions));
  return verdict!.conditions[0]!;
}

/** An incident of `n` alerts, one a minute, ending at AT. */
function storm(n: number): IncidentFacts {
  const end = Date.parse(AT);
  const receivedAt = Array.from({ length: n }, (_, i) => end - (n - 1 - i) * 60_000);
  return { incidentId: 'inc', severity: 'error', alerts: receivedAt.map(() => alert()), receivedAt, latestAt: end };
}

describe('rule match operators', () => {
  test('source, kind, service and environment take one value or a list', () => {
    assert.equal(judge({ source: 'sentry' }).passed, true);
    assert.equal(judge({ source: 'datadog' }).passed, false);
    assert.equal(judge({ kind: ['monitor', 'issue'] }).passed, true);
    assert.equal(judge({ kind: 'monitor' }).passed, false);
    assert.deepEqual(judge({ service: ['cart', 'checkout'] }), { condition: 'service', passed: true, reason: 'service is "checkout", which is one of "cart", "checkout"' });
    assert.deepEqual(judge({ service: 'cart' }), { condition: 'service', passed: false, reason: 'service is "checkout", not "cart"' });
    assert.equal(judge({ environment: 'production' }).passed, true);
    assert.equal(judge({ environment: 'staging' }).passed, false);
  });

  test('minSeverity orders info < warning < error < critical', () => {
    assert.deepEqual(judge({ minSeverity: 'warning' }), { condition: 'minSeverity', passed: true, reason: 'severity error is at least warning' });
    assert.equal(judge({ minSeverity: 'error' }).passed, true);
    assert.deepEqual(judge({ minSeverity: 'critical' }), { condition: 'minSeverity', passed: false, reason: 'severity error is below critical' });
  });

  test('tags need every tag listed, with one of its values or "*" for any', () => {
    const [verdict] = evaluateRules([rule({ tags: { team: 'payments', region: ['us', 'eu'], tier: '*' } })], factsFromAlert(alert())).verdicts;
    assert.deepEqual(verdict!.conditions.map((c) => [c.condition, c.passed]), [['tags.team', true], ['tags.region', true], ['tags.tier', false]]);
    assert.equal(verdict!.conditions[2]!.reason, 'tag tier is none, not present');
    assert.equal(verdict!.matched, false);
  });

  test('errorType is exact; message, title and release are regexes, /…/i for case-insensitive', () => {
    assert.equal(judge({ errorType: 'TypeError' }).passed, true);
    assert.equal(judge({ errorType: ['RangeError'] }).passed, false);
    assert.equal(judge({ message: 'cannot read properties' }).passed, false);
    const hit = judge({ message: '/cannot read properties/i' });
    assert.equal(hit.passed, true);
    assert.match(hit.reason, /matches \/cannot read properties\/i$/);
    assert.equal(judge({ title: '^TypeError:' }).passed, true);
    assert.equal(judge({ title: '^RangeError' }).passed, false);
    assert.equal(judge({ release: '^checkout@2026\\.11\\.' }).passed, true);
    assert.equal(judge({ release: '^checkout@2025' }).passed, false);
    assert.equal(judge({ release: 'x' }, factsFromAlert(alert({ release: undefined }))).reason, 'release is missing does not match /x/');
  });

  test('the message condition falls back from the error value to the alert message', () => {
    const facts = factsFromAlert(alert({ error: undefined, message: 'upstream timeout after 3000 ms' }));
    assert.equal(judge({ message: 'timeout after \\d+ ms' }, facts).passed, true);
  });

  test('count and rate count the incident alerts in the window before its latest one', () => {
    assert.deepEqual(judge({ count: { atLeast: 5, withinMinutes: 10 } }, storm(6)), { condition: 'count', passed: true, reason: '6 alerts within 10 min, at least 5' });
    // 20 alerts a minute apart: 5 of them in the last 5 minutes.
    assert.equal(judge({ count: { atLeast: 6, withinMinutes: 5 } }, storm(20)).passed, false);
    assert.deepEqual(judge({ rate: { perMinuteAtLeast: 1, withinMinutes: 5 } }, storm(20)), { condition: 'rate', passed: true, reason: '1 alerts/min over 5 min, at least 1' });
    assert.equal(judge({ rate: { perMinuteAtLeast: 2, withinMinutes: 5 } }, storm(20)).passed, false);
  });

  test('timeOfDay is judged on the wall clock of its time zone, and may wrap past midnight', () => {
    // 03:10 UTC is 04:10 in Paris (winter time).
    assert.equal(judge({ timeOfDay: { from: '22:00', to: '06:00' } }).passed, true);
    assert.equal(judge({ timeOfDay: { from: '09:00', to: '17:00' } }).passed, false);
    const paris = judge({ timeOfDay: { from: '04:00', to: '05:00', timezone: 'Europe/Paris' } });
    assert.deepEqual(paris, { condition: 'timeOfDay', passed: true, reason: 'fired at 04:10 Europe/Paris, inside 04:00-05:00' });
  });

  test('all alert conditions must hold for one alert, not spread over several', () => {
    const facts: IncidentFacts = { ...storm(2), alerts: [alert({ service: 'cart', environment: 'production' }), alert({ service: 'checkout', environment: 'staging' })] };
    const [verdict] = evaluateRules([rule({ service: 'checkout', environment: 'production' })], facts).verdicts;
    assert.equal(verdict!.matched, false);
  });

  test('the first matching rule decides; later rules are evaluated but not reached', () => {
    const rules = [
      ruleSchema.parse({ id: 'staging', match: { environment: 'staging' }, action: 'ignore' }),
      ruleSchema.parse({ id: 'checkout', match: { service: 'checkout' }, action: 'draft-fix' }),
      ruleSchema.parse({ id: 'all', action: 'notify' }),
    ];
    const evaluation = evaluateRules(rules, factsFromAlert(alert()));
    assert.equal(evaluation.matched?.id, 'checkout');
    assert.deepEqual(evaluation.verdicts.map((v) => [v.ruleId, v.matched, v.reached]), [['staging', false, true], ['checkout', true, true], ['all', true, false]]);
    const decision = decideForRule(evaluation.matched, evaluation.verdicts[1], rules.length);
    assert.equal(decision.action, 'draft-fix');
    assert.deepEqual(decision.fix?.strategies, ['revert', 'template']);
    assert.equal(decision.fix?.requireApproval, false);
  });

  test('controls: the kill switch downgrades a fix to triage with the reason; approval severities set requireApproval', () => {
    const draft = ruleSchema.parse({ id: 'fix', action: 'draft-fix' });
    const proposed = decideForRule(draft, { ruleId: 'fix', matched: true, reached: true, alertIndex: 0, conditions: [] }, 1);
    const state = { runtimeKillSwitch: { enabled: true, by: 'cli:alice' }, fixAttempts: 0, fixesByRuleLastHour: 0, at: Date.parse(AT) };
    const killed = applyControls(proposed, { rule: draft, controls: DEFAULT_CONTROLS, severity: 'error', state });
    assert.equal(killed.action, 'triage');
    assert.equal(killed.downgradedFrom, 'draft-fix');
    assert.equal(killed.fix, null);
    assert.match(killed.reasons.at(-1)!, /downgraded from draft-fix to triage: the kill switch is on \(turned on by cli:alice\)/);
    const calm = { ...state, runtimeKillSwitch: null };
    const limited = applyControls(proposed, { rule: draft, controls: { ...DEFAULT_CONTROLS, maxFixesPerRulePerHour: 2 }, severity: 'error', state: { ...calm, fixesByRuleLastHour: 2 } });
    assert.match(limited.reasons.at(-1)!, /rule fix already started 2 fixes in the last hour \(limit 2 per hour\)/);
    const quiet = applyControls(proposed, { rule: draft, controls: { ...DEFAULT_CONTROLS, quietHours: { from: '02:00', to: '06:00', timezone: 'UTC' } }, severity: 'error', state: calm });
    assert.match(quiet.reasons.at(-1)!, /inside quiet hours 02:00-06:00/);
    const approval = applyControls(proposed, { rule: draft, controls: { ...DEFAULT_CONTROLS, approvalSeverities: ['critical'] }, severity: 'critical', state: calm });
    assert.equal(approval.action, 'draft-fix');
    assert.equal(approval.fix?.requireApproval, true);
  });

  test('shadowing: a catch-all or any earlier rule whose conditions are a subset', () => {
    const rules = [
      { match: ruleSchema.parse({ id: 'a', match: { service: ['checkout', 'cart'], minSeverity: 'warning' }, action: 'triage' }).match },
      { match: ruleSchema.parse({ id: 'b', match: { service: 'checkout', minSeverity: 'error', environment: 'production' }, action: 'triage' }).match },
      { match: ruleSchema.parse({ id: 'c', match: { service: 'checkout', minSeverity: 'info' }, action: 'triage' }).match },
      { match: {} },
      { match: ruleSchema.parse({ id: 'd', match: { service: 'payments' }, action: 'triage' }).match },
    ];
    assert.deepEqual(findShadowedRules(rules), [
      { index: 1, byIndex: 0, catchAll: false },
      { index: 4, byIndex: 3, catchAll: true },
    ]);
  });
});
