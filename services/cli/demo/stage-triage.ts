import type { DemoContext } from './demo-context.js';
import { DemoError } from './demo-error.js';
import { formatSeconds } from './format-seconds.js';
import { pollUntil } from './poll-until.js';
import { getIncident } from './read-incidents.js';
import type { DemoStage } from './run-demo-stages.js';

/** Triage: Nightshift reads the three services' logs and the repository and names a root cause and a suspect. */
export const triageStage: DemoStage<DemoContext> = {
  name: 'triage',
  title: 'triage',
  async run(ctx) {
    const url = ctx.nightshift!.url;
    const id = ctx.incidentId!;
    const timeoutMs = ctx.options.triageTimeoutMs;
    const incident = await pollUntil(
      async () => {
        const detail = await getIncident(url, id);
        return detail && detail.status !== 'open' && detail.triageReport ? detail : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
    if (!incident) throw new DemoError('DEMO_NO_TRIAGE', `incident ${id.slice(0, 8)} was not triaged within ${formatSeconds(timeoutMs)}`);
    ctx.incident = incident;
    const report = incident.triageReport!;
    const rootCause = report.rootCause ? `${report.rootCause.service} (confidence ${report.rootCause.confidence.toFixed(2)})` : 'none';
    const suspect = report.suspectCommits[0];
    const suspectText = suspect ? `${suspect.sha.slice(0, 7)} "${suspect.subject}" by ${suspect.author}` : 'none';
    // The background watch usually saw the report first; when it had not polled since, this poll did.
    ctx.triagedSeenAt = ctx.watch?.firstSeen(id, 'triaged') ?? Date.now();
    const took = ctx.incidentSeenAt !== undefined ? `; report ready ${formatSeconds(Math.max(0, ctx.triagedSeenAt - ctx.incidentSeenAt))} after the incident opened` : '';
    return `root cause ${rootCause}; suspect commit ${suspectText}${took}`;
  },
};
