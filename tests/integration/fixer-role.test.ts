import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { createDefaultConfig } from '../../shared/config/create-default-config.js';
import type { NightshiftConfig } from '../../shared/config/index.js';
import { createEvent, deriveEventId } from '../../shared/events/create-event.js';
import type { RuleDecision } from '../../shared/events/incident-triaged.js';
import type { EventOf, NightshiftEvent } from '../../shared/events/registry.js';
import { createMetrics } from '../../shared/telemetry/create-metrics.js';
import { createSqliteStore } from '../../shared/store/index.js';
import type { Store } from '../../shared/store/store.js';
import { createFixerRole, type FixGates } from '../../services/fixer/create-fixer-role.js';
import { checkFixGates } from '../../services/triage/rules/check-fix-gates.js';
import type { TriageReport } from '../../services/triage/report/triage-report.js';
import { createTestGitRepo, lines, type TestGitRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/wait.js';
import { stockLookupReport } from '../helpers/stock-lookup-report.js';

const log = pino({ level: 'silent' });
const metrics = createMetrics();
const now = () => new Date('2026-11-21T03:00:00Z');
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const GOOD = lines('export function stockFor(records, sku) {', '  const record = records[sku];', '  return record ? record.count : 0;', '}');
const BAD = lines('export function stockFor(records, sku) {', '  return records[sku].count;', '}');

async function shopRepository(): Promise<{ repo: TestGitRepo; guilty: string; good: string }> {
  const repo = await createTestGitRepo();
  cleanups.push(() => repo.cleanup());
  await repo.commit({ message: 'inventory: stock lookup', files: { 'src/stock.js': GOOD, 'README.md': 'shop\n' }, date: new Date('2026-11-20T10:00:00Z') });
  const good = (await repo.git(['rev-parse', 'HEAD'])).trim();
  const guilty = await repo.commit({ message: 'inventory: simplify stock lookup', files: { 'src/stock.js': BAD }, date: new Date('2026-11-21T01:00:00Z') });
  return { repo, guilty, good };
}

function report(incidentId: string, guilty: string): TriageReport {
  return stockLookupReport({ incidentId, suspect: guilty });
}

function decision(overrides: Partial<NonNullable<RuleDecision['fix']>> = {}): RuleDecision {
  const fix = { strategies: ['revert' as const], modelTier: 'large', maxTokens: 50_000, maxUsd: 1, repositories: [], paths: [], verificationProfile: null, reviewers: ['oncall'], labels: ['incident'], requireApproval: false, ...overrides };
  return { action: 'draft-fix', ruleId: 'inventory-errors', reasons: ['service is inventory'], strategies: fix.strategies, fix };
}

async function setup(gates?: FixGates) {
  const { repo, guilty, good } = await shopRepository();
  const data = await tempDir('nightshift-fixer-');
  cleanups.push(data.cleanup);
  const config: NightshiftConfig = createDefaultConfig();
  config.dataDir = data.path;
  config.fixer.workspaceDir = join(data.path, 'workspaces');
  config.repositories = { shop: { path: repo.path, defaultBranch: 'main', pathPrefixes: [] } };
  config.services = { inventory: { repository: 'shop', sourceRoot: '', calls: [] } };
  const store = await createSqliteStore({ file: ':memory:', clock: now });
  cleanups.push(() => store.close());
  const role = createFixerRole(config, gates);
  const handle = (event: NightshiftEvent) => role.handlers[0]!.handle(event, { store, now, log, metrics });
  return { repo, guilty, good, store, handle, config };
}

async function triagedIncident(store: Store, id: string, guilty: string, ruling: RuleDecision) {
  await store.createIncident({ id, key: `fp-${id}`, title: 'TypeError in inventory', severity: 'error', services: ['inventory'] });
  const incident = await store.updateIncident(id, { triageReport: report(id, guilty), decision: ruling, status: 'triaged', alertCount: 3 });
  return createEvent(
    'incident.triaged.v1',
    {
      key: incident.key,
      payload: { incidentId: id, title: incident.title, severity: 'error', services: ['inventory'], alertCount: 3, rootCause: null, suspectCommit: null, decision: ruling },
    },
    { now },
  );
}

test('a triaged incident whose rule allows a revert gets one draft PR on the local forge; a redelivery comments instead', async () => {
  const { repo, guilty, good, store, handle, config } = await setup();
  const triaged = await triagedIncident(store, 'inc-1', guilty, decision());

  const out = await handle(triaged);
  assert.equal(out.length, 1);
  const drafted = out[0]!;
  assert.equal(drafted.type, 'fix.drafted.v1');
  if (drafted.type !== 'fix.drafted.v1') return;
  assert.equal(drafted.payload.strategy, 'revert');
  assert.equal(drafted.payload.branch, 'nightshift/inc-1');
  assert.deepEqual(drafted.payload.files, ['src/stock.js']);
  assert.equal(drafted.payload.baseSha, guilty);

  // The branch landed in the repository with the revert: the file is back to the good version.
  assert.equal(await repo.git(['show', `nightshift/inc-1:src/stock.js`]), GOOD);
  assert.equal((await repo.git(['rev-parse', 'nightshift/inc-1^'])).trim(), guilty);
  assert.notEqual(good, guilty);

  const pulls = await store.listPullRequests('inc-1');
  assert.deepEqual(pulls.map((pr) => [pr.repository, pr.number, pr.state]), [['shop', drafted.payload.pullRequest.number, 'draft']]);
  const record = JSON.parse(await readFile(join(config.dataDir, 'forge', 'shop', 'pulls', `${drafted.payload.pullRequest.number}.json`), 'utf8'));
  assert.equal(record.state, 'draft');
  assert.deepEqual(record.labels.sort(), ['incident', 'nightshift']);
  const body = await readFile(join(config.dataDir, 'forge', 'shop', 'pulls', `${drafted.payload.pullRequest.number}.md`), 'utf8');
  assert.match(body, /simplify stock lookup/);
  assert.match(body, /inventory/);

  const attempts = await store.listFixAttempts('inc-1');
  assert.deepEqual(attempts.map((a) => a.status), ['drafted']);
  assert.equal((await store.getIncident('inc-1'))?.status, 'fixing');

  // The same event again, and a re-triage: still one PR, and the PR hears about it. The draft is not
  // verified yet (its announcement may be what a crash lost), so each announces it again, unchanged.
  const reannounced = [...(await handle(triaged)), ...(await handle({ ...triaged, id: '00000000-0000-4000-8000-000000000001' }))];
  assert.deepEqual(reannounced.map((event) => event.payload), [drafted.payload, drafted.payload]);
  assert.equal((await store.listPullRequests('inc-1')).length, 1);
  const after = JSON.parse(await readFile(join(config.dataDir, 'forge', 'shop', 'pulls', `${drafted.payload.pullRequest.number}.json`), 'utf8'));
  assert.equal(after.comments.length, 2);
  assert.match(after.comments[0].body, /no second one is opened/);
});

test('a redelivery after a crash resumes the attempt the crash left pending instead of counting a second one', async () => {
  const { repo, guilty, store, handle, config } = await setup((input) => checkFixGates({ ...input, controls: { ...config.controls, maxFixAttemptsPerIncident: 1 } }));
  const triaged = await triagedIncident(store, 'inc-crash', guilty, decision());
  // What kill -9 in the middle of the first delivery leaves behind: its attempt, still pending.
  const crashedId = deriveEventId(triaged.id, -1);
  await store.createFixAttempt({ id: crashedId, incidentId: 'inc-crash', strategy: 'revert', repository: 'shop', status: 'pending' });

  const out = await handle(triaged);
  assert.equal(out.length, 1, 'the one attempt the incident may have is the interrupted one, so the gate lets it through');
  assert.equal(await repo.git(['show', 'nightshift/inc-crash:src/stock.js']), GOOD);
  const attempts = await store.listFixAttempts('inc-crash');
  assert.deepEqual(attempts.map((attempt) => [attempt.id, attempt.status]), [[crashedId, 'drafted']]);
  assert.ok((await store.listAudit({ incidentId: 'inc-crash' })).some((entry) => entry.action === 'fix-resumed'));

  // Another triaged delivery (a new event id) finds the open PR: it comments, and no attempt is added.
  const retry = await handle(createEvent('incident.triaged.v1', { key: triaged.key, payload: triaged.payload }, { now }));
  assert.deepEqual(retry.map((event) => event.type), ['fix.drafted.v1'], 'the unverified draft announced again, not a new one');
  assert.equal((await store.listFixAttempts('inc-crash')).length, 1);
});

/** The verifier's `failed` verdict on a drafted fix: the replay still fails on the fix. */
function failedVerification(triaged: NightshiftEvent, drafted: EventOf<'fix.drafted.v1'>) {
  const { incidentId, attemptId, pullRequest } = drafted.payload;
  return createEvent(
    'fix.verified.v1',
    {
      key: triaged.key,
      payload: { incidentId, attemptId, repository: 'shop', pullRequest, verdict: 'failed', replay: { base: 'failed', fix: 'failed' }, steps: [], readyForReview: false, summary: 'replay still fails' },
    },
    { now },
  );
}

test('a failed verification resumes the ladder after the failed strategy; with none left the incident and the PR say so', async () => {
  const { guilty, store, handle, config } = await setup();
  const triaged = await triagedIncident(store, 'inc-2', guilty, decision());
  const [drafted] = await handle(triaged);
  assert.equal(drafted?.type, 'fix.drafted.v1');
  if (drafted?.type !== 'fix.drafted.v1') return;
  await store.updateFixAttempt(drafted.payload.attemptId, { status: 'failed' });
  const verified = failedVerification(triaged, drafted);
  assert.deepEqual(await handle(verified), []);
  const audit = await store.listAudit({ incidentId: 'inc-2' });
  assert.ok(audit.some((entry) => entry.action === 'fix-exhausted'));
  assert.equal((await store.listPullRequests('inc-2')).length, 1);
  const comments = JSON.parse(await readFile(join(config.dataDir, 'forge', 'shop', 'pulls', `${drafted.payload.pullRequest.number}.json`), 'utf8')).comments as Array<{ body: string }>;
  assert.match(comments.at(-1)?.body ?? '', /tried every strategy rule inventory-errors allows \(revert\); none passed verification/);
});

test('a rule with onVerificationFailure: close closes the PR after a failed verification instead of trying the next strategy', async () => {
  const { guilty, store, handle, config } = await setup();
  const triaged = await triagedIncident(store, 'inc-close', guilty, decision({ strategies: ['revert', 'template'], onVerificationFailure: 'close' }));
  const [drafted] = await handle(triaged);
  if (drafted?.type !== 'fix.drafted.v1') return assert.fail('no draft');
  await store.updateFixAttempt(drafted.payload.attemptId, { status: 'failed' });
  const verified = failedVerification(triaged, drafted);
  assert.deepEqual(await handle(verified), [], 'no template candidate is drafted');
  assert.equal((await store.listFixAttempts('inc-close')).length, 1);
  assert.deepEqual((await store.listPullRequests('inc-close')).map((pr) => pr.state), ['closed']);
  const record = JSON.parse(await readFile(join(config.dataDir, 'forge', 'shop', 'pulls', `${drafted.payload.pullRequest.number}.json`), 'utf8'));
  assert.equal(record.state, 'closed');
  assert.match(record.comments.at(-1).body, /rule inventory-errors closes the pull request .*\/nightshift retry/);
  assert.ok((await store.listAudit({ incidentId: 'inc-close' })).some((entry) => entry.action === 'fix-closed'));
});

test('the diff policy and the rule paths reject a candidate, and a closed gate stops the fixer, each with the reason recorded', async () => {
  const { guilty, store, handle } = await setup();
  const outside = await triagedIncident(store, 'inc-3', guilty, decision({ paths: ['docs/**'] }));
  assert.deepEqual(await handle(outside), []);
  const [attempt] = await store.listFixAttempts('inc-3');
  assert.equal(attempt?.status, 'rejected');
  assert.match(attempt?.error ?? '', /revert: the diff policy rejected it: .*src\/stock\.js/);
  assert.deepEqual(await store.listPullRequests('inc-3'), []);

  const gated = await setup(async ({ incidentId }) => ({ allowed: false, reason: `kill switch is on (${incidentId})` }));
  const event = await triagedIncident(gated.store, 'inc-4', gated.guilty, decision());
  assert.deepEqual(await gated.handle(event), []);
  const audit = await gated.store.listAudit({ incidentId: 'inc-4' });
  assert.deepEqual(audit.map((entry) => [entry.action, (entry.detail as { reason: string }).reason]), [['fix-gated', 'kill switch is on (inc-4)']]);
  assert.deepEqual(await gated.store.listFixAttempts('inc-4'), []);
});

test('a rule that requires approval parks the fix until someone approves it', async () => {
  const { guilty, store, handle } = await setup();
  const triaged = await triagedIncident(store, 'inc-6', guilty, decision({ requireApproval: true }));
  assert.deepEqual(await handle(triaged), []);
  assert.deepEqual((await store.listAudit({ incidentId: 'inc-6' })).map((entry) => entry.action), ['fix-awaiting-approval']);
  await store.appendAudit({ incidentId: 'inc-6', actor: 'api:bob', action: 'fix-approved', detail: {} });
  const out = await handle({ ...triaged, id: '00000000-0000-4000-8000-000000000006' });
  assert.equal(out[0]?.type, 'fix.drafted.v1');
  assert.equal((await store.listPullRequests('inc-6')).length, 1);
});

test('an incident the rule only triages is left alone', async () => {
  const { guilty, store, handle } = await setup();
  const triaged = await triagedIncident(store, 'inc-5', guilty, { action: 'triage', ruleId: null, reasons: ['default'], strategies: [] });
  assert.deepEqual(await handle(triaged), []);
  assert.deepEqual(await store.listFixAttempts('inc-5'), []);
});
