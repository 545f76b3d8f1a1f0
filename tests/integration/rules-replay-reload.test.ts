import assert from 'node:assert/strict';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import pino from 'pino';
import { ruleSchema, DEFAULT_CONTROLS } from '../../shared/config/rules-schema.js';
import { createSqliteStore } from '../../shared/store/create-sqlite-store.js';
import type { Store } from '../../shared/store/store.js';
import { createRuleBook } from '../../services/triage/rules/create-rule-book.js';
import { loadRuleSet } from '../../services/triage/rules/load-rule-set.js';
import { replayRules } from '../../services/triage/rules/replay-rules.js';
import { watchRuleSet } from '../../services/triage/rules/watch-rule-set.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, waitFor } from '../helpers/wait.js';

const DAY = 86_400_000;
const NOW = Date.now();

async function seed(store: Store, n: number, service: string, { ageMs, decision, pr = false }: { ageMs: number; decision: unknown; pr?: boolean }) {
  const id = `inc-${n}`;
  const at = new Date(NOW - ageMs).toISOString();
  await store.createIncident({ id, key: `fp-${n}`, title: `${service} is failing`, severity: 'error', services: [service] });
  const payload = {
    source: 'sentry', channel: 'webhook', deliveryId: `d-${n}`, kind: 'issue', action: 'created', status: 'firing', severity: 'error',
    title: `TypeError in ${service}`, fingerprint: `fp-${n}`, service, environment: 'production', links: [], tags: {}, traceIds: [], requestIds: [],
    error: { type: 'TypeError', value: 'x is undefined', frames: [] }, firedAt: at, receivedAt: at,
  };
  await store.insertAlert({ id: `a-${n}`, source: 'sentry', deliveryId: `d-${n}`, incidentId: id, fingerprint: `fp-${n}`, kind: 'issue', title: payload.title, service, severity: 'error', receivedAt: at, payload });
  await store.updateIncident(id, { decision, status: 'triaged' });
  if (pr) {
    await store.createFixAttempt({ id: `fix-${n}`, incidentId: id, strategy: 'revert' });
    await store.linkPullRequest({ incidentId: id, attemptId: `fix-${n}`, repository: 'shop', number: n, url: `https://x/${n}` });
  }
}

const triage = { action: 'triage', ruleId: null, reasons: [], strategies: [] };
const fix = { action: 'draft-fix', ruleId: 'old-fix', reasons: [], strategies: ['revert'], fix: { strategies: ['revert'], modelTier: 'small', maxTokens: 1, maxUsd: 1, repositories: [], paths: [], verificationProfile: null, reviewers: [], labels: [], requireApproval: false } };

describe('rules replay and hot reload', () => {
  test('replay over a seeded SQLite store: action changes, PRs that would and would not open, LLM budget', async (t) => {
    const dir = await tempDir('rules-replay-');
    t.after(dir.cleanup);
    const store = await createSqliteStore({ file: join(dir.path, 'data', 'nightshift.sqlite'), clock: () => new Date(NOW) });
    await seed(store, 1, 'checkout', { ageMs: 2 * DAY, decision: triage });
    await seed(store, 2, 'checkout', { ageMs: 1 * DAY, decision: triage });
    await seed(store, 3, 'search', { ageMs: 3 * DAY, decision: fix, pr: true });
    await seed(store, 4, 'web', { ageMs: 1 * DAY, decision: triage });
    await seed(store, 5, 'checkout', { ageMs: 10 * DAY, decision: triage });
    await store.close();
    const candidate = `rules:
  - id: checkout-llm
    match: { service: checkout }
    action: draft-fix
    fix: { strategies: [revert, llm], maxUsd: 2.5 }
  - id: rest
    action: triage
`;
    await writeFile(join(dir.path, 'candidate.yaml'), candidate);

    const reopened = await createSqliteStore({ file: join(dir.path, 'data', 'nightshift.sqlite'), clock: () => new Date(NOW) });
    const set = { ...loadRuleSet({ ruleFiles: [join(dir.path, 'candidate.yaml')] }), controls: DEFAULT_CONTROLS };
    const report = await replayRules({ store: reopened, candidate: set, since: new Date(NOW - 7 * DAY) });
    await reopened.close();
    assert.equal(report.incidents, 4, 'the 10-day-old incident is outside the period');
    assert.deepEqual(report.changes.map((c) => [c.incidentId, c.before.action, c.after.action, c.after.ruleId, c.pullRequest]), [
      ['inc-3', 'draft-fix', 'triage', 'rest', 'would-not-open'],
      ['inc-1', 'triage', 'draft-fix', 'checkout-llm', 'would-open'],
      ['inc-2', 'triage', 'draft-fix', 'checkout-llm', 'would-open'],
      ['inc-4', 'triage', 'triage', 'rest', null],
    ]);
    assert.deepEqual(report.pullRequests, { wouldOpen: 2, wouldNotOpen: 1 });
    assert.deepEqual(report.llmBudgetUsd, { before: 0, after: 5 });
    assert.deepEqual(report.actions, { before: { 'draft-fix': 1, triage: 3 }, after: { triage: 2, 'draft-fix': 2 } });

    const cli = await runCli(['rules', 'replay', '--since', '7d', '--rules', 'candidate.yaml', '--json'], { cwd: dir.path, env: { NIGHTSHIFT_DATA_DIR: join(dir.path, 'data') } });
    assert.equal(cli.code, 0, cli.stderr);
    const fromCli = JSON.parse(cli.stdout);
    assert.deepEqual(fromCli.pullRequests, { wouldOpen: 2, wouldNotOpen: 1 });
    assert.equal(fromCli.changes.length, 4);
  });

  test('hot reload: a good change replaces the rules, a bad one keeps them and logs why', async (t) => {
    const dir = await tempDir('rules-reload-');
    t.after(dir.cleanup);
    const configFile = join(dir.path, 'nightshift.yaml');
    const rulesDir = join(dir.path, 'rules');
    await mkdir(rulesDir);
    await writeFile(configFile, 'rules:\n  - id: first\n    match: { service: payments }\n    action: triage\n');
    const sources = { configFile, rulesDir, cwd: dir.path };
    const book = createRuleBook(loadRuleSet(sources));
    const lines: { msg: string; problems?: string[] }[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const outcomes: string[] = [];
    const watcher = watchRuleSet({ book, sources, log, debounceMs: 50, onReload: (outcome) => outcomes.push(outcome) });
    t.after(() => watcher.close());

    await writeFile(join(rulesDir, 'checkout.yaml'), 'rules:\n  - id: checkout\n    match: { service: checkout }\n    action: notify\n');
    await waitFor(() => book.current().rules.length === 2, { what: 'the new rule file to load' });
    assert.deepEqual(book.current().rules.map((r) => r.id), ['first', 'checkout']);
    assert.ok(ruleSchema.safeParse(book.current().rules[1]).success);

    await writeFile(join(rulesDir, 'checkout.yaml'), 'rules:\n  - id: checkout\n    match: { servce: checkout }\n    action: notify\n');
    await waitFor(() => outcomes.includes('rejected'), { what: 'the bad change to be refused' });
    assert.deepEqual(book.current().rules.map((r) => r.id), ['first', 'checkout']);
    const refused = lines.find((line) => line.msg === 'rule change refused, the previous rules stay in force');
    assert.match(refused?.problems?.[0] ?? '', /^rules\/checkout\.yaml:3:14: rules\[0\]\.match\.servce: unknown key "servce"/);
  });
});
