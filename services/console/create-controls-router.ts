import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request } from 'express';
import type { ControlsConfig } from '../../shared/config/rules-schema.js';
import type { Bus } from '../../shared/bus/bus.js';
import type { RuleDecision } from '../../shared/events/incident-triaged.js';
import type { Store } from '../../shared/store/store.js';
import { createIncidentTriagedEvent } from '../triage/create-incident-triaged-event.js';
import type { TriageReport } from '../triage/report/triage-report.js';
import { sendProblem } from '../runtime/send-problem.js';
import { readKillSwitch, setKillSwitch } from '../triage/rules/kill-switch.js';

function authorised(req: Request, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
  // Compared as digests so the comparison takes the same time whatever the length.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * The runtime kill switch: `GET /api/controls/kill-switch` and `PUT` with `{"enabled": true,
 * "reason": "…"}`. Needs `Authorization: Bearer <controls.apiToken>` when a token is configured.
 */
export function createControlsRouter({ store, controls, bus, now }: { store: Store; controls: ControlsConfig; bus: Bus; now: () => Date }): Router {
  const router = Router();
  const view = async () => ({ killSwitch: { ...(await readKillSwitch(store)), configured: controls.killSwitch } });

  router.get('/api/controls/kill-switch', async (_req, res) => {
    res.json(await view());
  });

  router.put('/api/controls/kill-switch', express.json({ limit: '4kb' }), async (req, res) => {
    if (!authorised(req, controls.apiToken)) return sendProblem(res, 401, 'unauthorised', 'give Authorization: Bearer <controls.apiToken>');
    const body = (req.body ?? {}) as { enabled?: unknown; reason?: unknown; actor?: unknown };
    if (typeof body.enabled !== 'boolean') return sendProblem(res, 400, 'invalid-body', 'send {"enabled": true|false, "reason": "…"}: enabled must be true or false');
    if (body.reason !== undefined && (typeof body.reason !== 'string' || body.reason.length > 500)) {
      return sendProblem(res, 400, 'invalid-body', 'reason must be a string of at most 500 characters');
    }
    const actor = typeof body.actor === 'string' && body.actor.length <= 100 ? `api:${body.actor}` : 'api';
    await setKillSwitch(store, { enabled: body.enabled, actor, ...(typeof body.reason === 'string' ? { reason: body.reason } : {}) });
    res.json(await view());
  });

  // A rule that requires approval parks the fix; approving records who approved and announces the
  // incident again, so the fixer drafts it (the approval is what lets it through).
  router.post('/api/incidents/:id/approve', express.json({ limit: '4kb' }), async (req, res) => {
    if (!authorised(req, controls.apiToken)) return sendProblem(res, 401, 'unauthorised', 'give Authorization: Bearer <controls.apiToken>');
    const incident = await store.getIncident(req.params.id ?? '');
    if (!incident) return sendProblem(res, 404, 'incident-not-found', `no incident with id ${req.params.id}`);
    const decision = incident.decision as RuleDecision | null;
    const report = incident.triageReport as TriageReport | null;
    if (!decision?.fix?.requireApproval || !report) {
      return sendProblem(res, 409, 'nothing-to-approve', `incident ${incident.id} has no fix waiting for approval`);
    }
    const actor = typeof req.body?.actor === 'string' && req.body.actor.length <= 100 ? `api:${req.body.actor}` : 'api';
    await store.appendAudit({ incidentId: incident.id, actor, action: 'fix-approved', detail: {} });
    await bus.publish([createIncidentTriagedEvent(incident, report, decision, now)]);
    res.status(202).json({ approved: incident.id, by: actor });
  });

  return router;
}
