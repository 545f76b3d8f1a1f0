import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { Router, type ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { beginForegroundWork } from '../../shared/bus/foreground-work.js';
import type { Role, RoleContext, RoleName } from './role.js';
import { sendProblem } from './send-problem.js';

async function check(probe: () => Promise<void>, timeoutMs: number): Promise<string> {
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A request that failed: the sender's fault (4xx) is named, anything else is logged and answered 500. */
function answerError(log: Logger, error: unknown, req: IncomingMessage, res: ServerResponse): void {
  const given = (error as { status?: unknown } | undefined)?.status;
  const status = typeof given === 'number' && given >= 400 && given < 500 ? given : 500;
  if (status === 500) log.error({ err: error, path: req.url }, 'request failed');
  if (res.headersSent) return void res.destroy();
  sendProblem(res, status, status === 500 ? 'internal-error' : 'bad-request', status === 500 ? 'internal error' : String((error as Error).message));
}

/**
 * The process's HTTP server: liveness, readiness, and the routes of the roles it runs. `subscriptions`
 * reports the bus handlers' startup, "ok" once every one is subscribed: the server listens before
 * that, so /healthz answers while a consumer group still joins and /readyz says what it waits for.
 *
 * A role's `plainRouter` is tried first, on Node's own request and response, and express gets what
 * it does not answer. Express swaps the prototypes of every request and response it handles, and at
 * 1,000 deliveries/s that alone kept about a third of each request's garbage alive into V8's old
 * generation: scavenge pauses of 5-12 ms instead of under 1 ms, and a full collection every few
 * seconds (measured with --trace-gc-nvp against a bare Node server and a bare router).
 */
export function createHttpApp({ roles, roleNames = roles.map((role) => role.name), ctx, subscriptions }: { roles: Role[]; roleNames?: RoleName[]; ctx: RoleContext; subscriptions: () => string }): RequestListener {
  const { log } = ctx;
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'alive' });
  });

  app.get('/readyz', async (_req, res) => {
    const [bus, store] = await Promise.all([check(() => ctx.bus.ping(), 2_000), check(() => ctx.store.ping(), 2_000)]);
    const checks = { bus, store, subscriptions: subscriptions() };
    const ready = Object.values(checks).every((result) => result === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks, roles: roleNames });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.scrape());
  });

  for (const role of roles) if (role.router) app.use(role.router(ctx));

  app.use((req, res) => sendProblem(res, 404, 'not-found', `no route for ${req.method} ${req.path}`));
  const onError: ErrorRequestHandler = (error, req, res, _next) => answerError(log, error, req, res);
  app.use(onError);

  const plainRouters = roles.flatMap((role) => (role.plainRouter ? [role.plainRouter(ctx)] : []));
  const plain = plainRouters.length > 0 ? Router().use(...plainRouters) : undefined;
  return (req, res) => {
    // Counted so that this process's bus consumers give way while requests wait (see createConsumerPacer).
    res.once('close', beginForegroundWork());
    if (!plain) return void app(req, res);
    plain(req as express.Request, res as express.Response, (error?: unknown) => (error ? answerError(log, error, req, res) : app(req, res)));
  };
}
