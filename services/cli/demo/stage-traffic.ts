import type { DemoContext } from './demo-context.js';
import { DemoError } from './demo-error.js';
import { driveTraffic } from './drive-traffic.js';
import { formatSeconds } from './format-seconds.js';
import type { DemoStage } from './run-demo-stages.js';

function describeStatuses(statuses: Record<string, number>): string {
  return Object.entries(statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${count}× ${status}`)
    .join(', ');
}

/** Traffic: shoppers check out through the gateway until some checkouts fail. */
export const trafficStage: DemoStage<DemoContext> = {
  name: 'traffic',
  title: 'traffic',
  async run(ctx) {
    const traffic = await driveTraffic({ gatewayUrl: ctx.system!.urls.gateway, minFailures: 3, timeoutMs: ctx.options.trafficTimeoutMs });
    ctx.traffic = traffic;
    const first = traffic.firstFailure;
    if (!first) {
      throw new DemoError('DEMO_NO_FAILURE', `no checkout failed in ${formatSeconds(traffic.elapsedMs)} (${traffic.requests} requests: ${describeStatuses(traffic.statuses)})`);
    }
    const answer = first.status === 0 ? 'no answer' : String(first.status);
    return `${traffic.requests} checkouts (${describeStatuses(traffic.statuses)}); first failure after ${formatSeconds(traffic.msUntilFirstFailure ?? 0)}: GET ${first.path} → ${answer}`;
  },
};
