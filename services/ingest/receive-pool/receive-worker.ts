// A receive thread: verifies, parses and normalises deliveries, and encodes their events, off the
// HTTP thread. It builds the same route table as the HTTP thread, from the `ingest` configuration.
import { parentPort, workerData } from 'node:worker_threads';
import type { NightshiftConfig } from '../../../shared/config/index.js';
import { createIngestRoutes } from '../create-ingest-routes.js';
import { receiveEncoded, type EncodedVerdict } from '../receive-encoded.js';
import type { ReceiveReply, ReceiveRequest, ReceiveTask } from './receive-task.js';

const receivers = new Map(createIngestRoutes(workerData as NightshiftConfig['ingest']));

async function receive(task: ReceiveTask): Promise<EncodedVerdict> {
  const receiver = receivers.get(task.path);
  if (!receiver) throw new Error(`no receiver for ${task.path} in the receive thread`);
  const body = Buffer.from(task.body.buffer, task.body.byteOffset, task.body.byteLength);
  return receiveEncoded(receiver, { headers: task.headers, body, query: task.query, params: task.params }, new Date(task.now));
}

parentPort!.on('message', ({ id, task }: ReceiveRequest) => {
  const reply = (message: ReceiveReply, moved: ArrayBuffer[] = []) => parentPort!.postMessage(message, moved);
  const started = performance.now();
  receive(task).then(
    // The event's bytes are moved, not copied (encodeEvent gives them a buffer of their own).
    (verdict) => reply({ id, verdict, workMs: performance.now() - started }, verdict.ok && verdict.event ? [verdict.event.json.buffer as ArrayBuffer] : []),
    (error: unknown) => reply({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
