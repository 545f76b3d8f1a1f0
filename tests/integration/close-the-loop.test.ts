import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { createDefaultConfig } from '../../shared/config/create-default-config.js';
import type { NightshiftConfig } from '../../shared/config/index.js';
import { createEvent } from '../../shared/events/create-event.js';
import type { RuleDecision } from '../../shared/events/incident-triaged.js';
import type { EventOf, NightshiftEvent } from '../../shared/events/registry.js';
import { createSqliteStore } from '../../shared/store/index.js';
import type { Store } from '../../shared/store/store.js';
import { createMetrics } from '../../shared/telemetry/create-metrics.js';
import { createFixerRole } from '../../services/fixer/create-fixer-role.js';
import { REGRESSED_LABEL } from '../../services/fixer/follow-fix-outcome.js';
import type { LocalPullRequest } from '../../services/fixer/forge/local/local-pull-request.js';
import { createIncidentTriagedEvent } from '../../services/triage/create-incident-triaged-event.js';
import { createTriageRole } from '../../services/triage/create-triage-role.js';
import type { TriageReport } from '../../services/triage/report/triage-report.js';
import { resolveQuietIncidents } from '../../services/triage/resolution/resolve-quiet-incidents.js';
import { makeAlertEvent } from '../helpers/events.js';
import { createTestGitRepo, lines } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/wait.js';
import { createManualClock, type ManualClock } from './store-contract.js';
import { stockLookupReport } from '../helpers/stock-lookup-report.js';

const MINUTE = 60_000;
const FINGERPRINT = 'orders:TypeError';
const log = pino({ level: 'silent' });
const metrics = createMetrics();
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function report(incidentId: string, guilty: string): TriageReport {
  return stockLookupReport({ incidentId, suspect: guilty, service: 'orders' });
}

const fix = { strategies: ['revert' as const], modelTier: 'large', maxTokens: 50_000, maxUsd: 1, repositories: [], paths: [], verificationProfile: null, reviewers: [], labels: [], requireApproval: false };
const decision: RuleDecision = { action: 'draft-fix', ruleId: 'orders-errors', reasons: ['service is orders'], strategies: fix.strategies, fix };

interface Loop {
  store: Store;
  clock: ManualClock;
  config: NightshiftConfig;
  /** The triage role's grouping handler, as the bus would call it. */
  triage(event: NightshiftEvent): Promise<NightshiftEvent[]>;
  fixer(event: NightshiftEvent): Promise<NightshiftEvent[]>;
  /** One pass of the resolution sweep; returns what it published. */
  sweep(): Promise<NightshiftEvent[]>;
  pull(number: number): Promise<LocalPullRequest>;
}

/** The triage and fixer roles on one SQLite store and a local forge, with a clock the test moves. */
async function startLoop(): Promise<Loop & { incidentId: string; pullRequest: number }> {
  const repo = await createTestGitRepo();
  cleanups.push(() => repo.cleanup());
  await repo.commit({ message: 'orders: stock lookup', files: { 'src/stock.js': lines('export function stockFor(records, sku) {', '  const record = records[sku];', '  return record ? record.count : 0;', '}') }, date: new Date('2026-11-20T10:00:00Z') });
  const guilty = await repo.commit({ message: 'orders: simplify stock lookup', files: { 'src/stock.js': lines('export function stockFor(records, sku) {', '  return records[sku].count;', '}') }, date: new Date('2026-11-21T01:00:00Z') });
  const data = await tempDir('nightshift-loop-');
  cleanups.push(data.cleanup);
  const config = createDefaultConfig();
  config.dataDir = data.path;
  config.fixer.workspaceDir = join(data.path, 'workspaces');
  config.repositories = { shop: { path: repo.path, slug: 'acme/shop', defaultBranch: 'main', pathPrefixes: [] } };
  config.services = { orders: { repository: 'shop', sourceRoot: '', calls: [] } };
  const clock = createManualClock('2026-11-21T03:00:00.000Z');
  const store = await createSqliteStore({ file: ':memory:', clock });
  cleanups.push(() => store.close());

  const deps = { store, now: clock, log, metrics };
  const triageRole = createTriageRole(config);
  const fixerRole = createFixerRole(config);
  const published: NightshiftEvent[] = [];
  const sweepDeps = { store, publish: async (events: NightshiftEvent[]) => void published.push(...events), now: clock, log, quietMinutes: config.triage.resolveAfterQuietMinutes };
  const loop: Loop = {
    store,
    clock,
    config,
    triage: (event) => triageRole.handlers[0]!.handle(event, deps),
    fixer: (event) => fixerRole.handlers[0]!.handle(event, deps),
    async sweep() {
      const before = published.length;
      // One pass of the sweep, run when the test says (the timer is tested apart).
      await resolveQuietIncidents(sweepDeps);
      return published.slice(before);
    },
    pull: async (number) => JSON.parse(await readFile(join(data.path, 'forge', 'shop', 'pulls', `${number}.json`), 'utf8')) as LocalPullRequest,
  };

  // An alert opens an incident; triage (its report stood in for) lets the fixer draft a revert.
  const [opened] = await loop.triage(makeAlertEvent(1, FINGERPRINT));
  assert.equal(opened?.type, 'incident.changed.v1');
  const incidentId = (opened as EventOf<'incident.changed.v1'>).payload.incidentId;
  const incident = await store.updateIncident(incidentId, { triageReport: report(incidentId, guilty), decision, status: 'triaged' });
  const [drafted] = await loop.fixer(createIncidentTriagedEvent(incident, report(incidentId, guilty), decision, clock));
  assert.equal(drafted?.type, 'fix.drafted.v1');
  const pullRequest = (drafted as EventOf<'fix.drafted.v1'>).payload.pullRequest.number;

  // Someone merges it, and GitHub says so.
  clock.advance(5 * MINUTE);
  await repo.merge(`nightshift/${incidentId}`, { message: 'merge the fix', date: clock() });
  const merged = createEvent(
    'forge.event.v1',
    {
      key: 'acme/shop#pr',
      payload: {
        provider: 'github',
        kind: 'pull_request',
        deliveryId: `merge-${pullRequest}`,
        repository: { owner: 'acme', name: 'shop' },
        sender: 'alice',
        action: 'closed',
        pullRequest: { number: pullRequest, headSha: 'a'.repeat(40), headRef: `nightshift/${incidentId}`, baseRef: 'main', state: 'closed', merged: true, draft: false, url: 'u' },
      },
    },
    { now: clock },
  );
  assert.deepEqual(await loop.fixer(merged), []);
  assert.equal((await store.getIncident(incidentId))?.status, 'recovering');
  assert.equal((await store.listPullRequests(incidentId))[0]?.state, 'merged');
  return { ...loop, incidentId, pullRequest };
}

const actions = async (store: Store, incidentId: string) => (await store.listAudit({ incidentId })).map((entry) => entry.action);

test('a merged fix whose alert stays quiet resolves its incident; the same alert afterwards opens a linked incident and flags the fix', async () => {
  const loop = await startLoop();
  const { store, clock, incidentId, pullRequest } = loop;

  clock.advance(20 * MINUTE);
  assert.deepEqual(await loop.sweep(), []);
  assert.equal((await store.getIncident(incidentId))?.status, 'recovering', 'not quiet long enough');

  clock.advance(11 * MINUTE);
  const [held] = await loop.sweep();
  const resolved = await store.getIncident(incidentId);
  assert.equal(resolved?.status, 'resolved');
  assert.equal(resolved?.resolvedAt, clock.iso());
  const entry = (await store.listAudit({ incidentId })).find((e) => e.action === 'incident-resolved');
  assert.match((entry?.detail as { why: string }).why, new RegExp(`^fix merged at .* \\(shop#${pullRequest}\\); quiet for 30 minutes$`));

  // The fixer says so on the merged PR, once.
  assert.equal(held?.type, 'fix.outcome.v1');
  await loop.fixer(held!);
  await loop.fixer(held!);
  const afterHeld = await loop.pull(pullRequest);
  assert.deepEqual(afterHeld.comments.map((c) => c.body), [`Nightshift resolved incident ${incidentId}, which this pull request fixed: no alert for 30 minutes after the merge.`]);
  assert.ok(!afterHeld.labels.includes(REGRESSED_LABEL));
  assert.equal(afterHeld.state, 'merged', 'the local forge sees the fix in main');

  // The same failure an hour later: a new incident, linked to the resolved one …
  clock.advance(60 * MINUTE);
  const [recurrence] = await loop.triage(makeAlertEvent(2, FINGERPRINT, { receivedAt: clock.iso() }));
  assert.equal(recurrence?.type, 'incident.changed.v1');
  const changed = (recurrence as EventOf<'incident.changed.v1'>).payload;
  assert.equal(changed.change, 'recurrence');
  assert.equal(changed.reopenedFrom, incidentId);
  assert.notEqual(changed.incidentId, incidentId);
  assert.equal((await store.getIncident(changed.incidentId))?.reopenedFrom, incidentId);

  // … and the fix that did not hold is flagged: comment, label, and both timelines.
  assert.deepEqual(await loop.fixer(recurrence!), []);
  await loop.fixer(recurrence!);
  const flagged = await loop.pull(pullRequest);
  assert.deepEqual(flagged.comments.slice(1).map((c) => c.body), [
    `The fix in this pull request did not hold: the alert recurred after incident ${incidentId} was resolved, as incident ${changed.incidentId}. Nightshift labelled it \`${REGRESSED_LABEL}\`.`,
  ]);
  assert.ok(flagged.labels.includes(REGRESSED_LABEL));
  assert.deepEqual((await actions(store, incidentId)).slice(-3), ['incident-resolved', 'fix-held', 'fix-regressed']);
  assert.deepEqual(await actions(store, changed.incidentId), ['previous-fix-regressed']);
  assert.deepEqual((await store.listAudit({ incidentId: changed.incidentId }))[0]?.detail, { repository: 'shop', pullRequest, incidentId });
});

test('the same alert firing after the merge, before resolution, reopens the incident and flags the fix once; it is not resolved', async () => {
  const loop = await startLoop();
  const { store, clock, incidentId, pullRequest } = loop;

  clock.advance(3 * MINUTE);
  const [reopened] = await loop.triage(makeAlertEvent(2, FINGERPRINT, { receivedAt: clock.iso() }));
  assert.equal((await store.getIncident(incidentId))?.status, 'open');
  assert.equal(reopened?.type, 'incident.changed.v1', 'out of recovery is news for the fixer at once');
  assert.deepEqual({ ...(reopened as EventOf<'incident.changed.v1'>).payload, alertId: undefined }, { incidentId, change: 'reopened', key: (await store.getIncident(incidentId))!.key, reopenedFrom: null, alertId: undefined, services: [] });
  await loop.fixer(reopened!);
  await loop.fixer(reopened!);
  const flagged = await loop.pull(pullRequest);
  assert.equal(flagged.comments.length, 1);
  assert.match(flagged.comments[0]!.body, new RegExp(`^The fix in this pull request did not hold: the alert fired again after the merge and incident ${incidentId} is open again \\(2 alerts in all\\)\\.`));
  assert.ok(flagged.labels.includes(REGRESSED_LABEL));
  assert.equal((await store.listAudit({ incidentId })).filter((e) => e.action === 'fix-regressed').length, 1);

  // Later alerts of the open incident are no news, and the sweep does not resolve an open incident.
  assert.deepEqual(await loop.triage(makeAlertEvent(3, FINGERPRINT, { receivedAt: clock.iso() })), []);
  clock.advance(120 * MINUTE);
  assert.deepEqual(await loop.sweep(), []);
  assert.equal((await store.getIncident(incidentId))?.status, 'open');
});

test('a re-triage after the merge flags the fix through the fixer itself, and the reopened event does not flag it twice', async () => {
  const loop = await startLoop();
  const { store, clock, incidentId, pullRequest } = loop;
  clock.advance(3 * MINUTE);
  const [reopened] = await loop.triage(makeAlertEvent(2, FINGERPRINT, { receivedAt: clock.iso() }));
  const incident = (await store.getIncident(incidentId))!;
  const guilty = (incident.triageReport as TriageReport).suspectCommits[0]!.sha;
  assert.deepEqual(await loop.fixer(createIncidentTriagedEvent(incident, report(incidentId, guilty), decision, clock)), [], 'no second fix is drafted');
  const flagged = await loop.pull(pullRequest);
  assert.equal(flagged.comments.length, 1);
  assert.match(flagged.comments[0]!.body, new RegExp(`incident ${incidentId} is firing again after the merge \\(2 alerts\\); Nightshift has not drafted another fix`));
  assert.ok(flagged.labels.includes(REGRESSED_LABEL));

  assert.equal(reopened?.type, 'incident.changed.v1', 'grouping reports it too …');
  await loop.fixer(reopened!);
  assert.equal((await loop.pull(pullRequest)).comments.length, 1, '… but the PR hears it once');
  assert.equal((await store.listAudit({ incidentId })).filter((e) => e.action === 'fix-regressed').length, 1);
  assert.equal((await store.listPullRequests(incidentId)).length, 1);
});
