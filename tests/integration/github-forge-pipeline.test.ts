import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createDefaultConfig } from '../../shared/config/create-default-config.js';
import type { NightshiftConfig } from '../../shared/config/index.js';
import { createEvent } from '../../shared/events/create-event.js';
import type { FixStrategyName, RuleDecision } from '../../shared/events/incident-triaged.js';
import type { EventOf, NightshiftEvent } from '../../shared/events/registry.js';
import { createMetrics } from '../../shared/telemetry/create-metrics.js';
import { createSqliteStore } from '../../shared/store/index.js';
import type { Store } from '../../shared/store/store.js';
import { createFixerRole } from '../../services/fixer/create-fixer-role.js';
import { createVerifierRole } from '../../services/verifier/create-verifier-role.js';
import type { TriageReport } from '../../services/triage/report/triage-report.js';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.js';
import { createTestGitRepo, lines, type TestGitRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/wait.js';
import { stockLookupReport } from '../helpers/stock-lookup-report.js';

/**
 * The fixer role and the verifier role with `fixer.forge: github`, exactly as configured in production
 * (a GitHub App, the API root pointing at the fake): the fix branch is pushed over real HTTP to the
 * repository's clone URL the forge derives from the API root, the PR and the check go through
 * @octokit/rest, and every request and answer is checked against GitHub's OpenAPI description.
 */

const log = pino({ level: 'silent' });
const metrics = createMetrics();
const now = () => new Date('2026-11-21T03:00:00Z');
const APP = { appId: 9191, slug: 'nightshift-ci', installationId: 4040 };
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const BOT = `${APP.slug}[bot]`;
// A personal access token of a bot account: the forge's token auth, and what the test pushes `main` with.
const USER_TOKEN = 'ghp_NIGHTSHIFTbot0123456789abcdefghijklmnop';

const GOOD = lines('export function stockFor(records, sku) {', '  const record = records[sku];', '  return record ? record.count : 0;', '}');
const BAD = lines('export function stockFor(records, sku) {', '  return records[sku].count;', '}');
const BAD_WITH_UNITS = lines('export function stockFor(records, sku) {', '  return records[sku].count;', '}', "export const UNITS = 'pcs';");
// Red while stockFor crashes on an unknown SKU, green once it answers 0.
// It also prints a credential-shaped string, as careless test output does: the step logs people read must not carry it.
const LEAKED_TOKEN = 'ghp_LEAKEDinTestOutput0123456789abcdefgh';
const REGRESSION = lines(
  "import assert from 'node:assert/strict';",
  `console.log('using deploy token ${LEAKED_TOKEN}');`,
  "import { stockFor } from '../src/stock.js';",
  "assert.equal(stockFor({ a: { count: 2 } }, 'a'), 2);",
  "assert.doesNotThrow(() => stockFor({}, 'missing'));",
);

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/**
 * A shop repository whose last commit is the suspect. `culprit: true`: the suspect introduced the crash
 * (its revert fixes it). `culprit: false`: the crash predates it (its revert fixes nothing).
 * `main` is pushed to the fake over HTTP with the user token, so the PR has a base.
 */
async function shopRepository(fake: FakeGithub, slug: string, culprit: boolean): Promise<{ repo: TestGitRepo; suspect: string }> {
  const repo = await createTestGitRepo();
  cleanups.push(() => repo.cleanup());
  await repo.commit({
    message: 'inventory: stock lookup',
    date: new Date('2026-11-20T10:00:00Z'),
    files: { 'src/stock.js': culprit ? GOOD : BAD, 'test/stock.test.mjs': REGRESSION, '.github/CODEOWNERS': lines('src/ @alice'), 'README.md': 'shop\n' },
  });
  const suspect = await repo.commit({
    message: culprit ? 'inventory: simplify stock lookup' : 'inventory: name the stock unit',
    date: new Date('2026-11-21T01:00:00Z'),
    files: { 'src/stock.js': culprit ? BAD : BAD_WITH_UNITS },
  });
  const basic = Buffer.from(`x-access-token:${USER_TOKEN}`).toString('base64');
  await repo.git(['-c', `http.extraHeader=Authorization: Basic ${basic}`, 'push', '--quiet', `${fake.url}/${slug}.git`, 'main']);
  return { repo, suspect };
}

function report(incidentId: string, suspect: string, subject: string): TriageReport {
  return stockLookupReport({ incidentId, suspect, subject });
}

const decision = (strategies: FixStrategyName[] = ['revert']): RuleDecision => ({
  action: 'draft-fix',
  ruleId: 'inventory-errors',
  reasons: ['service is inventory'],
  strategies,
  fix: { strategies, modelTier: 'large', maxTokens: 50_000, maxUsd: 1, repositories: [], paths: [], verificationProfile: null, reviewers: ['oncall'], labels: ['incident'], requireApproval: false },
});

interface Pipeline {
  fake: FakeGithub;
  slug: string;
  repo: TestGitRepo;
  suspect: string;
  store: Store;
  fixer(event: NightshiftEvent): Promise<NightshiftEvent[]>;
  verifier(event: NightshiftEvent): Promise<NightshiftEvent[]>;
  triaged(incidentId: string, subject: string, strategies?: FixStrategyName[]): Promise<EventOf<'incident.triaged.v1'>>;
}

/** `auth: 'token'` is a personal access token, which cannot create check runs: the verdict becomes a commit status. */
async function pipeline(fake: FakeGithub, slug: string, culprit: boolean, auth: 'app' | 'token' = 'app'): Promise<Pipeline> {
  const { repo, suspect } = await shopRepository(fake, slug, culprit);
  const data = await tempDir('nightshift-github-pipeline-');
  cleanups.push(data.cleanup);
  const config: NightshiftConfig = createDefaultConfig();
  config.dataDir = data.path;
  config.fixer.workspaceDir = join(data.path, 'workspaces');
  config.fixer.forge = 'github';
  config.fixer.github =
    auth === 'app' ? { apiUrl: fake.url, appId: APP.appId, privateKey: keys.privateKey, installationId: APP.installationId } : { apiUrl: fake.url, token: USER_TOKEN };
  config.repositories = { shop: { path: repo.path, slug, defaultBranch: 'main', pathPrefixes: [] } };
  config.services = { inventory: { repository: 'shop', sourceRoot: '', calls: [] } };
  config.verifier.profiles = { shop: { regressionTest: ['node', 'test/stock.test.mjs'], timeouts: { stepMs: 60_000 }, memoryMb: 512 } };
  config.verifier.repositories = { shop: 'shop' };
  const store = await createSqliteStore({ file: ':memory:', clock: now });
  cleanups.push(() => store.close());
  const deps = { store, now, log, metrics };
  const fixerRole = createFixerRole(config);
  const verifierRole = createVerifierRole(config);
  return {
    fake,
    slug,
    repo,
    suspect,
    store,
    fixer: (event) => fixerRole.handlers[0]!.handle(event, deps),
    verifier: (event) => verifierRole.handlers[0]!.handle(event, deps),
    async triaged(incidentId, subject, strategies) {
      const ruling = decision(strategies);
      await store.createIncident({ id: incidentId, key: `fp-${incidentId}`, title: 'TypeError in inventory', severity: 'error', services: ['inventory'] });
      const incident = await store.updateIncident(incidentId, { triageReport: report(incidentId, suspect, subject), decision: ruling, status: 'triaged', alertCount: 3 });
      return createEvent(
        'incident.triaged.v1',
        { key: incident.key, payload: { incidentId, title: incident.title, severity: 'error', services: ['inventory'], alertCount: 3, rootCause: null, suspectCommit: null, decision: ruling } },
        { now },
      );
    },
  };
}

function onlyDrafted(events: NightshiftEvent[]): EventOf<'fix.drafted.v1'> {
  assert.equal(events.length, 1, `expected one fix.drafted.v1, got ${events.map((e) => e.type).join(', ') || 'nothing'}`);
  const drafted = events[0]!;
  assert.equal(drafted.type, 'fix.drafted.v1');
  return drafted as EventOf<'fix.drafted.v1'>;
}

function onlyVerified(events: NightshiftEvent[]): EventOf<'fix.verified.v1'> {
  assert.equal(events.length, 1);
  assert.equal(events[0]!.type, 'fix.verified.v1');
  return events[0] as EventOf<'fix.verified.v1'>;
}

/** The body minus what verification changes: the summary's verdict and the Verification section. */
const withoutVerification = (body: string) => body.replace(/\*\*Verification:\*\*.*$/m, '').replace(/^#+ Verification\n[\s\S]*?(?=^#+ |^---)/m, '');

const operations = (fake: FakeGithub, slug: string, from = 0) =>
  fake.requests
    .slice(from)
    .filter((r) => r.operationId === 'graphql' || r.path.startsWith(`/repos/${slug}/`))
    .map((r) => `${r.operationId} ${r.status}`);

describe('the fixer and the verifier on the github forge, against a fake GitHub validated by the OpenAPI description', () => {
  let fake: FakeGithub;

  before(async () => {
    fake = await startFakeGithub({
      repositories: {
        'acme/shop': { collaborators: ['alice', 'oncall'] },
        'acme/depot': { collaborators: ['alice', 'oncall'] },
        'acme/store': { collaborators: ['alice', 'oncall'] },
        'acme/kiosk': { collaborators: ['alice', 'oncall'] },
      },
      app: { ...APP, publicKey: keys.publicKey },
      token: { value: USER_TOKEN, login: 'nightshift-bot' },
    });
    cleanups.push(() => fake.close());
  });

  it('a triaged incident becomes a draft PR; verification red to green checks it, comments, marks it ready and asks reviewers', async () => {
    const p = await pipeline(fake, 'acme/shop', true);
    const remote = fake.repositories.get(p.slug)!;
    const triaged = await p.triaged('inc-1', 'inventory: simplify stock lookup');

    const drafted = onlyDrafted(await p.fixer(triaged));
    assert.equal(drafted.payload.branch, 'nightshift/inc-1');
    assert.equal(drafted.payload.baseSha, p.suspect);
    assert.deepEqual(drafted.payload.files, ['src/stock.js']);

    // The fix commit is on the branch in the served remote, its parent the suspect, its file the good version.
    const remoteGit = (args: string[]) => p.repo.git(['--git-dir', remote.gitDir, ...args]);
    assert.equal((await remoteGit(['rev-parse', 'refs/heads/nightshift/inc-1'])).trim(), drafted.payload.headSha);
    assert.equal((await remoteGit(['rev-parse', `${drafted.payload.headSha}^`])).trim(), p.suspect);
    assert.equal(await remoteGit(['show', `${drafted.payload.headSha}:src/stock.js`]), GOOD);
    // It got there over HTTP, authenticated with the App's installation token in a header.
    const pushedWith = fake.gitAuthorizations.map((h) => Buffer.from(h.split(' ')[1] ?? '', 'base64').toString());
    assert.ok(pushedWith.some((credential) => credential.startsWith('x-access-token:ghs_')), 'git pushed with the installation token');

    assert.equal(remote.pulls.length, 1);
    const pr = remote.pulls[0]!;
    assert.equal(drafted.payload.pullRequest.number, pr.number);
    assert.equal(drafted.payload.pullRequest.url, `${fake.url}/${p.slug}/pull/${pr.number}`);
    assert.equal(pr.draft, true, 'opened as a draft');
    assert.equal(pr.author, BOT);
    assert.equal(pr.head, 'nightshift/inc-1');
    assert.equal(pr.base, 'main');
    assert.match(pr.body, /simplify stock lookup/);
    assert.match(pr.body, new RegExp(p.suspect.slice(0, 7)));
    assert.match(pr.body, /Not verified yet: the verifier will update this section/);
    const draftBody = pr.body;
    assert.deepEqual(pr.labels.sort(), ['incident', 'nightshift']);
    assert.deepEqual(pr.requestedReviewers, [], 'a draft pings nobody before it is verified');
    assert.deepEqual((await p.store.listPullRequests('inc-1')).map((l) => [l.number, l.state]), [[pr.number, 'draft']]);

    const beforeVerification = fake.requests.length;
    const verified = onlyVerified(await p.verifier(drafted));
    assert.equal(verified.payload.verdict, 'passed', verified.payload.summary);
    assert.equal(verified.payload.readyForReview, true);

    // One check run: created in_progress when verification started, completed with the verdict and the step logs.
    const run = remote.checkRuns.at(-1);
    assert.equal(remote.checkRuns.length, 1);
    assert.equal(run?.name, 'nightshift/verification');
    assert.equal(run?.headSha, drafted.payload.headSha);
    assert.deepEqual(run?.history, ['in_progress', 'completed/success']);
    assert.equal(run?.status, 'completed');
    assert.equal(run?.conclusion, 'success');
    assert.ok(run?.completedAt && run.startedAt <= run.completedAt);
    assert.equal(run?.output?.title, 'Red to green: the fix is verified');
    assert.match(run?.output?.summary ?? '', /regression test fails on the base and passes on the fix/);
    const text = run?.output?.text ?? '';
    for (const step of ['regression test (base)', 'regression test (fix)']) assert.ok(text.includes(`### ${step}`), `the output text holds the ${step} log`);
    assert.match(text, /using deploy token \[REDACTED\]/, 'the step log is there, its credential redacted');
    assert.ok(!text.includes(LEAKED_TOKEN));
    // The store knows which check run reported this verification.
    const [recorded] = await p.store.listVerifications('inc-1');
    assert.deepEqual((recorded?.report as { check?: unknown }).check, {
      repository: 'shop',
      headSha: drafted.payload.headSha,
      name: 'nightshift/verification',
      kind: 'check-run',
      id: run?.id,
      resumed: false,
      startedAt: run?.startedAt,
    });
    assert.deepEqual(pr.comments, [verified.payload.summary]);
    // The body's verification section says what the verifier found, as it promised; the rest is unchanged.
    assert.doesNotMatch(pr.body, /not verified yet/i);
    assert.match(pr.body, /\*\*Verification:\*\* ✅ passed/);
    assert.match(pr.body, /^#+ Verification\n+✅ passed — /m);
    assert.equal(withoutVerification(pr.body), withoutVerification(draftBody), 'only the verification parts change');
    assert.equal(pr.draft, false, 'marked ready through GraphQL');
    assert.deepEqual(pr.requestedReviewers.sort(), ['alice', 'oncall'], 'the rule reviewer and the CODEOWNERS owner of src/');
    assert.ok(!pr.labels.includes('nightshift:verification-failed'));
    assert.deepEqual((await p.store.listPullRequests('inc-1')).map((l) => l.state), ['ready']);
    assert.deepEqual(
      operations(fake, p.slug, beforeVerification).filter((o) => !o.startsWith('repos/get-content')),
      [
        'checks/list-for-ref 200',
        'checks/create 201',
        'checks/update 200',
        'issues/create-comment 201',
        'pulls/update 200',
        'pulls/get 200',
        'graphql 200',
        'pulls/request-reviewers 201',
      ],
    );

    // A redelivered fix.drafted re-announces the recorded verdict and touches GitHub no more.
    const beforeRedelivery = fake.requests.length;
    assert.equal(onlyVerified(await p.verifier(drafted)).payload.verdict, 'passed');
    assert.equal(fake.requests.length, beforeRedelivery);
    assert.equal(remote.checkRuns.length, 1);

    // No credential reached what people read.
    const installationTokens = fake.requests.map((r) => r.authorization ?? '').filter((a) => a.startsWith('token ghs_')).map((a) => a.slice('token '.length));
    assert.ok(installationTokens.length > 0);
    for (const text of [pr.body, pr.title, ...pr.comments, run?.output?.summary ?? '', run?.output?.text ?? '']) {
      for (const secret of [...installationTokens, keys.privateKey.split('\n')[1]!]) assert.ok(!text.includes(secret));
    }
    assert.deepEqual(fake.violations, []);
  });

  it('a fix that fails verification stays a draft, labelled, with a failed check; the next strategy replaces it on the same PR', async () => {
    const p = await pipeline(fake, 'acme/depot', false);
    const remote = fake.repositories.get(p.slug)!;
    const drafted = onlyDrafted(await p.fixer(await p.triaged('inc-2', 'inventory: name the stock unit', ['revert', 'template'])));
    assert.equal(drafted.payload.strategy, 'revert');
    const pr = remote.pulls.find((pull) => pull.number === drafted.payload.pullRequest.number)!;
    assert.equal(pr.draft, true);

    const verified = onlyVerified(await p.verifier(drafted));
    assert.equal(verified.payload.verdict, 'failed', verified.payload.summary);
    assert.equal(verified.payload.readyForReview, false);

    assert.equal(remote.checkRuns.length, 1);
    assert.equal(remote.checkRuns[0]?.headSha, drafted.payload.headSha);
    assert.deepEqual(remote.checkRuns[0]?.history, ['in_progress', 'completed/failure']);
    assert.match(remote.checkRuns[0]?.output?.text ?? '', /### regression test \(fix\)/);
    assert.equal(remote.checkRuns[0]?.output?.title, 'Verification failed');
    assert.match(remote.checkRuns[0]?.output?.summary ?? '', /regression test does not pass on the fix/);
    assert.equal(pr.draft, true, 'stays a draft');
    assert.match(pr.body, /\*\*Verification:\*\* ❌ failed/);
    assert.doesNotMatch(pr.body, /not verified yet/i);
    assert.ok(pr.labels.includes('nightshift:verification-failed'));
    assert.deepEqual(pr.comments, [verified.payload.summary]);
    assert.deepEqual(pr.requestedReviewers, []);
    assert.equal(fake.requests.filter((r) => r.operationId === 'graphql' && r.path === '/graphql').length, 1, 'only the first case marked a PR ready');
    assert.deepEqual((await p.store.listPullRequests('inc-2')).map((l) => l.state), ['draft']);

    // The fixer hears the verdict and tries the next rung on the same PR: a guard at the crash, which holds.
    const redrafted = onlyDrafted(await p.fixer(verified));
    assert.equal(redrafted.payload.strategy, 'template');
    assert.equal(redrafted.payload.pullRequest.number, pr.number);
    assert.equal(remote.pulls.length, 1);
    assert.equal((await p.repo.git(['--git-dir', remote.gitDir, 'rev-parse', 'refs/heads/nightshift/inc-2'])).trim(), redrafted.payload.headSha);
    assert.match(pr.body, /\*\*Verification:\*\* ⏳ not verified yet/, 'the new candidate is not verified yet');

    const reverified = onlyVerified(await p.verifier(redrafted));
    assert.equal(reverified.payload.verdict, 'passed', reverified.payload.summary);
    // One check run per attempt, each on its own commit.
    assert.deepEqual(
      remote.checkRuns.map((run) => [run.headSha, run.history]),
      [
        [drafted.payload.headSha, ['in_progress', 'completed/failure']],
        [redrafted.payload.headSha, ['in_progress', 'completed/success']],
      ],
    );
    assert.equal(pr.draft, false);
    assert.match(pr.body, /\*\*Verification:\*\* ✅ passed/);
    assert.ok(!pr.labels.includes('nightshift:verification-failed'), 'the failed candidate\'s label does not stick to the PR once its new head passes');
    assert.deepEqual(pr.requestedReviewers.sort(), ['alice', 'oncall']);
    assert.deepEqual(fake.violations, []);
  });

  it('with token auth, redeliveries open no second PR even after the first failed past it, and the verdict is a commit status', async () => {
    const p = await pipeline(fake, 'acme/store', true, 'token');
    const remote = fake.repositories.get(p.slug)!;
    const triaged = await p.triaged('inc-3', 'inventory: simplify stock lookup');

    // The token may not label: the PR is opened, then the delivery fails before the store links it.
    fake.failNext('issues/add-labels', { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' } });
    await assert.rejects(p.fixer(triaged), { code: 'FORGE_REQUEST_FAILED' });
    assert.equal(remote.pulls.length, 1);
    assert.deepEqual(await p.store.listPullRequests('inc-3'), []);

    // The bus redelivers: the fixer finds the PR on GitHub by its branch and takes it over.
    const drafted = onlyDrafted(await p.fixer(triaged));
    assert.equal(remote.pulls.length, 1);
    const pr = remote.pulls[0]!;
    assert.equal(drafted.payload.pullRequest.number, pr.number);
    assert.equal(pr.draft, true);
    assert.equal(pr.author, 'nightshift-bot');
    assert.deepEqual(pr.labels.sort(), ['incident', 'nightshift'], 'the PR taken over gets the labels the failed delivery could not add');
    assert.match(pr.comments.at(-1) ?? '', /replaced the fix on this branch with a revert candidate/);
    assert.equal((await p.repo.git(['--git-dir', remote.gitDir, 'rev-parse', 'refs/heads/nightshift/inc-3'])).trim(), drafted.payload.headSha);
    assert.deepEqual((await p.store.listPullRequests('inc-3')).map((l) => l.number), [pr.number]);

    // Once more, with the PR linked: a comment, no push, no PR.
    const comments = pr.comments.length;
    assert.deepEqual((await p.fixer(triaged)).map((event) => event.payload), [drafted.payload], 'the unverified draft is announced again');
    assert.equal(remote.pulls.length, 1);
    assert.equal(pr.comments.length, comments + 1);
    assert.match(pr.comments.at(-1) ?? '', /no second one is opened/);
    assert.equal(fake.requests.filter((r) => r.operationId === 'pulls/create' && r.path === `/repos/${p.slug}/pulls`).length, 1);

    // Token auth cannot create check runs (GitHub answers 403): the check is a commit status, pending then the verdict.
    const verified = onlyVerified(await p.verifier(drafted));
    assert.equal(verified.payload.verdict, 'passed', verified.payload.summary);
    assert.deepEqual(remote.checkRuns, []);
    assert.deepEqual(
      remote.statuses.map((s) => [s.sha, s.state, s.context, s.description]),
      [
        [drafted.payload.headSha, 'pending', 'nightshift/verification', 'Verifying fix…'],
        [drafted.payload.headSha, 'success', 'nightshift/verification', 'Red to green: the fix is verified'],
      ],
    );
    const [recorded] = await p.store.listVerifications('inc-3');
    assert.deepEqual((recorded?.report as { check?: { kind: string; id: unknown } }).check?.kind, 'commit-status');
    assert.equal(pr.draft, false);
    assert.deepEqual(pr.requestedReviewers.sort(), ['alice', 'oncall']);
    assert.deepEqual(fake.violations, []);
  });

  it('a crash between starting the check and completing it: the redelivery takes the running check over and completes it', async () => {
    const p = await pipeline(fake, 'acme/kiosk', true);
    const remote = fake.repositories.get(p.slug)!;
    const drafted = onlyDrafted(await p.fixer(await p.triaged('inc-4', 'inventory: simplify stock lookup')));

    // The verdict is ready but completing the check fails: the delivery fails with the check still running.
    fake.failNext('checks/update', { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' } });
    await assert.rejects(p.verifier(drafted), { code: 'FORGE_REQUEST_FAILED' });
    assert.equal(remote.checkRuns.length, 1);
    const run = remote.checkRuns[0]!;
    assert.deepEqual([run.status, run.output?.title], ['in_progress', 'Verifying fix…'], 'engineers see it running on the PR');
    const [running] = await p.store.listVerifications('inc-4');
    assert.equal(running?.verdict, 'running');
    assert.equal((running?.report as { check?: { id: number } }).check?.id, run.id);

    // The bus redelivers: the running check is found and completed, no second one appears.
    const verified = onlyVerified(await p.verifier(drafted));
    assert.equal(verified.payload.verdict, 'passed', verified.payload.summary);
    assert.equal(remote.checkRuns.length, 1, 'no second check run');
    assert.deepEqual(run.history, ['in_progress', 'completed/success']);
    const [done] = await p.store.listVerifications('inc-4');
    assert.equal(done?.verdict, 'passed');
    assert.deepEqual((done?.report as { check?: { id: number; resumed: boolean } }).check, { ...(running?.report as { check: object }).check, resumed: true });
    const audit = (await p.store.listAudit({ incidentId: 'inc-4' })).find((entry) => entry.action === 'verification-passed');
    assert.deepEqual((audit?.detail as { check?: unknown }).check, { kind: 'check-run', id: run.id, resumed: true });
    assert.equal(remote.pulls[0]!.draft, false);
    assert.deepEqual(fake.violations, []);
  });
});
