import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/wait.js';

const monitor = fileURLToPath(new URL('../../../tests/fixtures/datadog/monitor-triggered.json', import.meta.url));

test('rules explain: matched, unmatched and shadowed rules through the live receivers and decision path', async (t) => {
  const dir = await tempDir('rules-explain-');
  t.after(dir.cleanup);
  await writeFile(
    join(dir.path, 'nightshift.yaml'),
    `rules:
  - id: staging-only
    match: { environment: staging }
    action: ignore
  - id: checkout-payments
    match: { service: checkout, tags: { team: payments }, minSeverity: error }
    action: draft-fix
    fix: { strategies: [revert, llm], maxUsd: 3 }
  - id: checkout-any
    match: { service: [checkout, cart], timeOfDay: { from: "00:00", to: "12:00" } }
    action: notify
controls:
  approvalSeverities: [error]
`,
  );
  const run = await runCli(['rules', 'explain', '--alert', monitor, '--source', 'datadog', '--json'], { cwd: dir.path });
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(out.alert.service, 'checkout');
  assert.equal(out.matched, 'checkout-payments');
  const [unmatched, matched, shadowed] = out.rules;
  assert.deepEqual([unmatched.ruleId, unmatched.matched, unmatched.reached], ['staging-only', false, true]);
  assert.deepEqual(unmatched.conditions, [{ condition: 'environment', passed: false, reason: 'environment is "production", not "staging"' }]);
  assert.deepEqual([matched.matched, matched.conditions.every((c: { passed: boolean }) => c.passed)], [true, true]);
  assert.deepEqual([shadowed.ruleId, shadowed.matched, shadowed.reached], ['checkout-any', true, false]);
  assert.equal(out.decision.action, 'draft-fix');
  assert.equal(out.decision.fix.requireApproval, true);
  assert.deepEqual(out.decision.fix.strategies, ['revert', 'llm']);

  const text = await runCli(['rules', 'explain', '--alert', monitor, '--source', 'datadog'], { cwd: dir.path });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /rule staging-only: no match\n {2}FAIL environment: environment is "production", not "staging"/);
  assert.match(text.stdout, /rule checkout-payments: MATCHED/);
  assert.match(text.stdout, /rule checkout-any: SHADOWED \(would match, but an earlier rule decided\)/);
  assert.match(text.stdout, /decision: draft-fix \(rule checkout-payments\)/);

  const unnamed = await runCli(['rules', 'explain', '--alert', monitor], { cwd: dir.path });
  assert.equal(unnamed.code, 2);
  assert.match(unnamed.stderr, /give --source sentry\|datadog/);
});
