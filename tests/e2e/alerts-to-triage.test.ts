import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../shared/config/index.js';
import { json } from '../helpers/cli.js';
import { startTestServer } from '../helpers/nightshift-server.js';
import { createTriageScenario } from '../helpers/triage-scenario.js';
import { tempDir, waitFor } from '../helpers/wait.js';

const token = 'e2e-datadog-token';
const dsnKey = '0123456789abcdef0123456789abcdef';

test('live: Datadog monitors and an SDK envelope over HTTP become one incident, triaged to inventory and its guilty commit', { timeout: 120_000 }, async () => {
  const dir = await tempDir('e2e-triage');
  const scenario = await createTriageScenario(dir.path);
  const { config: scenarioConfig } = await loadConfig({ env: { NIGHTSHIFT_CONFIG: scenario.configFile }, cwd: dir.path });
  const server = await startTestServer(
    (config) => {
      config.ingest.datadog.token = token;
      config.ingest.sentry.dsnKeys = [{ projectId: '7', publicKey: dsnKey }];
      config.services = scenarioConfig.services;
      config.repositories = scenarioConfig.repositories;
      config.triage = scenarioConfig.triage;
    },
    { roles: ['ingest', 'triage', 'console'] },
  );
  try {
    for (const name of (await readdir(scenario.alertsDir)).sort()) {
      const body = await readFile(join(scenario.alertsDir, name));
      const response = name.startsWith('datadog-')
        ? await fetch(`${server.url}/webhooks/datadog`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-nightshift-token': token }, body })
        : await fetch(`${server.url}/api/7/envelope/?sentry_key=${dsnKey}`, { method: 'POST', body });
      assert.equal(response.status, 202, `${name}: ${await response.text()}`);
    }

    const triaged = await waitFor(
      async () => {
        const { incidents } = await json(await fetch(`${server.url}/api/incidents`));
        return incidents.length === 1 && incidents[0].status === 'triaged' && incidents[0].alertCount === 3 ? incidents[0] : undefined;
      },
      { timeoutMs: 60_000, what: 'one triaged incident holding the three alerts' },
    );
    const { incident } = await json(await fetch(`${server.url}/api/incidents/${triaged.id}`));
    assert.equal(incident.triageReport.rootCause.service, 'inventory');
    assert.equal(incident.triageReport.suspectCommits[0].sha, scenario.guiltySha);
    assert.equal(incident.decision.action, 'triage');
    assert.equal(incident.decision.ruleId, null);
  } finally {
    await server.stop();
    await dir.cleanup();
  }
});
