import { Router } from 'express';
import type { IncidentStatus, Store } from '../../shared/store/store.js';
import { sendProblem } from '../runtime/send-problem.js';
import { loadIncidentDetail, toIncidentSummary } from './incident-views.js';

const statuses: IncidentStatus[] = ['open', 'triaged', 'fixing', 'verifying', 'recovering', 'resolved', 'ignored'];

function parseLimit(value: unknown): number | Error {
  if (value === undefined) return 100;
  const limit = Number(value);
  return Number.isInteger(limit) && limit >= 1 && limit <= 1000 ? limit : new Error('limit must be a whole number from 1 to 1000');
}

function parseStatuses(value: unknown): IncidentStatus[] | undefined | Error {
  if (value === undefined) return undefined;
  const list = String(value).split(',');
  const unknown = list.filter((s) => !statuses.includes(s as IncidentStatus));
  if (unknown.length) return new Error(`unknown status ${unknown.join(', ')} (known: ${statuses.join(', ')})`);
  return list as IncidentStatus[];
}

/** The read-only JSON API over the store. */
export function createConsoleRouter({ store }: { store: Store }): Router {
  const router = Router();

  router.get('/api/incidents', async (req, res) => {
    const limit = parseLimit(req.query.limit);
    const status = parseStatuses(req.query.status);
    if (limit instanceof Error) return sendProblem(res, 400, 'invalid-query', limit.message);
    if (status instanceof Error) return sendProblem(res, 400, 'invalid-query', status.message);
    const incidents = await store.listIncidents({ limit, ...(status ? { status } : {}) });
    res.json({ incidents: incidents.map(toIncidentSummary) });
  });

  router.get('/api/incidents/:id', async (req, res) => {
    const incident = await loadIncidentDetail(store, req.params.id);
    if (!incident) return sendProblem(res, 404, 'incident-not-found', `no incident with id ${req.params.id}`);
    res.json({ incident });
  });

  return router;
}
