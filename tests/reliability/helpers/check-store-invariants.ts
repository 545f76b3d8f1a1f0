import type { Store } from '../../../shared/store/store.js';
import { deliveryKey, postDelivery, type Ack } from './alert-sender.js';

export interface Findings {
  rows: [string, string | number][];
  /** Broken promises, one line each; empty when the run kept every one. */
  problems: string[];
}

/**
 * Holds the store to what ingest promised the senders: every acknowledged delivery stored exactly
 * once (alert and ledger row, under the event id it was answered with), every alert grouped, one
 * incident per fingerprint group, alert counts that match, and at most one pull request per incident.
 */
export async function checkStoreInvariants(store: Store, acks: Ack[]): Promise<Findings> {
  const problems: string[] = [];
  const alerts = await store.listAlerts();
  const byDelivery = new Map<string, typeof alerts>();
  for (const alert of alerts) {
    const key = deliveryKey(alert);
    byDelivery.set(key, [...(byDelivery.get(key) ?? []), alert]);
  }

  let lost = 0;
  let ledgerMissing = 0;
  for (const ack of acks) {
    const key = deliveryKey(ack.delivery);
    const stored = byDelivery.get(key) ?? [];
    if (stored.length === 0) {
      lost++;
      if (lost <= 5) problems.push(`acknowledged delivery ${key} (event ${ack.eventId}) is not in the store`);
    } else if (stored[0]!.id !== ack.eventId) {
      problems.push(`delivery ${key} was answered with event ${ack.eventId} but stored as ${stored[0]!.id}`);
    }
    const ledger = await store.findDelivery(ack.delivery.source, ack.delivery.deliveryId);
    if (!ledger || ledger.eventId !== ack.eventId) {
      ledgerMissing++;
      if (ledgerMissing <= 5) problems.push(`delivery ${key} has no ledger row with event ${ack.eventId} (found ${ledger?.eventId ?? 'none'})`);
    }
  }
  if (lost > 5) problems.push(`… ${lost} acknowledged deliveries lost in all`);

  const duplicated = [...byDelivery].filter(([, list]) => list.length > 1);
  for (const [key, list] of duplicated.slice(0, 5)) problems.push(`delivery ${key} is stored ${list.length} times`);
  const ungrouped = alerts.filter((alert) => alert.incidentId === null);
  if (ungrouped.length > 0) problems.push(`${ungrouped.length} alerts belong to no incident (triage did not drain)`);

  const incidents = await store.listIncidents({ limit: 100_000 });
  const incidentsByKey = new Map<string, number>();
  for (const incident of incidents) incidentsByKey.set(incident.key, (incidentsByKey.get(incident.key) ?? 0) + 1);
  for (const [key, count] of incidentsByKey) if (count > 1) problems.push(`fingerprint ${key} has ${count} incidents`);
  const incidentsOfFingerprint = new Map<string, Set<string>>();
  for (const alert of alerts) {
    if (!alert.incidentId) continue;
    const set = incidentsOfFingerprint.get(alert.fingerprint) ?? new Set<string>();
    set.add(alert.incidentId);
    incidentsOfFingerprint.set(alert.fingerprint, set);
  }
  for (const [fingerprint, set] of incidentsOfFingerprint) if (set.size > 1) problems.push(`alerts of fingerprint ${fingerprint} are split over ${set.size} incidents`);
  if (incidents.length !== incidentsOfFingerprint.size) {
    problems.push(`${incidents.length} incidents for ${incidentsOfFingerprint.size} fingerprint groups`);
  }
  for (const incident of incidents) {
    const assigned = alerts.filter((alert) => alert.incidentId === incident.id).length;
    if (incident.alertCount !== assigned) problems.push(`incident ${incident.id} counts ${incident.alertCount} alerts but has ${assigned}`);
  }

  // "No second PR" as the store sees it; checkDraftedFixes holds the forge's records to it too, and
  // requires that PRs were drafted at all in the runs whose config has a draft-fix rule.
  let pullRequests = 0;
  for (const incident of incidents) {
    const links = await store.listPullRequests(incident.id);
    pullRequests += links.length;
    if (links.length > 1) problems.push(`incident ${incident.id} has ${links.length} pull requests`);
  }

  return {
    problems,
    rows: [
      ['acknowledged deliveries', acks.length],
      ['alerts in store', alerts.length],
      ['acknowledged but lost', lost],
      ['ledger rows missing', ledgerMissing],
      ['deliveries stored twice', duplicated.length],
      ['alerts without incident', ungrouped.length],
      ['fingerprint groups', incidentsOfFingerprint.size],
      ['incidents', incidents.length],
      ['pull requests (max 1/incident)', pullRequests],
    ],
  };
}

function parseAnswer(text: string): { eventId?: string; duplicate?: boolean } | undefined {
  try {
    return JSON.parse(text) as { eventId?: string; duplicate?: boolean };
  } catch {
    return undefined;
  }
}

/** Sends every acknowledged delivery again: each must be answered 200 as a duplicate of its first event. */
export async function redeliverAcknowledged(baseUrl: string, acks: Ack[], concurrency = 8): Promise<Findings> {
  const problems: string[] = [];
  let duplicates = 0;
  const queue = [...acks];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let ack = queue.shift(); ack; ack = queue.shift()) {
        const answer = await postDelivery(baseUrl, ack.delivery, 15_000);
        const body = answer ? parseAnswer(answer.text) : undefined;
        if (answer?.status === 200 && body?.duplicate === true && body.eventId === ack.eventId) duplicates++;
        else if (problems.length < 5) problems.push(`redelivery of ${deliveryKey(ack.delivery)} got ${answer?.status ?? 'no answer'} ${answer?.text.slice(0, 200) ?? ''}`);
      }
    }),
  );
  if (duplicates !== acks.length) problems.push(`${acks.length - duplicates} of ${acks.length} redeliveries were not answered as duplicates`);
  return { problems, rows: [['redeliveries answered as duplicate', `${duplicates}/${acks.length}`]] };
}
