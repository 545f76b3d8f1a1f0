import type { IncidentStatus } from '../../../shared/store/store.js';
import { listIncidents, type IncidentSummary } from './read-incidents.js';

/** When the demo first saw each incident in each status (epoch ms), to time Nightshift's own steps. */
export interface IncidentWatch {
  /** `any`: first seen at all; `triaged`: first seen with a report, i.e. past `open` (it may be `fixing` already). */
  firstSeen(incidentId: string, status?: IncidentStatus | 'any'): number | undefined;
  /** The latest listing. */
  latest(): IncidentSummary[];
  stop(): void;
}

/**
 * Polls `GET /api/incidents` in the background every `intervalMs`, so that an incident opened and
 * triaged between two demo stages is still timed to within one interval.
 */
export function watchIncidents(nightshiftUrl: string, { intervalMs = 100, now = () => Date.now() } = {}): IncidentWatch {
  const seen = new Map<string, number>();
  let latest: IncidentSummary[] = [];
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      latest = await listIncidents(nightshiftUrl);
      const at = now();
      for (const incident of latest) {
        const keys = [`${incident.id}:any`, `${incident.id}:${incident.status}`];
        // Triage moves an incident out of `open`; later roles may move it on before a poll sees `triaged`.
        if (incident.status !== 'open') keys.push(`${incident.id}:triaged`);
        for (const key of keys) if (!seen.has(key)) seen.set(key, at);
      }
    } catch {
      // A missed poll only blurs a timing; the stages read the API themselves.
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), intervalMs);
  void poll();
  return {
    firstSeen: (incidentId, status = 'any') => seen.get(`${incidentId}:${status}`),
    latest: () => latest,
    stop: () => clearInterval(timer),
  };
}
