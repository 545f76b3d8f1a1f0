import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { ConfigError } from '../../shared/config/index.js';
import { loadRuleSet } from '../../services/triage/rules/load-rule-set.js';
import { runCli } from '../helpers/cli.js';

const dir = fileURLToPath(new URL('../../../tests/fixtures/rules/', import.meta.url));

function problems(name: string): string[] {
  try {
    loadRuleSet({ ruleFiles: [`${dir}${name}`], cwd: dir, modelTiers: ['small', 'large'] });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message.split('\n');
  }
  assert.fail(`${name} was accepted`);
}

describe('rules validation', () => {
  test('a valid file loads, its defaults filled in', () => {
    const loaded = loadRuleSet({ ruleFiles: [`${dir}valid.yaml`], modelTiers: ['small'] });
    assert.deepEqual(loaded.rules.map((rule) => rule.id), ['checkout-null-deref', 'noisy-staging', 'default']);
    assert.equal(loaded.rules[0]!.fix?.maxTokens, 50_000);
  });

  test('unknown keys, wrong types and contradicting limits: file:line:column, key path, hint', () => {
    assert.deepEqual(problems('malformed.yaml'), [
      'malformed.yaml:4:7: rules[0].match.servce: unknown key "servce" (did you mean "service"?); allowed here: source, kind, service, environment, minSeverity, tags, errorType, message, title, release, count, rate, timeOfDay',
      'malformed.yaml:5:20: rules[0].match.minSeverity: expected one of "info", "warning", "error", "critical", got "fatal"',
      'malformed.yaml:8:18: rules[0].fix.maxTokens: expected a whole number >= 1, got "many"',
      'malformed.yaml:12:10: rules[1].fix: is given but action is "notify", which drafts no fix (remove fix, or use action draft-fix or auto-revert)',
      'malformed.yaml:16:39: rules[2].fix.maxUsd: is 0 but strategies include "llm", which can never run without a budget (raise maxUsd or drop llm)',
      'malformed.yaml:20:24: rules[3].fix.strategies: leaves out "revert" but action is auto-revert (add revert, or use action draft-fix)',
    ]);
  });

  test('hostile files: a YAML bomb, a huge regex, catastrophic and invalid patterns are refused quickly', () => {
    const started = Date.now();
    assert.deepEqual(problems('yaml-bomb.yaml'), ['yaml-bomb.yaml:2:8: aliases expand to too many values (an "alias bomb"); write the values out instead']);
    assert.match(problems('huge-regex.yaml')[0]!, /^huge-regex\.yaml:4:16: rules\[0\]\.match\.message: is 1201 characters long; a pattern may have at most 512/);
    const [redos, broken, ...rest] = problems('catastrophic.yaml');
    assert.match(redos!, /^catastrophic\.yaml:7:16: rules\[1\]\.match\.message: backtracks catastrophically \(exponential;.*\(remove nested quantifiers/);
    assert.match(broken!, /^catastrophic\.yaml:11:14: rules\[2\]\.match\.title: is not a valid regular expression: .*Unterminated group/);
    assert.deepEqual(rest, []);
    assert.ok(Date.now() - started < 5000, `validation took ${Date.now() - started} ms`);
  });

  test('a rule behind a catch-all, or behind a rule whose conditions are a subset of its own, is shadowed', () => {
    assert.deepEqual(problems('shadowed.yaml'), [
      'shadowed.yaml:6:12: rules[1].match: rule "checkout-prod" can never match: rule "checkout" (shadowed.yaml:2) comes first and matches everything this rule matches (move this rule above it, or narrow that one)',
      'shadowed.yaml:11:12: rules[3].match: rule "payments" can never match: rule "catch-all" (shadowed.yaml:8) comes first and is a catch-all (no conditions) (move this rule above it, or narrow that one)',
    ]);
  });

  test('nightshift rules validate exits 2 with the problems, 0 on a valid file', async () => {
    const bad = await runCli(['rules', 'validate', 'catastrophic.yaml'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^nightshift: catastrophic\.yaml:7:16: rules\[1\]\.match\.message: backtracks catastrophically/);
    const good = await runCli(['rules', 'validate', 'valid.yaml'], { cwd: dir });
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /^3 rules valid/);
  });
});
