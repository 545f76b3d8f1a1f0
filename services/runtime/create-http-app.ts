import express, { type ErrorRequestHandler, type Express } from 'express';
import { beginForegroundWork } from '../../shared/bus/embedded/foreground-work.js';
import type { Role, RoleContext } from './role.js';
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

/**
 * The process's HTTP server: liveness, readiness, and the routes of the roles it runs. `subscriptions`
 * reports the bus handlers' startup, "ok" once every one is subscribed: the server listens before
 * that, so /healthz answers while a consumer group still joins and /readyz says what it waits for.
 */
export function createHttpApp({ roles, ctx, subscriptions }: { roles: Role[]; ctx: RoleContext; subscriptions: () => string }): Express {
  const { log } = ctx;
  const app = express();
  app.disable('x-powered-by');
  // Counted so that this process's bus consumers give way while requests wait (see createConsumerPacer).
  app.use((_req, res, next) => {
    res.once('close', beginForegroundWork());
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'alive' });
  });

  app.get('/readyz', async (_req, res) => {
    const [bus, store] = await Promise.all([check(() => ctx.bus.ping(), 2_000), check(() => ctx.store.ping(), 2_000)]);
    const checks = { bus, store, subscriptions: subscriptions() };
    const ready = Object.values(checks).every((result) => result === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks, roles: roles.map((r) => r.name) });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });

  for (const role of roles) if (role.router) app.use(role.router(ctx));

  app.use((req, res) => sendProblem(res, 404, 'not-found', `no route for ${req.method} ${req.path}`));
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log.error({ err: error, path: req.path }, 'request failed');
    sendProblem(res, status, status === 500 ? 'internal-error' : 'bad-request', status === 500 ? 'internal error' : String(error.message));
  };
  app.use(onError);
  return app;
}
