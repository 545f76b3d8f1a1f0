import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Logger } from 'pino';
import { createLogger } from '../../shared/log/index.js';
import type { Forge } from '../../services/fixer/forge/forge.js';
import { CHECK_OUTPUT_LIMIT, createGithubForge } from '../../services/fixer/forge/github/create-github-forge.js';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.js';
import { createTestGitRepo, lines, type TestGitRepo } from '../helpers/git-repo.js';

const SLUG = 'acme/shop';
const TOKEN = 'ghp_TESTtoken0123456789abcdefghijklmnopqrstu';
const APP = { appId: 4242, slug: 'nightshift-test', installationId: 777 };
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const date = new Date('2025-03-01T10:00:00Z');

function captureLog(): { log: Logger; lines: string[] } {
  const captured: string[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => void captured.push(line) } });
  return { log, lines: captured };
}

/** A repository with a base on `main` (pushed to the fake) and a fix commit on top, not pushed. */
async function prepareRepository(fake: FakeGithub): Promise<{ repo: TestGitRepo; fixSha: string }> {
  const repo = await createTestGitRepo();
  await repo.commit({
    message: 'base',
    date,
    files: {
      'src/cart.ts': lines('export const total = (items) => items.reduce((a, b) => a + b.price, 0);'),
      '.github/CODEOWNERS': lines('# owners', '*  @acme/core', 'src/ @alice @acme/shop-team', 'src/vendor/', '*.md @docs-writer'),
    },
  });
  await repo.git(['push', '--quiet', fake.repositories.get(SLUG)!.gitDir, 'main']);
  await repo.git(['checkout', '--quiet', '-b', 'work']);
  const fixSha = await repo.commit({ message: 'guard the cart', date, files: { 'src/cart.ts': lines('export const total = (items = []) => items.reduce((a, b) => a + b.price, 0);') } });
  return { repo, fixSha };
}

const draft = (branch: string) => ({
  repository: 'shop',
  branch,
  base: 'main',
  title: 'Guard the cart total against a missing list',
  body: '## Summary\nThe cart crashed.',
  labels: ['nightshift', 'nightshift:draft'],
  reviewers: ['alice', 'nightshift-bot', 'stranger'],
});

describe('github forge through @octokit/rest against a fake GitHub validated by the OpenAPI description', () => {
  let fake: FakeGithub;

  before(async () => {
    fake = await startFakeGithub({
      repositories: { [SLUG]: { collaborators: ['alice', 'bob'] } },
      token: { value: TOKEN, login: 'nightshift-bot' },
      app: { ...APP, publicKey: keys.publicKey },
    });
  });
  after(async () => {
    await fake.close();
  });

  it('runs the whole PR lifecycle with a token, pushing over HTTP with the token only in a header', async () => {
    const { repo, fixSha } = await prepareRepository(fake);
    const { log, lines: logLines } = captureLog();
    try {
      const forge: Forge = createGithubForge({
        config: { apiUrl: fake.url, token: TOKEN },
        repositories: { shop: { slug: SLUG, path: repo.path } },
        log,
        rateLimits: { paced: false, retryAfterUnitMs: 10 },
      });
      await forge.pushBranch({ repository: 'shop', dir: repo.path, branch: 'nightshift/inc-1', sha: fixSha });
      const pushed = await repo.git(['--git-dir', fake.repositories.get(SLUG)!.gitDir, 'rev-parse', 'refs/heads/nightshift/inc-1']);
      assert.equal(pushed.trim(), fixSha);
      assert.ok(fake.gitAuthorizations.length > 0, 'git authenticated to the fake');
      assert.ok(fake.gitAuthorizations.every((h) => h === `basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`));

      assert.equal(await forge.findPullRequest('shop', 'nightshift/inc-1'), undefined);
      const opened = await forge.openDraftPullRequest(draft('nightshift/inc-1'));
      assert.equal(opened.state, 'draft');
      assert.equal(opened.headSha, fixSha);
      assert.equal(opened.branch, 'nightshift/inc-1');
      const stored = fake.repositories.get(SLUG)!.pulls[0]!;
      assert.deepEqual(stored.labels, ['nightshift', 'nightshift:draft']);
      assert.deepEqual(stored.requestedReviewers, ['alice'], 'the author and a non-collaborator are skipped, alice is kept');
      assert.equal(logLines.filter((l) => l.includes('refused a reviewer')).length, 2);

      // A redelivery finds the PR instead of opening another; opening again (a race) lands on the same PR.
      const found = await forge.findPullRequest('shop', 'nightshift/inc-1');
      assert.equal(found?.number, opened.number);
      const again = await forge.openDraftPullRequest(draft('nightshift/inc-1'));
      assert.equal(again.number, opened.number);
      assert.equal(fake.repositories.get(SLUG)!.pulls.length, 1);

      await forge.updatePullRequestBody('shop', opened.number, '## Summary\nVerified.');
      await forge.comment('shop', opened.number, 'Seen again at 03:12.');
      assert.equal(stored.body, '## Summary\nVerified.');
      assert.deepEqual(stored.comments, ['Seen again at 03:12.']);

      // Token auth cannot create check runs: the fake answers 403 like GitHub, the forge falls back to a
      // commit status, pending while the check runs, then the verdict.
      const check = { repository: 'shop', headSha: fixSha, name: 'nightshift/verification', title: 'Verifying fix…', summary: 'running' };
      const first = await forge.startCheck(check);
      assert.deepEqual([first.kind, first.id, first.resumed], ['commit-status', null, false]);
      await forge.completeCheck(first, { conclusion: 'success', title: 'Replay went red to green', summary: 'ok' });
      const second = await forge.startCheck(check);
      await forge.completeCheck(second, { conclusion: 'failure', title: 'x'.repeat(300), summary: 'no' });
      const repoState = fake.repositories.get(SLUG)!;
      assert.equal(repoState.checkRuns.length, 0);
      assert.deepEqual(
        repoState.statuses.map((s) => [s.sha, s.state, s.context, s.description]),
        [
          [fixSha, 'pending', 'nightshift/verification', 'Verifying fix…'],
          [fixSha, 'success', 'nightshift/verification', 'Replay went red to green'],
          [fixSha, 'pending', 'nightshift/verification', 'Verifying fix…'],
          [fixSha, 'failure', 'nightshift/verification', `${'x'.repeat(139)}…`],
        ],
      );
      assert.equal(fake.requests.filter((r) => r.operationId === 'checks/create').length, 1, 'after one refusal the forge goes straight to statuses');

      await forge.markReadyForReview('shop', opened.number);
      assert.equal((await forge.getPullRequest('shop', opened.number)).state, 'ready');
      await forge.markReadyForReview('shop', opened.number);
      assert.equal(fake.requests.filter((r) => r.operationId === 'graphql').length, 1, 'a PR already ready is not marked twice');

      await forge.closePullRequest('shop', opened.number);
      assert.equal((await forge.getPullRequest('shop', opened.number)).state, 'closed');
      assert.equal((await forge.findPullRequest('shop', 'nightshift/inc-1'))?.state, 'closed', 'a closed PR is still found (no reopening by accident)');

      assert.deepEqual(await forge.codeOwners('shop', 'main', ['src/cart.ts', 'README.md', 'src/vendor/lib.js', 'package.json']), ['alice', 'docs-writer']);

      await assert.rejects(forge.getPullRequest('shop', 99), { code: 'FORGE_PULL_REQUEST_NOT_FOUND' });
      await assert.rejects(forge.comment('nope', 1, 'x'), { code: 'FORGE_UNKNOWN_REPOSITORY' });

      const everything = [logLines.join('\n'), await readFile(join(repo.path, '.git', 'config'), 'utf8'), await readFile(join(fake.repositories.get(SLUG)!.gitDir, 'config'), 'utf8')].join('\n');
      assert.ok(!everything.includes(TOKEN), 'the token is in no log line and no git config');
      assert.ok(!everything.includes(Buffer.from(`x-access-token:${TOKEN}`).toString('base64')));
      assert.deepEqual(fake.violations, []);
    } finally {
      await repo.cleanup();
    }
  });

  it('authenticates as a GitHub App: installation token for REST, GraphQL and git; check runs; merged state', async () => {
    const { repo, fixSha } = await prepareRepository(fake);
    const { log, lines: logLines } = captureLog();
    try {
      const forge = createGithubForge({
        config: { apiUrl: fake.url, appId: APP.appId, privateKey: keys.privateKey, installationId: APP.installationId },
        repositories: { shop: { slug: SLUG } },
        log,
        rateLimits: { paced: false, retryAfterUnitMs: 10 },
      });
      await forge.pushBranch({ repository: 'shop', dir: repo.path, branch: 'nightshift/inc-2', sha: fixSha });
      const pull = await forge.openDraftPullRequest({ ...draft('nightshift/inc-2'), reviewers: ['bob'] });
      const stored = fake.repositories.get(SLUG)!.pulls.find((p) => p.number === pull.number)!;
      assert.equal(stored.author, 'nightshift-test[bot]');
      assert.deepEqual(stored.requestedReviewers, ['bob']);
      assert.ok(fake.requests.some((r) => r.operationId === 'apps/create-installation-access-token' && r.status === 201));

      // The check runs while verification works: created in_progress, with a start time.
      const check = { repository: 'shop', headSha: fixSha, name: 'nightshift/verification', title: 'Verifying fix…', summary: 'Building and testing.' };
      const started = await forge.startCheck(check);
      assert.equal(started.kind, 'check-run');
      assert.equal(started.resumed, false);
      const runs = fake.repositories.get(SLUG)!.checkRuns;
      assert.equal(runs.length, 1);
      const run = runs[0]!;
      assert.equal(run.id, started.id);
      assert.deepEqual([run.status, run.conclusion, run.output?.title, run.startedAt], ['in_progress', undefined, 'Verifying fix…', started.startedAt]);
      assert.equal(run.appId, APP.appId);

      // A crash before completion: the next process starting the same check takes the running one over.
      const restarted = createGithubForge({
        config: { apiUrl: fake.url, appId: APP.appId, privateKey: keys.privateKey, installationId: APP.installationId },
        repositories: { shop: { slug: SLUG } },
        log,
        rateLimits: { paced: false, retryAfterUnitMs: 10 },
      });
      const resumed = await restarted.startCheck(check);
      assert.deepEqual([resumed.id, resumed.resumed, resumed.startedAt], [started.id, true, started.startedAt]);
      assert.equal(runs.length, 1, 'no second check run');
      assert.ok(fake.requests.some((r) => r.operationId === 'checks/list-for-ref' && r.status === 200));

      const long = 'é'.repeat(CHECK_OUTPUT_LIMIT + 500);
      await restarted.completeCheck(resumed, { conclusion: 'neutral', title: 'Could not show red to green', summary: long, text: long });
      assert.deepEqual(run.history, ['in_progress', 'completed/neutral']);
      assert.ok(run.completedAt);
      assert.ok(Array.from(run.output?.summary ?? '').length <= CHECK_OUTPUT_LIMIT);
      assert.ok(Array.from(run.output?.summary ?? '').length > CHECK_OUTPUT_LIMIT - 100);
      assert.match(run.output?.text ?? '', new RegExp(`truncated: \\d+ of ${CHECK_OUTPUT_LIMIT + 500} characters shown\\)$`));

      // A completed run is never reopened (GitHub does not allow it): the next verification gets its own run.
      const next = await forge.startCheck(check);
      assert.notEqual(next.id, started.id);
      assert.equal(next.resumed, false);
      await forge.completeCheck(next, { conclusion: 'success', title: 'Red to green', summary: 'ok' });
      assert.deepEqual(runs.map((r) => r.history), [['in_progress', 'completed/neutral'], ['in_progress', 'completed/success']]);

      await forge.markReadyForReview('shop', pull.number);
      assert.equal(stored.draft, false);
      fake.mergePullRequest(SLUG, pull.number);
      assert.equal((await forge.getPullRequest('shop', pull.number)).state, 'merged');

      const installationTokens = fake.requests.map((r) => r.authorization).filter((a): a is string => a?.startsWith('token ghs_') ?? false);
      assert.ok(installationTokens.length > 0);
      const secrets = [keys.privateKey.split('\n')[1]!, ...installationTokens.map((a) => a.slice('token '.length))];
      const written = [logLines.join('\n'), await readFile(join(repo.path, '.git', 'config'), 'utf8')].join('\n');
      for (const secret of secrets) assert.ok(!written.includes(secret));
      assert.deepEqual(fake.violations, []);
    } finally {
      await repo.cleanup();
    }
  });

  it('retries after secondary and primary rate limits, within a bound, and says so in the log', async () => {
    const { repo, fixSha } = await prepareRepository(fake);
    const { log, lines: logLines } = captureLog();
    try {
      const forge = createGithubForge({
        config: { apiUrl: fake.url, token: TOKEN },
        repositories: { shop: { slug: SLUG } },
        remoteUrlFor: () => fake.repositories.get(SLUG)!.gitDir,
        log,
        rateLimits: { paced: false, retryAfterUnitMs: 10, maxRetries: 2 },
      });
      await forge.pushBranch({ repository: 'shop', dir: repo.path, branch: 'nightshift/inc-3', sha: fixSha });
      const creates = () => fake.requests.filter((r) => r.operationId === 'pulls/create').length;
      const before = creates();
      fake.failNext('pulls/create', fake.secondaryRateLimit(1));
      const pull = await forge.openDraftPullRequest({ ...draft('nightshift/inc-3'), labels: [], reviewers: [] });
      assert.equal(creates() - before, 2);
      assert.ok(logLines.some((l) => l.includes('secondary rate limit')));

      fake.failNext('issues/create-comment', { status: 429, body: { message: 'You have exceeded a secondary rate limit.' }, headers: { 'retry-after': '1' } });
      await forge.comment('shop', pull.number, 'after a 429');
      fake.failNext('pulls/get', { status: 403, body: { message: 'API rate limit exceeded for installation.' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) } });
      assert.equal((await forge.getPullRequest('shop', pull.number)).number, pull.number);
      assert.ok(logLines.some((l) => l.includes('primary rate limit')));

      // Past the bound the call fails, retriable, instead of retrying forever.
      fake.failNext('issues/create-comment', fake.secondaryRateLimit(1), 5);
      await assert.rejects(forge.comment('shop', pull.number, 'never'), { code: 'FORGE_REQUEST_FAILED', retriable: true });
      assert.deepEqual(fake.repositories.get(SLUG)!.pulls.find((p) => p.number === pull.number)!.comments, ['after a 429']);
      assert.deepEqual(fake.violations, []);
    } finally {
      fake.failNext('issues/create-comment', fake.secondaryRateLimit(1), 0);
      await repo.cleanup();
    }
  });

  it('a push the server refuses fails with a ForgeError that carries no token', async () => {
    const { repo, fixSha } = await prepareRepository(fake);
    const { log, lines: logLines } = captureLog();
    const wrong = 'ghp_WRONGtoken0123456789abcdefghijklmnopq';
    try {
      const forge = createGithubForge({ config: { apiUrl: fake.url, token: wrong }, repositories: { shop: { slug: SLUG } }, log, rateLimits: { paced: false } });
      const error = await forge.pushBranch({ repository: 'shop', dir: repo.path, branch: 'nightshift/inc-4', sha: fixSha }).then(
        () => assert.fail('the push should be refused'),
        (e: unknown) => e as Error & { code: string },
      );
      assert.equal(error.code, 'FORGE_PUSH_FAILED');
      assert.match(error.message, /nightshift\/inc-4/);
      const basic = Buffer.from(`x-access-token:${wrong}`).toString('base64');
      for (const text of [error.message, String(error.stack), JSON.stringify(error), logLines.join('\n')]) {
        assert.ok(!text.includes(wrong) && !text.includes(basic), 'no token in the error or the log');
      }
      assert.equal(error.cause, undefined, 'the git error, whose arguments hold the header, is not kept');
    } finally {
      await repo.cleanup();
    }
  });

  it('the fake refuses and records a request that breaks the OpenAPI description', async () => {
    const before = fake.violations.length;
    const response = await fetch(`${fake.url}/repos/${SLUG}/pulls`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ head: 'x', base: 'main', draft: 'yes' }),
    });
    assert.equal(response.status, 422);
    const added = fake.violations.splice(before);
    assert.ok(added.length > 0, added.join('\n'));
    assert.match(added.join('\n'), /pulls\/create request: request body\/draft must be boolean/);
  });

  it('the fake records a GraphQL request that breaks GitHub\'s schema and answers it with errors', async () => {
    const ask = async (body: unknown) => {
      const before = fake.violations.length;
      const response = await fetch(`${fake.url}/graphql`, { method: 'POST', headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(response.status, 200, 'GitHub answers GraphQL errors with 200');
      const answer = (await response.json()) as { data?: unknown; errors?: Array<{ message: string }> };
      return { answer, added: fake.violations.splice(before) };
    };
    const mutation = 'mutation ($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } } }';

    const wrongFields = await ask({ query: 'mutation ($id: ID!) { markPullRequestReadyForReview(input: { id: $id }) { pullRequest { draft } } }', variables: { id: 'PR_x' } });
    assert.match(wrongFields.added.join('\n'), /Field "id" is not defined by type "MarkPullRequestReadyForReviewInput"/);
    assert.match(wrongFields.added.join('\n'), /Cannot query field "draft" on type "PullRequest"/);
    assert.ok((wrongFields.answer.errors ?? []).length > 0);
    assert.equal(wrongFields.answer.data, undefined);

    const unparsable = await ask({ query: 'mutation { markPullRequestReadyForReview(' });
    assert.match(unparsable.added.join('\n'), /does not parse/);

    const missingVariable = await ask({ query: mutation, variables: {} });
    assert.match(missingVariable.added.join('\n'), /Variable "\$id" of required type "ID!" was not provided/);
    const wrongVariable = await ask({ query: mutation, variables: { id: { nested: true } } });
    assert.match(wrongVariable.added.join('\n'), /variables: Variable "\$id" got invalid value/);

    // An unknown node: GitHub's NOT_FOUND answer, in GitHub's error shape, and no violation.
    const unknown = await ask({ query: mutation, variables: { id: 'PR_nope' } });
    assert.deepEqual(unknown.added, []);
    assert.deepEqual(unknown.answer.errors?.map((e) => [(e as { type?: string }).type, e.message]), [['NOT_FOUND', "Could not resolve to a node with the global id of 'PR_nope'"]]);
    assert.deepEqual(unknown.answer.data, { markPullRequestReadyForReview: null });

    // Valid, but asking for a field the fake has no value for: a gap in the fake, recorded too.
    const nodeId = fake.repositories.get(SLUG)!.pulls[0]!.nodeId;
    const unmodelled = await ask({ query: 'mutation ($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { number mergeable } } }', variables: { id: nodeId } });
    assert.match(unmodelled.added.join('\n'), /does not model PullRequest\.mergeable/);

    // A valid request gets the schema's shape: exactly the fields asked for.
    const valid = await ask({ query: 'mutation Ready($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id, clientMutationId: "c1" }) { clientMutationId pullRequest { __typename number isDraft } } }', variables: { id: nodeId } });
    assert.deepEqual(valid.added, []);
    assert.deepEqual(valid.answer, { data: { markPullRequestReadyForReview: { clientMutationId: 'c1', pullRequest: { __typename: 'PullRequest', number: fake.repositories.get(SLUG)!.pulls[0]!.number, isDraft: false } } } });
  });
});
