import type { Response } from 'express';

/** Answers with an RFC 9457 problem document: a status and a body that names the problem. */
export function sendProblem(res: Response, status: number, type: string, detail: string, extra: Record<string, unknown> = {}): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: `https://nightshift.dev/problems/${type}`, title: type.replaceAll('-', ' '), status, detail, ...extra }));
}
