import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, test } from 'node:test';
import type { EventOf } from '../../shared/events/registry.js';
import { createGithubWebhookReceiver } from '../../services/ingest/github/create-github-webhook-receiver.js';
import { parseNightshiftCommand } from '../../services/ingest/github/parse-nightshift-command.js';
import { deliveryEventId } from '../../services/ingest/delivery-event-id.js';
import type { Rejection, Verdict } from '../../services/ingest/receiver.js';

const SECRET = "It's a Secret to Everybody";
const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
const now = new Date('2026-11-21T03:00:05.000Z');
const receiver = createGithubWebhookReceiver({ secret: SECRET });

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../../tests/fixtures/github/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** GitHub's scheme, computed independently of octokit: HMAC-SHA256 of the raw body, hex, `sha256=`. */
function sign(body: Buffer, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function delivery(event: string, payload: unknown, headers: IncomingHttpHeaders = {}) {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  return {
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': DELIVERY, 'x-hub-signature-256': sign(body), ...headers },
    body,
    query: {},
    params: {},
  };
}

async function forgeEvent(verdict: Verdict | Promise<Verdict>): Promise<EventOf<'forge.event.v1'>> {
  const result = await verdict;
  if (!result.ok) assert.fail(`rejected: ${JSON.stringify(result.rejection)}`);
  assert.equal(result.accepted.deliveryId, DELIVERY);
  const event = result.accepted.event;
  assert.ok(event, 'an event');
  assert.equal(event.type, 'forge.event.v1');
  assert.equal(event.id, deliveryEventId('github', DELIVERY));
  return event as EventOf<'forge.event.v1'>;
}

async function nothing(verdict: Verdict | Promise<Verdict>): Promise<void> {
  const result = await verdict;
  if (!result.ok) assert.fail(`rejected: ${JSON.stringify(result.rejection)}`);
  assert.deepEqual(result.accepted, { deliveryId: DELIVERY, event: null });
}

async function rejected(verdict: Verdict | Promise<Verdict>): Promise<Rejection> {
  const result = await verdict;
  if (result.ok) assert.fail('the delivery was accepted');
  return result.rejection;
}

const common = { provider: 'github', deliveryId: DELIVERY, repository: { owner: 'Codertocat', name: 'Hello-World' }, installationId: 1, sender: 'Codertocat' };
const headSha = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

describe('GitHub webhook receiver: events', () => {
  test('a merged pull request becomes a pull_request forge event keyed by the PR', async () => {
    const event = await forgeEvent(receiver.receive(delivery('pull_request', fixture('pull_request.closed')), now));
    assert.equal(event.key, 'Codertocat/Hello-World#2');
    assert.equal(event.occurredAt, now.toISOString());
    assert.deepEqual(event.payload, {
      ...common,
      action: 'closed',
      kind: 'pull_request',
      pullRequest: { number: 2, headSha, headRef: 'changes', baseRef: 'master', state: 'closed', merged: true, draft: false, url: 'https://github.com/Codertocat/Hello-World/pull/2' },
    });
  });

  test('opened and synchronize are events; other pull request actions are accepted with nothing to publish', async () => {
    const opened = await forgeEvent(receiver.receive(delivery('pull_request', fixture('pull_request.opened')), now));
    assert.equal(opened.payload.kind === 'pull_request' && opened.payload.pullRequest.state, 'open');
    assert.equal(opened.payload.kind === 'pull_request' && opened.payload.pullRequest.merged, false);
    const synchronize = await forgeEvent(receiver.receive(delivery('pull_request', { ...fixture('pull_request.opened'), action: 'synchronize' }), now));
    assert.equal(synchronize.payload.action, 'synchronize');
    for (const action of ['labeled', 'edited', 'reopened', 'ready_for_review']) {
      await nothing(receiver.receive(delivery('pull_request', { ...fixture('pull_request.opened'), action }), now));
    }
  });

  test('a closed pull request without `merged` is read from merged_at', async () => {
    const payload = fixture('pull_request.closed');
    const { merged: _merged, ...pr } = payload.pull_request as Record<string, unknown>;
    const event = await forgeEvent(receiver.receive(delivery('pull_request', { ...payload, pull_request: pr }), now));
    assert.equal(event.payload.kind === 'pull_request' && event.payload.pullRequest.merged, true);
  });

  test('completed check suites, check runs and workflow runs become check results keyed by their pull request', async () => {
    const suite = await forgeEvent(receiver.receive(delivery('check_suite', fixture('check_suite.completed')), now));
    assert.equal(suite.key, 'Codertocat/Hello-World#2');
    assert.deepEqual(suite.payload, {
      ...common,
      action: 'completed',
      kind: 'check_suite',
      check: { id: 118578147, name: 'octocoders-linter', headSha, status: 'completed', conclusion: 'success', pullRequests: [2] },
    });
    const run = await forgeEvent(receiver.receive(delivery('check_run', fixture('check_run.completed')), now));
    assert.deepEqual(run.payload.kind === 'check_run' && run.payload.check, { id: 128620228, name: 'Octocoders-linter', headSha, status: 'completed', conclusion: 'failure', pullRequests: [2] });
    const workflow = await forgeEvent(receiver.receive(delivery('workflow_run', fixture('workflow_run.completed')), now));
    assert.deepEqual(workflow.payload.kind === 'workflow_run' && workflow.payload.check, { id: 289782451, name: 'CI', headSha, status: 'completed', conclusion: 'success', pullRequests: [2] });
  });

  test('a check on a push (no pull request) is keyed by the repository; unfinished checks publish nothing', async () => {
    const payload = fixture('check_run.completed');
    const event = await forgeEvent(receiver.receive(delivery('check_run', { ...payload, check_run: { ...(payload.check_run as object), pull_requests: [] } }), now));
    assert.equal(event.key, 'Codertocat/Hello-World');
    for (const action of ['created', 'requested', 'rerequested', 'in_progress']) {
      await nothing(receiver.receive(delivery('check_suite', { ...fixture('check_suite.completed'), action }), now));
      await nothing(receiver.receive(delivery('workflow_run', { ...fixture('workflow_run.completed'), action }), now));
    }
  });

  test('a new comment with /nightshift retry carries the command', async () => {
    const event = await forgeEvent(receiver.receive(delivery('issue_comment', fixture('issue_comment.created')), now));
    assert.equal(event.key, 'Codertocat/Hello-World#2');
    assert.deepEqual(event.payload, {
      ...common,
      action: 'created',
      kind: 'issue_comment',
      issueNumber: 2,
      isPullRequest: true,
      comment: { id: 492700400, body: 'The flaky test is fixed on master now.\r\n\r\n/nightshift retry --strategy template\r\n', author: 'Codertocat' },
      command: { name: 'retry', args: '--strategy template' },
    });
  });

  test('a comment on a plain issue, or without a command, is an event with command null; edits publish nothing', async () => {
    const payload = fixture('issue_comment.created');
    const { pull_request: _pr, ...issue } = payload.issue as Record<string, unknown>;
    const event = await forgeEvent(
      receiver.receive(delivery('issue_comment', { ...payload, issue, comment: { ...(payload.comment as object), body: 'LGTM' } }), now),
    );
    assert.equal(event.payload.kind === 'issue_comment' && event.payload.isPullRequest, false);
    assert.equal(event.payload.kind === 'issue_comment' && event.payload.command, null);
    await nothing(receiver.receive(delivery('issue_comment', { ...payload, action: 'edited' }), now));
    await nothing(receiver.receive(delivery('issue_comment', { ...payload, action: 'deleted' }), now));
  });

  test('installation events, whatever the action, are keyed by the installation', async () => {
    for (const action of ['created', 'deleted', 'suspend', 'new_permissions_accepted']) {
      const event = await forgeEvent(receiver.receive(delivery('installation', { ...fixture('installation.created'), action }), now));
      assert.equal(event.key, 'installation:957387');
      assert.deepEqual(event.payload, {
        provider: 'github',
        deliveryId: DELIVERY,
        action,
        installationId: 957387,
        sender: 'Codertocat',
        kind: 'installation',
        installation: { id: 957387, account: 'Codertocat' },
      });
    }
  });

  test('ping and events Nightshift does not act on are accepted with nothing to publish', async () => {
    await nothing(receiver.receive(delivery('ping', fixture('ping')), now));
    for (const name of ['push', 'issues', 'star', 'deployment_status', 'security_advisory']) {
      await nothing(receiver.receive(delivery(name, { action: 'created', anything: [1, 2] }), now));
    }
  });
});

describe('GitHub webhook receiver: refusals', () => {
  const body = fixture('pull_request.closed');

  test('without a secret configured every delivery is refused, naming the setting', async () => {
    const rejection = await rejected(createGithubWebhookReceiver({ secret: undefined }).receive(delivery('pull_request', body), now));
    assert.deepEqual([rejection.status, rejection.reason], [401, 'not-configured']);
    assert.match(rejection.detail, /NIGHTSHIFT_GITHUB_WEBHOOK_SECRET/);
  });

  test('a missing, wrong, sha1 or foreign-secret signature is a 401 bad-signature', async () => {
    const raw = Buffer.from(JSON.stringify(body));
    const sha1 = `sha1=${createHmac('sha1', SECRET).update(raw).digest('hex')}`;
    for (const signature of [undefined, '', 'sha256=00', sha1, sign(raw, 'another secret'), sign(Buffer.from(`${raw} `))]) {
      const headers = signature === undefined ? { 'x-hub-signature-256': undefined } : { 'x-hub-signature-256': signature };
      const rejection = await rejected(receiver.receive(delivery('pull_request', raw, headers), now));
      assert.deepEqual([rejection.status, rejection.reason], [401, 'bad-signature']);
    }
  });

  test('the signature covers the exact bytes: a re-serialised body does not pass', async () => {
    const raw = Buffer.from(JSON.stringify(body, null, 2));
    const signature = sign(Buffer.from(JSON.stringify(body)));
    assert.equal((await rejected(receiver.receive(delivery('pull_request', raw, { 'x-hub-signature-256': signature }), now))).reason, 'bad-signature');
  });

  test('a signed delivery without X-GitHub-Delivery or X-GitHub-Event is a 400', async () => {
    const noId = await rejected(receiver.receive(delivery('pull_request', body, { 'x-github-delivery': undefined }), now));
    assert.deepEqual([noId.status, noId.reason], [400, 'missing-delivery-id']);
    const noEvent = await rejected(receiver.receive(delivery('pull_request', body, { 'x-github-event': undefined }), now));
    assert.deepEqual([noEvent.status, noEvent.reason], [400, 'missing-event']);
  });

  test('a signed body that is not JSON is a 400 bad-json; JSON that is not an object a 422', async () => {
    const bad = await rejected(receiver.receive(delivery('pull_request', 'payload=%7B%7D'), now));
    assert.deepEqual([bad.status, bad.reason], [400, 'bad-json']);
    const list = await rejected(receiver.receive(delivery('ping', '[1]'), now));
    assert.deepEqual([list.status, list.reason, list.field], [422, 'schema', '(root)']);
  });

  test('a handled event missing what Nightshift reads is a 422 naming the field', async () => {
    const pr = body.pull_request as Record<string, unknown>;
    const cases: [string, Record<string, unknown>, string][] = [
      ['pull_request', { ...body, pull_request: { ...pr, head: { ref: 'changes' } } }, 'pull_request.head.sha'],
      ['pull_request', { ...body, pull_request: { ...pr, number: '2' } }, 'pull_request.number'],
      ['pull_request', { ...body, repository: undefined }, 'repository'],
      ['check_run', { ...fixture('check_run.completed'), check_run: { id: 1, status: 'completed' } }, 'check_run.head_sha'],
      ['issue_comment', { ...fixture('issue_comment.created'), comment: { body: 'x' } }, 'comment.id'],
      ['installation', { action: 'created', installation: { account: null } }, 'installation.id'],
    ];
    for (const [event, payload, field] of cases) {
      const rejection = await rejected(receiver.receive(delivery(event, payload), now));
      assert.deepEqual([rejection.status, rejection.reason, rejection.field], [422, 'schema', field], `${event}: ${rejection.detail}`);
    }
  });

  test('an ignored action is not validated: GitHub may send it in shapes we do not read', async () => {
    await nothing(receiver.receive(delivery('pull_request', { action: 'labeled', pull_request: 'whatever' }), now));
  });
});

describe('parseNightshiftCommand', () => {
  test('finds the first command line and its arguments', () => {
    assert.deepEqual(parseNightshiftCommand('/nightshift retry'), { name: 'retry', args: '' });
    assert.deepEqual(parseNightshiftCommand('thanks!\n  /nightshift stop  \n/nightshift retry'), { name: 'stop', args: '' });
    assert.deepEqual(parseNightshiftCommand('/Nightshift RETRY  with the llm strategy '), { name: 'retry', args: 'with the llm strategy' });
  });

  test('ignores prose, quotes, code fences and look-alikes', () => {
    for (const body of [
      'please /nightshift retry',
      '> /nightshift retry',
      '```\n/nightshift retry\n```',
      '/nightshift retrying',
      '/nightshift',
      '/nightshift restart',
      '',
    ]) {
      assert.equal(parseNightshiftCommand(body), null, JSON.stringify(body));
    }
    assert.deepEqual(parseNightshiftCommand('```\n/nightshift stop\n```\n/nightshift retry 2'), { name: 'retry', args: '2' });
  });
});
