'use strict';
// What every shop service shares: Sentry for errors, pino for logs (one JSON line per event, to the file in
// LOG_FILE), and W3C trace context carried from the gateway down to inventory, so one request can be
// followed across the three services' logs.
const { randomBytes } = require('node:crypto');
const Sentry = require('@sentry/node');
const pino = require('pino');

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

function hex(bytes) {
  return randomBytes(bytes).toString('hex');
}

function createObservability(service, env = process.env) {
  Sentry.init({
    dsn: env.SENTRY_DSN,
    release: env.SENTRY_RELEASE,
    environment: env.SENTRY_ENVIRONMENT || 'production',
    // Errors only: the shop does not send performance data.
    tracesSampleRate: 0,
  });
  Sentry.setTag('service', service);
  const destination = env.LOG_FILE ? pino.destination({ dest: env.LOG_FILE, sync: true, mkdir: true }) : pino.destination(1);
  const log = pino({ name: service, level: env.LOG_LEVEL || 'info' }, destination);

  // Continues the caller's trace (or starts one at the edge) and gives the request a logger carrying its ids.
  function tracing(req, res, next) {
    const incoming = TRACEPARENT.exec(String(req.headers.traceparent || ''));
    const traceId = incoming ? incoming[1] : hex(16);
    const spanId = hex(8);
    const requestId = String(req.headers['x-request-id'] || hex(8));
    req.trace = { traceId, spanId, requestId };
    req.log = log.child({ trace_id: traceId, span_id: spanId, ...(incoming ? { parent_span_id: incoming[2] } : {}), request_id: requestId });
    res.setHeader('x-request-id', requestId);
    // Errors reported to Sentry name the same trace and request as the log lines.
    const scope = Sentry.getIsolationScope();
    scope.setContext('trace', { trace_id: traceId, span_id: spanId });
    scope.setTag('request_id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      req.log[level]({ status: res.statusCode, ms: Math.round(ms) }, `${req.method} ${req.path} ${res.statusCode}`);
    });
    next();
  }

  // Calls another shop service with this request's trace and request id.
  async function call(req, upstream, url) {
    const headers = { traceparent: `00-${req.trace.traceId}-${req.trace.spanId}-01`, 'x-request-id': req.trace.requestId };
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(3000) });
    const body = await response.json().catch(() => ({}));
    if (response.status >= 500) req.log.error({ upstream, status: response.status }, `call to ${upstream} failed with ${response.status}`);
    return { status: response.status, body };
  }

  // Last middleware: an unexpected error is logged, reported to Sentry with the request's trace, answered 500.
  function errors(error, req, res, _next) {
    (req.log || log).error({ err: error }, `unhandled error: ${error.message}`);
    // Sentry's express integration usually reported it already; its Dedupe drops this second report.
    Sentry.captureException(error);
    res.status(500).json({ error: 'internal error' });
  }

  function listen(app) {
    const port = Number(env.PORT || 0);
    const server = app.listen(port, '127.0.0.1', () => log.info({ port: server.address().port }, `${service} listening`));
    const stop = () => {
      server.close(() => Sentry.flush(2000).finally(() => process.exit(0)));
      server.closeIdleConnections();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    return server;
  }

  return { log, tracing, call, errors, listen };
}

module.exports = { createObservability };
