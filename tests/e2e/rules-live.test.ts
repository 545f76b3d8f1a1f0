import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { ruleSchema } from '../../shared/config/rules-schema.js';
import { json } from '../helpers/cli.js';
import { startTestServer } from '../helpers/nightshift-server.js';
import { waitFor } from '../helpers/wait.js';

const token = 'rules-live-token';
const monitor = JSON.parse(await readFile(fileURLToPath(new URL('../../../tests/fixtures/datadog/monitor-triggered.json', import.meta.url)), 'utf8'));

test('live: approval, the hourly rate limit and the kill switch take effect on incidents as they are triaged', { timeout: 120_000 }, async () => {
  const server = await startTestServer(
    (config) => {
      config.ingest.datadog.token = token;
      config.rules = [
        ruleSchema.parse({ id: 'limited', match: { service: ['svc-a', 'svc-b'], tags: { team: 'payments' } }, action: 'draft-fix', maxFixesPerHour: 1 }),
        ruleSchema.parse({ id: 'other', match: { service: 'svc-c' }, action: 'draft-fix' }),
      ];
      config.controls.approvalSeverities = ['error', 'critical'];
    },
    { roles: ['ingest', 'triage', 'console'] },
  );
  const fire = async (service: string, n: number) => {
    // No logs sample: its trace id would group all three into one incident.
    const body = { ...monitor, id: `74052198462371045${n}`, alert_id: `14821397${n}`, aggreg_key: `aggregation-${service}`, tags: `env:production, service:${service}, team:payments`, logs_sample: '' };
    const response = await fetch(`${server.url}/webhooks/datadog`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-nightshift-token': token }, body: JSON.stringify(body) });
    assert.equal(response.status, 202, await response.text());
    return waitFor(
      async () => {
        const { incidents } = await json(await fetch(`${server.url}/api/incidents`));
        const incident = incidents.find((i: { services: string[]; status: string }) => i.services.includes(service) && i.status === 'triaged');
        return incident && (await json(await fetch(`${server.url}/api/incidents/${incident.id}`))).incident;
      },
      { timeoutMs: 60_000, what: `the ${service} incident to be triaged` },
    );
  };
  try {
    const first = await fire('svc-a', 1);
    assert.equal(first.decision.action, 'draft-fix');
    assert.equal(first.decision.ruleId, 'limited');
    assert.equal(first.decision.fix.requireApproval, true);
    assert.match(first.decision.reasons.join('\n'), /severity error is in controls\.approvalSeverities/);

    const second = await fire('svc-b', 2);
    assert.equal(second.decision.action, 'triage');
    assert.equal(second.decision.downgradedFrom, 'draft-fix');
    assert.match(second.decision.reasons.at(-1), /rule limited already started 1 fixes in the last hour \(limit 1 per hour\)/);

    // The parked fix is approved through the API; an incident with nothing to approve says so.
    const approve = (id: string) => fetch(`${server.url}/api/incidents/${id}/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"actor":"bob"}' });
    const approved = await approve(first.id);
    assert.equal(approved.status, 202);
    assert.deepEqual(await json(approved), { approved: first.id, by: 'api:bob' });
    assert.equal((await approve(second.id)).status, 409);
    assert.equal((await approve('no-such-incident')).status, 404);

    const put = await fetch(`${server.url}/api/controls/kill-switch`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: true, reason: 'bad deploy', actor: 'alice' }) });
    assert.equal(put.status, 200);
    assert.equal((await json(put)).killSwitch.enabled, true);
    const bad = await fetch(`${server.url}/api/controls/kill-switch`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"enabled":"yes"}' });
    assert.equal(bad.status, 400);

    const third = await fire('svc-c', 3);
    assert.equal(third.decision.ruleId, 'other');
    assert.equal(third.decision.action, 'triage');
    assert.match(third.decision.reasons.at(-1), /downgraded from draft-fix to triage: the kill switch is on \(turned on by api:alice\)/);
  } finally {
    await server.close();
  }
});
