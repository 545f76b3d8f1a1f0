import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { collectLogs } from '../../services/triage/collect-logs.js';
import { createLogRecordCompactor } from '../../services/triage/compact-log-record.js';
import { correlateLogs } from '../../services/triage/correlation/correlate-logs.js';
import { createFileLogSource } from '../../services/triage/evidence/file/create-file-log-source.js';
import type { LogRecord } from '../../services/triage/evidence/log-record.js';
import type { LogSource } from '../../services/triage/evidence/log-source.js';
import { countBaselineTemplates } from '../../services/triage/templates/count-baseline-templates.js';
import { findAnomalousTemplates } from '../../services/triage/templates/find-anomalous-templates.js';
import { createTriageScenario, type TriageScenario } from '../helpers/triage-scenario.js';
import { tempDir } from '../helpers/wait.js';

const log = pino({ level: 'silent' });
let scenario: TriageScenario;
let source: LogSource;
let cleanup: () => Promise<void>;

before(async () => {
  const dir = await tempDir('triage-streamed-baseline');
  cleanup = dir.cleanup;
  scenario = await createTriageScenario(dir.path, { requestsPerSecond: 2, noiseServices: 3 });
  const logs = join(dir.path, 'logs');
  source = createFileLogSource({ files: (await readdir(logs)).sort().map((name) => ({ path: join(logs, name), format: 'pino' as const })), maxRecords: 1_000_000 });
});
after(() => cleanup());

test('a baseline streamed into the miner as counts yields the same anomalous templates as mining the held baseline', async () => {
  // The triage windows of the scenario: the incident from ten minutes before the first error, an hour's baseline before it.
  const from = scenario.firstErrorAt - 10 * 60_000;
  const window = { baselineFrom: from - 60 * 60_000, from, to: scenario.firstErrorAt + 4 * 60_000 };
  const query = { services: [], from: window.baselineFrom, to: window.to };

  const held = await collectLogs([source], query, { maxRecords: 1_000_000, log }).then(({ records }) => records);
  const heldBaseline = held.filter((record) => record.timestamp < window.from);
  const heldIncident = held.filter((record) => record.timestamp >= window.from);
  const before = findAnomalousTemplates({ baseline: heldBaseline, incident: heldIncident, window });

  const baseline = countBaselineTemplates();
  const compact = createLogRecordCompactor();
  const streamed = await collectLogs([source], query, {
    maxRecords: 1_000_000,
    log,
    keep: (record): LogRecord | undefined => {
      if (record.timestamp >= window.from) return compact(record);
      baseline.add(record);
      return undefined;
    },
  });
  const after = findAnomalousTemplates({ baseline, incident: streamed.records, window });

  assert.ok(heldBaseline.length > 5_000 && heldIncident.length > 1_000, `a real baseline and window (${heldBaseline.length}, ${heldIncident.length})`);
  assert.equal(baseline.lines, heldBaseline.length, 'every baseline line was counted');
  assert.equal(streamed.records.length, heldIncident.length, 'only the incident window was held');
  assert.deepEqual(after, before);
  const inventory = after.find((anomaly) => anomaly.service === 'inventory' && anomaly.kind === 'new' && anomaly.level === 'error');
  assert.ok(inventory, 'the bad deploy shows up as a new error template of inventory');
  assert.match(inventory.template, /reserve failed for order <\*>: TypeError/);
  assert.ok(after.some((anomaly) => anomaly.kind === 'new' && anomaly.baselineCount === 0 && anomaly.service === 'gateway'));
  assert.ok(!after.some((anomaly) => anomaly.template.startsWith('POST /api/checkout received')), 'steady traffic is neither new nor bursting');

  assert.deepEqual(correlateLogs(streamed.records), correlateLogs(heldIncident), 'compacted records correlate as the full ones');
});
