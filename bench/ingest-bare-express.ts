// The baseline of bench/ingest: an express app that answers every webhook 202 and does nothing else.
// Run in its own process, like Nightshift, so the load driver does not share its event loop; with a
// worker count argument above 1, in that many processes sharing the port (node:cluster), to compare
// with `nightshift start --workers`.
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import express from 'express';

const workers = Number(process.argv[2] ?? 1);
if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const app = express();
  app.disable('x-powered-by');
  app.post('/webhooks/sentry', (_req, res) => {
    res.status(202).json({ eventId: null, duplicate: false });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
