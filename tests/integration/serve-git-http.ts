import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback smart-HTTP git server (git http-backend as CGI) that demands one Authorization header. */
export interface GitHttpServer {
  /** `http://127.0.0.1:<port>/` ; append the repository directory's name. */
  baseUrl: string;
  /** Authorization headers received, in order (to prove the token was sent). */
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

/** Serves the repositories under `projectRoot`; requests without `expectedAuthorization` get a 401. */
export async function serveGitHttp(projectRoot: string, expectedAuthorization: string): Promise<GitHttpServer> {
  const authorizations: Array<string | undefined> = [];
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    authorizations.push(req.headers.authorization);
    if (req.headers.authorization !== expectedAuthorization) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' }).end('unauthorized');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
      },
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    cgi.on('close', () => {
      const output = Buffer.concat(chunks);
      const split = output.indexOf('\r\n\r\n');
      const headerText = output.subarray(0, split).toString();
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of headerText.split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === 'status') status = Number.parseInt(value, 10);
        else if (name) headers[name] = value;
      }
      res.writeHead(status, headers).end(output.subarray(split + 4));
    });
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    authorizations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
