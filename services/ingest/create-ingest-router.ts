import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Bus } from '../../shared/bus/bus.js';
import type { Store } from '../../shared/store/store.js';
import type { Metrics } from '../../shared/telemetry/create-metrics.js';
import { sendProblem } from '../runtime/send-problem.js';
import { createDeliveryAcceptor } from './create-delivery-acceptor.js';
import { createBodyReader, type BodyError } from './create-body-reader.js';
import { receiveEncoded, type EncodedVerdict } from './receive-encoded.js';
import type { ReceivePool } from './receive-pool/create-receive-pool.js';
import type { RawDelivery, Receiver } from './receiver.js';

export interface IngestRouterDeps {
  bus: Bus;
  store: Store;
  metrics: Metrics;
  log: Logger;
  now: () => Date;
  maxBodyBytes: number;
  /** Path → receiver, e.g. `/webhooks/sentry`. */
  routes: [string, Receiver][];
  /** Runs the receivers in worker threads (built from the same route table); on the HTTP thread when absent. */
  receivePool?: ReceivePool;
  /** Whether a delivery of this many bytes goes to the receive pool (see createOffloadPolicy); each one when absent. */
  offload?: (bodyBytes: number) => boolean;
}

/** What the router gives a handler on a plain Node request (see createHttpApp). */
type PlainRequest = IncomingMessage & { params: Record<string, string> };

function contentTypeAllowed(req: IncomingMessage, receiver: Receiver): boolean {
  if (!receiver.contentTypes) return true;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return receiver.contentTypes.includes(type);
}

/** The JSON answer, written directly: express's `res.json` (charset lookup, ETag) cost more than the write. */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

function asStrings(record: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
}

/** The query string's parameters, parsed as express's default ("simple") query parser does; a repeated one is left out. */
function queryOf(req: IncomingMessage): Record<string, string | undefined> {
  const url = req.url ?? '';
  const start = url.indexOf('?');
  return start === -1 ? {} : asStrings(parseQuery(url.slice(start + 1)));
}

/**
 * The webhook and envelope endpoints: verify, normalise, publish durably, then acknowledge. The
 * handlers use only Node's request and response, so the router serves as a role's `plainRouter`.
 */
export function createIngestRouter(deps: IngestRouterDeps): Router {
  const router = Router();
  const acceptDelivery = createDeliveryAcceptor(deps);
  const count = (source: string, outcome: string, reason: string) => {
    deps.metrics.ingestDeliveries.inc({ source, outcome, reason });
    if (outcome === 'rejected') deps.metrics.alertsRejected.inc({ source, reason });
    else if (outcome === 'accepted' && reason === 'alert.received.v1') deps.metrics.alertsReceived.inc({ source });
  };
  // Decompresses gzip/deflate; the limit applies to the decompressed bytes too.
  const readBody = createBodyReader(deps.maxBodyBytes);
  const pool = deps.receivePool;
  const offload = deps.offload ?? (() => true);
  const received = { http: deps.metrics.ingestReceives.labels({ thread: 'http' }), receive: deps.metrics.ingestReceives.labels({ thread: 'receive' }) };
  const receive = (path: string, receiver: Receiver, delivery: RawDelivery, now: Date): Promise<EncodedVerdict> => {
    if (pool && offload(delivery.body.length)) {
      received.receive.inc();
      return pool.receive(path, delivery, now);
    }
    received.http.inc();
    return receiveEncoded(receiver, delivery, now);
  };

  // Body errors: too large, unsupported or corrupt content encoding, aborted upload.
  const onBodyError = (source: string, error: BodyError, res: ServerResponse, next: (error: unknown) => void) => {
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (status >= 500) return next(error);
    const reason = error.type === 'entity.too.large' ? 'too-large' : error.type === 'encoding.unsupported' ? 'content-encoding' : 'bad-body';
    count(source, 'rejected', reason);
    const detail = reason === 'too-large' ? `the body is over the limit of ${deps.maxBodyBytes} bytes (after decompression)` : String(error.message);
    sendProblem(res, status, reason, detail);
  };

  async function handle(path: string, receiver: Receiver, req: PlainRequest, res: ServerResponse, body: Buffer): Promise<void> {
    const source = receiver.source;
    if (!contentTypeAllowed(req, receiver)) {
      count(source, 'rejected', 'content-type');
      return sendProblem(res, 415, 'unsupported-media-type', `expected ${receiver.contentTypes!.join(' or ')}, got ${req.headers['content-type'] ?? 'none'}`);
    }
    const delivery = { headers: req.headers, body, query: queryOf(req), params: asStrings(req.params) };
    let verdict: EncodedVerdict;
    try {
      verdict = await receive(path, receiver, delivery, deps.now());
    } catch (error) {
      // A receive thread lost (receivers turn bad input into verdicts): not the sender's fault, so a 503 it retries.
      count(source, 'failed', 'unavailable');
      deps.log.error({ err: error, source }, 'delivery could not be received');
      return sendProblem(res, 503, 'unavailable', 'the delivery could not be verified right now; retry later');
    }
    if (!verdict.ok) {
      const { status, reason, detail, field } = verdict.rejection;
      count(source, 'rejected', reason);
      deps.log.warn({ source, status, reason, field }, 'delivery rejected');
      return sendProblem(res, status, reason, detail, field ? { field } : {});
    }
    try {
      const result = await acceptDelivery(source, verdict);
      count(source, result.body.duplicate ? 'duplicate' : 'accepted', verdict.event ? verdict.event.type : 'dropped');
      // Debug, not info: a line per delivery costs ingest a fifth or more of its throughput (bench/ingest).
      deps.log.debug({ source, deliveryId: verdict.deliveryId, eventId: result.body.eventId, duplicate: result.body.duplicate }, 'delivery accepted');
      sendJson(res, result.status, result.body);
    } catch (error) {
      // Not the sender's fault: 503 makes Sentry, Datadog and GitHub deliver again later.
      count(source, 'failed', 'unavailable');
      deps.log.error({ err: error, source, deliveryId: verdict.deliveryId }, 'delivery could not be stored');
      sendProblem(res, 503, 'unavailable', 'the delivery could not be stored durably; retry later');
    }
  }

  for (const [path, receiver] of deps.routes) {
    const source = receiver.source;
    router.post(path, (req: PlainRequest, res: ServerResponse, next: (error?: unknown) => void) => {
      const routed = performance.now();
      res.once('finish', () => deps.metrics.ingestRequestDuration.observe({ source, status: res.statusCode }, (performance.now() - routed) / 1000));
      readBody(req, res, (error, body) => {
        if (error) return onBodyError(source, error, res, next);
        handle(path, receiver, req, res, body).catch(next);
      });
    });
  }
  return router;
}
