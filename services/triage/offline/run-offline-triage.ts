import type { Logger } from 'pino';
import type { NightshiftConfig } from '../../../shared/config/index.js';
import { createSqliteStore } from '../../../shared/store/index.js';
import { createGroupingOptions, createTriageDeps } from '../create-triage-role.js';
import { groupAlert } from '../grouping/group-alert.js';
import type { TriageReport } from '../report/triage-report.js';
import { triageIncident } from '../triage-incident.js';
import { readCapturedAlerts } from './read-captured-alerts.js';

/**
 * Triage of captured alerts, for post-mortems, rule replay and tests: the live grouping and triage
 * code over an in-memory store whose clock follows the alerts, so windows are the incident's own.
 */
export async function runOfflineTriage({ config, alertsPath, log }: { config: NightshiftConfig; alertsPath: string; log: Logger }): Promise<TriageReport[]> {
  let clock = new Date();
  const alerts = await readCapturedAlerts(alertsPath, () => clock);
  alerts.sort((a, b) => Date.parse(a.payload.receivedAt) - Date.parse(b.payload.receivedAt));
  const store = await createSqliteStore({ file: ':memory:', clock: () => clock });
  try {
    const grouping = createGroupingOptions(config);
    for (const alert of alerts) {
      clock = new Date(alert.payload.receivedAt);
      await store.transaction((tx) => groupAlert(alert, tx, grouping));
    }
    const deps = { ...createTriageDeps(config), store, log };
    const incidents = (await store.listIncidents()).reverse();
    const reports: TriageReport[] = [];
    for (const incident of incidents) reports.push(await triageIncident(incident.id, deps));
    return reports;
  } finally {
    await store.close();
  }
}
