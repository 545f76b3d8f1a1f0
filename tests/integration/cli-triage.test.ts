import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { createTriageScenario, type TriageScenario } from '../helpers/triage-scenario.js';
import { tempDir } from '../helpers/wait.js';

interface OfflineReport {
  incidents: Array<{
    id: string;
    title: string;
    services: string[];
    rootCause: { service: string; confidence: number; reasons: string[] } | null;
    ranking: Array<{ service: string; confidence: number }>;
    suspectCommits: Array<{ sha: string; reasons: string[] }>;
    timeline: Array<{ traceId: string; services: string[] }>;
    templates: Array<{ service: string; kind: string; level: string; template: string }>;
    gaps: string[];
  }>;
}

let scenario: TriageScenario;
let cleanup: () => Promise<void>;

before(async () => {
  const dir = await tempDir('triage-scenario');
  cleanup = dir.cleanup;
  scenario = await createTriageScenario(dir.path);
});
after(() => cleanup());

test('the deepest service is the root cause, not the gateway that alerted first, and the guilty commit is the top suspect', async () => {
  const run = await runCli(['triage', '--config', scenario.configFile, '--alerts', scenario.alertsDir, '--json'], { cwd: scenario.dir, timeoutMs: 60_000 });
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as OfflineReport;
  assert.equal(report.incidents.length, 1, 'gateway, orders and inventory alerts are one incident');
  const [incident] = report.incidents;
  assert.ok(incident);
  assert.deepEqual([...incident.services].sort(), ['gateway', 'inventory', 'orders']);

  assert.equal(incident.rootCause?.service, 'inventory', JSON.stringify(incident.ranking));
  const others = incident.ranking.filter((r) => r.service !== 'inventory');
  assert.ok(others.every((r) => r.confidence < incident.rootCause!.confidence));
  assert.ok(incident.rootCause.reasons.length > 0);

  assert.equal(incident.suspectCommits[0]?.sha, scenario.guiltySha, JSON.stringify(incident.suspectCommits, null, 1));
  assert.ok(incident.suspectCommits.length <= 3);
  const named = incident.suspectCommits.map((s) => s.sha);
  assert.ok(!named.includes(scenario.innocentShas.afterFirstError!), 'a commit after the first error is never a suspect');
  assert.match(incident.suspectCommits[0]!.reasons.join(' '), /line 12 of services\/inventory\/src\/stock\.js/);

  const inventoryTemplate = incident.templates.find((t) => t.service === 'inventory' && t.kind === 'new');
  assert.ok(inventoryTemplate, 'the inventory TypeError is a new template');
  assert.equal(inventoryTemplate.level, 'error');
  assert.match(inventoryTemplate.template, /TypeError/);
  assert.ok(incident.timeline.some((trace) => trace.services.includes('inventory') && trace.services.includes('gateway')));
});

test('the human report leads with the root cause and the suspect', async () => {
  const run = await runCli(['triage', '--config', scenario.configFile, '--alerts', scenario.alertsDir], { cwd: scenario.dir, timeoutMs: 60_000 });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /root cause: inventory \(\d+%\)/);
  assert.ok(run.stdout.includes(scenario.guiltySha.slice(0, 12)));
});

test('a captured file that is not an alert is refused with its name, exit code 2', async () => {
  const bad = join(scenario.dir, 'datadog-bad.json');
  await writeFile(bad, '{"title": "unterminated');
  const run = await runCli(['triage', '--config', scenario.configFile, '--alerts', bad], { cwd: scenario.dir });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /datadog-bad\.json/);
  const unnamed = join(scenario.dir, 'alert.json');
  await writeFile(unnamed, '{}');
  const second = await runCli(['triage', '--config', scenario.configFile, '--alerts', unnamed], { cwd: scenario.dir });
  assert.equal(second.code, 2);
  assert.match(second.stderr, /alert\.json: name it sentry-…, datadog-… or envelope-…/);
});
