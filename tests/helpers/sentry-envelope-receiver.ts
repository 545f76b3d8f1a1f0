import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One envelope as Sentry's documented format has it: a header line, then item header and payload lines. */
export interface ReceivedEnvelope {
  path: string;
  sentryKey: string | null;
  header: Record<string, unknown>;
  items: { header: { type?: string }; payload: any }[];
}

/**
 * A loopback HTTP server that accepts envelopes on `/api/<project>/envelope/` the way Sentry's ingest
 * does (200 with the event id), for tests that point a real @sentry/node client at it.
 */
export async function startSentryEnvelopeReceiver(): Promise<{ dsn: (projectId?: string) => string; port: number; envelopes: ReceivedEnvelope[]; close(): Promise<void> }> {
  const envelopes: ReceivedEnvelope[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      if (req.method !== 'POST' || !/^\/api\/\d+\/envelope\/$/.test(url.pathname)) {
        res.writeHead(404).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const [header = '{}', ...rest] = text.split('\n').filter((line) => line.trim() !== '');
      const items: ReceivedEnvelope['items'] = [];
      for (let i = 0; i + 1 < rest.length; i += 2) items.push({ header: JSON.parse(rest[i]!), payload: JSON.parse(rest[i + 1]!) });
      const parsedHeader = JSON.parse(header) as Record<string, unknown>;
      envelopes.push({ path: url.pathname, sentryKey: url.searchParams.get('sentry_key'), header: parsedHeader, items });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: parsedHeader.event_id ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    envelopes,
    dsn: (projectId = '42') => `http://0123456789abcdef0123456789abcdef@127.0.0.1:${port}/${projectId}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
