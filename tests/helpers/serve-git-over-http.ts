import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * git's smart HTTP protocol for a fake forge, through `git http-backend` (CGI): clones, fetches and
 * pushes to the bare repositories under `projectRoot` (`/<owner>/<repo>.git/...`). An unauthorized
 * request gets GitHub's 401 with a Basic challenge, which git (prompts off) reports as an auth failure.
 */
export async function serveGitOverHttp(input: {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  projectRoot: string;
  authorized: boolean;
}): Promise<void> {
  const { req, res, url, projectRoot, authorized } = input;
  if (!authorized) {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"', 'content-type': 'text/plain' });
    res.end('Invalid username or token. Password authentication is not supported for Git operations.\n');
    return;
  }
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      HOME: '/nonexistent',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      REQUEST_METHOD: req.method ?? 'GET',
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      // Set, so http-backend allows receive-pack (pushes).
      REMOTE_USER: 'x-access-token',
      REMOTE_ADDR: '127.0.0.1',
    },
  });
  req.pipe(child.stdin);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve) => child.on('close', resolve));
  const output = Buffer.concat(chunks);
  const split = output.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of output.subarray(0, split).toString().split('\r\n')) {
    const [name, ...rest] = line.split(':');
    const value = rest.join(':').trim();
    if (name?.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else if (name) headers[name] = value;
  }
  res.writeHead(status, headers);
  res.end(output.subarray(split + 4));
}
