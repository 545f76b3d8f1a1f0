import type { ServerResponse } from 'node:http';

/**
 * Answers with an RFC 9457 problem document: a status and a body that names the problem. Written on
 * Node's own response, so that it serves express routes and the plain ones alike (see createHttpApp).
 */
export function sendProblem(res: ServerResponse, status: number, type: string, detail: string, extra: Record<string, unknown> = {}): void {
  const body = JSON.stringify({ type: `https://nightshift.dev/problems/${type}`, title: type.replaceAll('-', ' '), status, detail, ...extra });
  res.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}
