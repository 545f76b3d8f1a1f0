import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response } from 'express';

/** Why a body could not be read, shaped like body-parser's errors (http-errors: status and type). */
export interface BodyError {
  status: number;
  type: string;
  message: string;
}

export type ReadBody = (req: IncomingMessage, res: ServerResponse, done: (error: BodyError | undefined, body: Buffer) => void) => void;

const EMPTY = Buffer.alloc(0);

function bodyError(status: number, type: string, message: string): BodyError {
  return { status, type, message };
}

/**
 * Reads a request's raw body, at most `limit` bytes. A body without content encoding, what the
 * webhooks send, is collected here directly: body-parser's machinery cost ingest about a fifth of
 * its CPU per delivery (bench/ingest). A compressed body goes through `express.raw`, which inflates
 * it and applies the limit to the decompressed bytes. Both fail alike: 413 `entity.too.large` over
 * the limit, 400 for an upload that ends short or aborts.
 */
export function createBodyReader(limit: number): ReadBody {
  const inflating = express.raw({ type: () => true, limit, inflate: true });
  return (req, res, done) => {
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      // body-parser needs only Node's request (it leaves the body on `req.body`), whatever the typings say.
      inflating(req as Request, res as Response, (error?: unknown) => {
        const { body } = req as { body?: unknown };
        done(error as BodyError | undefined, Buffer.isBuffer(body) ? body : EMPTY);
      });
      return;
    }
    const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    let finished = false;
    const finish = (error: BodyError | undefined, body: Buffer) => {
      if (finished) return;
      finished = true;
      req.off('data', onData).off('end', onEnd).off('error', onAborted).off('close', onAborted);
      if (!error) return done(undefined, body);
      // Like body-parser: read off the rest of the upload before answering, so the connection stays usable.
      if (req.complete || req.destroyed) return done(error, EMPTY);
      let answered = false;
      const answer = () => {
        if (answered) return;
        answered = true;
        done(error, EMPTY);
      };
      req.once('end', answer).once('close', answer);
      req.resume();
    };
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) finish(bodyError(413, 'entity.too.large', 'request entity too large'), EMPTY);
      else chunks.push(chunk);
    };
    const onEnd = () => {
      if (declared !== undefined && received !== declared) return finish(bodyError(400, 'request.size.invalid', 'request size did not match content length'), EMPTY);
      finish(undefined, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    };
    const onAborted = () => finish(bodyError(400, 'request.aborted', 'request aborted'), EMPTY);
    if (declared !== undefined && declared > limit) return finish(bodyError(413, 'entity.too.large', 'request entity too large'), EMPTY);
    req.on('data', onData).on('end', onEnd).on('error', onAborted).on('close', onAborted);
  };
}
