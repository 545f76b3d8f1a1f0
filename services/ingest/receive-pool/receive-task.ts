import type { IncomingHttpHeaders } from 'node:http';
import type { EncodedVerdict } from '../receive-encoded.js';

/** One delivery handed to a receive thread: the route's path and the request as plain, cloneable data. */
export interface ReceiveTask {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body's bytes, in a buffer of their own that is moved (not copied) to the thread. */
  body: Uint8Array;
  query: Record<string, string | undefined>;
  params: Record<string, string | undefined>;
  /** The receive time, in milliseconds since the epoch. */
  now: number;
}

export interface ReceiveRequest {
  id: number;
  task: ReceiveTask;
}

/**
 * A task's verdict and the milliseconds the thread spent reaching it, or why it could not reach one (a
 * bug: receivers turn bad input into verdicts).
 */
export type ReceiveReply = { id: number; verdict: EncodedVerdict; workMs: number } | { id: number; error: string };
