import { execFile } from 'node:child_process';
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serveGitOverHttp } from './serve-git-over-http.js';
import { checkGraphqlRequest, executeGithubGraphql, GithubGraphqlError } from './github-graphql.js';
import { githubExample, loadGithubOpenApi, type MatchedOperation } from './github-openapi.js';
import { tempDir } from './wait.js';

const execFileAsync = promisify(execFile);

/**
 * A loopback GitHub for the github forge's tests: the REST endpoints the forge uses, the App installation
 * token exchange, the `markPullRequestReadyForReview` GraphQL mutation, and git's smart HTTP protocol
 * (through `git http-backend`) so pushes are real and authenticated. Every REST request and every answer is
 * validated against GitHub's OpenAPI description (an invalid request gets a 422); every GraphQL document
 * is parsed and validated, with its variables, against GitHub's GraphQL schema and executed against it,
 * so answers have the schema's shape. Every violation is recorded in `violations` for tests to assert
 * there are none. Repositories are real bare repositories, so PR heads and CODEOWNERS come from what was
 * pushed.
 */

const OPERATIONS = [
  ['GET', '/repos/{owner}/{repo}/pulls'],
  ['POST', '/repos/{owner}/{repo}/pulls'],
  ['GET', '/repos/{owner}/{repo}/pulls/{pull_number}'],
  ['PATCH', '/repos/{owner}/{repo}/pulls/{pull_number}'],
  ['POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['POST', '/repos/{owner}/{repo}/issues/{issue_number}/labels'],
  ['DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}'],
  ['POST', '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers'],
  ['POST', '/repos/{owner}/{repo}/check-runs'],
  ['PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}'],
  ['GET', '/repos/{owner}/{repo}/commits/{ref}/check-runs'],
  ['POST', '/repos/{owner}/{repo}/statuses/{sha}'],
  ['GET', '/repos/{owner}/{repo}/contents/{path}'],
  ['POST', '/app/installations/{installation_id}/access_tokens'],
] as const;

const DOCS = 'https://docs.github.com/rest';
const SECONDARY_LIMIT_MESSAGE = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

export interface FakePullRequest {
  number: number;
  nodeId: string;
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  merged: boolean;
  author: string;
  labels: string[];
  requestedReviewers: string[];
  comments: string[];
  createdAt: string;
  updatedAt: string;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | undefined;
  startedAt: string;
  completedAt: string | undefined;
  output: { title?: string; summary?: string; text?: string } | undefined;
  /** The App that created it. */
  appId: number | undefined;
  /** `status` (`status/conclusion` once completed) after the create and after every update, in order. */
  history: string[];
}

export interface FakeCommitStatus {
  sha: string;
  state: string;
  context: string;
  description: string | undefined;
}

export interface RecordedGithubRequest {
  method: string;
  path: string;
  operationId: string | undefined;
  status: number;
  authorization: string | undefined;
}

export interface InjectedFailure {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface FakeGithubRepository {
  /** The bare repository behind `<url>/<slug>.git`. */
  gitDir: string;
  /** Logins that may be requested as reviewers. */
  collaborators: Set<string>;
  pulls: FakePullRequest[];
  checkRuns: FakeCheckRun[];
  statuses: FakeCommitStatus[];
}

export interface FakeGithub {
  /** The API root, for `apiUrl`; git remotes are `<url>/<slug>.git`. */
  url: string;
  repositories: Map<string, FakeGithubRepository>;
  requests: RecordedGithubRequest[];
  /** Every way a request or an answer broke GitHub's OpenAPI description. */
  violations: string[];
  /** `Authorization` headers git sent (the forge must authenticate pushes by header). */
  gitAuthorizations: string[];
  /** The next `times` requests to `operationId` (e.g. `pulls/create`) get this answer instead. */
  failNext(operationId: string, failure: InjectedFailure, times?: number): void;
  /** A 403 secondary rate limit answer with `Retry-After`. */
  secondaryRateLimit(retryAfterSeconds: number): InjectedFailure;
  /** Merges the PR the way the merge button would (state closed, merged). */
  mergePullRequest(slug: string, number: number): void;
  close(): Promise<void>;
}

export interface FakeGithubOptions {
  /** slug (`owner/name`) → repository; each gets an empty bare repository. */
  repositories: Record<string, { collaborators: string[] }>;
  /** A personal access token and the user it acts as. */
  token?: { value: string; login: string };
  /** A GitHub App: its JWTs are checked against `publicKey`; installation tokens act as `<slug>[bot]`. */
  app?: { appId: number; slug: string; publicKey: string; installationId: number };
}

type Actor = { login: string; kind: 'user' | 'installation' | 'app' };

function userObject(login: string): Record<string, unknown> {
  const user = githubExample('simple-user');
  return { ...user, login, url: `https://api.github.com/users/${encodeURIComponent(login)}`, html_url: `https://github.com/${encodeURIComponent(login)}` };
}

function labelObject(name: string): Record<string, unknown> {
  return { ...githubExample('label'), name, url: `https://api.github.com/repos/o/r/labels/${encodeURIComponent(name)}`, default: false };
}

function checkRunState(run: FakeCheckRun): string {
  return run.status === 'completed' ? `completed/${run.conclusion}` : run.status;
}

function verifyJwt(token: string, key: KeyObject, appId: number): boolean {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return false;
  if (!verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: unknown; exp?: number; iat?: number };
  const now = Date.now() / 1000;
  return String(claims.iss) === String(appId) && typeof claims.exp === 'number' && claims.exp > now && claims.exp - (claims.iat ?? now) <= 600;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the fake on a free loopback port with empty bare repositories for `options.repositories`. */
export async function startFakeGithub(options: FakeGithubOptions): Promise<FakeGithub> {
  const api = loadGithubOpenApi(OPERATIONS);
  const root = await tempDir('nightshift-fake-github-');
  const repositories = new Map<string, FakeGithubRepository>();
  for (const [slug, repo] of Object.entries(options.repositories)) {
    const gitDir = join(root.path, `${slug}.git`);
    await mkdir(gitDir, { recursive: true });
    await execFileAsync('git', ['init', '--quiet', '--bare', '--initial-branch=main', gitDir]);
    repositories.set(slug, { gitDir, collaborators: new Set(repo.collaborators), pulls: [], checkRuns: [], statuses: [] });
  }
  const requests: RecordedGithubRequest[] = [];
  const violations: string[] = [];
  const gitAuthorizations: string[] = [];
  const failures = new Map<string, { failure: InjectedFailure; times: number }>();
  const installationTokens = new Map<string, number>();
  const appKey = options.app ? createPublicKey(options.app.publicKey) : undefined;
  let nextId = 1000;
  let baseUrl = '';

  const actorFor = (authorization: string | undefined): Actor | undefined => {
    const [scheme, credential] = (authorization ?? '').split(' ');
    if (!credential || !scheme || !['token', 'bearer'].includes(scheme.toLowerCase())) return undefined;
    if (options.token && credential === options.token.value) return { login: options.token.login, kind: 'user' };
    const expires = installationTokens.get(credential);
    if (options.app && expires !== undefined && expires > Date.now()) return { login: `${options.app.slug}[bot]`, kind: 'installation' };
    if (options.app && appKey && credential.split('.').length === 3 && verifyJwt(credential, appKey, options.app.appId)) return { login: options.app.slug, kind: 'app' };
    return undefined;
  };

  const git = async (gitDir: string, args: string[]): Promise<string | undefined> => {
    try {
      return (await execFileAsync('git', args, { cwd: gitDir, env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent' } })).stdout;
    } catch {
      return undefined;
    }
  };
  const branchSha = async (repo: FakeGithubRepository, branch: string) => (await git(repo.gitDir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]))?.trim();

  const renderPull = async (slug: string, repo: FakeGithubRepository, pr: FakePullRequest, template: 'pull-request' | 'pull-request-simple') => {
    const body = githubExample(template);
    const owner = slug.split('/')[0]!;
    const apiBase = `${baseUrl}/repos/${slug}`;
    const branch = (ref: string, sha: string) => ({ ...(body.head as object), label: `${owner}:${ref}`, ref, sha, user: userObject(owner) });
    const closedAt = pr.state === 'closed' ? pr.updatedAt : null;
    Object.assign(body, {
      url: `${apiBase}/pulls/${pr.number}`,
      html_url: `${baseUrl}/${slug}/pull/${pr.number}`,
      issue_url: `${apiBase}/issues/${pr.number}`,
      id: pr.number + 100_000,
      node_id: pr.nodeId,
      number: pr.number,
      state: pr.state,
      title: pr.title,
      body: pr.body,
      draft: pr.draft,
      user: userObject(pr.author),
      labels: pr.labels.map(labelObject),
      milestone: null,
      assignee: null,
      assignees: [],
      requested_reviewers: pr.requestedReviewers.map(userObject),
      requested_teams: [],
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
      closed_at: closedAt,
      merged_at: pr.merged ? pr.updatedAt : null,
      head: branch(pr.head, (await branchSha(repo, pr.head)) ?? '0'.repeat(40)),
      base: branch(pr.base, (await branchSha(repo, pr.base)) ?? '0'.repeat(40)),
      auto_merge: null,
    });
    if (template === 'pull-request') Object.assign(body, { merged: pr.merged, comments: pr.comments.length, merged_by: null, mergeable: null, rebaseable: null });
    return body;
  };

  const renderCheckRun = (slug: string, run: FakeCheckRun) => {
    const body = githubExample('check-run');
    const app = body.app as Record<string, unknown>;
    return Object.assign(body, {
      id: run.id,
      node_id: `CR_kw${run.id}`,
      head_sha: run.headSha,
      name: run.name,
      external_id: '',
      url: `${baseUrl}/repos/${slug}/check-runs/${run.id}`,
      html_url: `${baseUrl}/${slug}/runs/${run.id}`,
      details_url: null,
      status: run.status,
      conclusion: run.conclusion ?? null,
      started_at: run.startedAt,
      completed_at: run.completedAt ?? null,
      output: {
        title: run.output?.title ?? null,
        summary: run.output?.summary ?? null,
        text: run.output?.text ?? null,
        annotations_count: 0,
        annotations_url: `${baseUrl}/repos/${slug}/check-runs/${run.id}/annotations`,
      },
      check_suite: { id: 1 },
      app: run.appId === undefined ? null : { ...app, id: run.appId, slug: options.app?.slug ?? app.slug },
      pull_requests: [],
    });
  };

  const handleRest = async (op: MatchedOperation, actor: Actor, body: any, query: URLSearchParams): Promise<[number, unknown]> => {
    const notFound: [number, unknown] = [404, { message: 'Not Found', documentation_url: DOCS, status: '404' }];
    const validationFailed = (message: string, errors: unknown[] = []): [number, unknown] => [422, { message, errors, documentation_url: DOCS }];
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

    if (op.operationId === 'apps/create-installation-access-token') {
      if (actor.kind !== 'app') return [401, { message: 'A JSON web token could not be decoded', documentation_url: DOCS, status: '401' }];
      if (Number(op.params.installation_id) !== options.app?.installationId) return notFound;
      const token = `ghs_${randomBytes(18).toString('hex')}`;
      const expiresAt = new Date(Date.now() + 3600_000);
      installationTokens.set(token, expiresAt.getTime());
      const answer = githubExample('installation-token');
      return [201, { ...answer, token, expires_at: expiresAt.toISOString().replace(/\.\d+Z$/, 'Z'), repositories: undefined }];
    }
    if (actor.kind === 'app') return [403, { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' }];

    const slug = `${op.params.owner}/${op.params.repo}`;
    const repo = repositories.get(slug);
    if (!repo) return notFound;
    const number = Number(op.params.pull_number ?? op.params.issue_number);
    const pr = repo.pulls.find((p) => p.number === number);
    const touch = (p: FakePullRequest) => (p.updatedAt = now);

    switch (op.operationId) {
      case 'pulls/list': {
        const state = query.get('state') ?? 'open';
        const head = query.get('head');
        const found = repo.pulls
          .filter((p) => state === 'all' || p.state === state)
          .filter((p) => !head || `${slug.split('/')[0]}:${p.head}` === head)
          .sort((a, b) => b.number - a.number);
        return [200, await Promise.all(found.map((p) => renderPull(slug, repo, p, 'pull-request-simple')))];
      }
      case 'pulls/create': {
        if (!(await branchSha(repo, body.head))) return validationFailed('Validation Failed', [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
        if (!(await branchSha(repo, body.base))) return validationFailed('Validation Failed', [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
        if (repo.pulls.some((p) => p.state === 'open' && p.head === body.head && p.base === body.base)) {
          return validationFailed('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${slug.split('/')[0]}:${body.head}.` }]);
        }
        const created: FakePullRequest = {
          number: repo.pulls.length + 1,
          nodeId: `PR_kw${randomBytes(6).toString('hex')}`,
          title: body.title ?? '',
          body: body.body ?? '',
          head: body.head,
          base: body.base,
          draft: body.draft === true,
          state: 'open',
          merged: false,
          author: actor.login,
          labels: [],
          requestedReviewers: [],
          comments: [],
          createdAt: now,
          updatedAt: now,
        };
        repo.pulls.push(created);
        return [201, await renderPull(slug, repo, created, 'pull-request')];
      }
      case 'pulls/get':
        return pr ? [200, await renderPull(slug, repo, pr, 'pull-request')] : notFound;
      case 'pulls/update': {
        if (!pr) return notFound;
        if (typeof body.body === 'string') pr.body = body.body;
        if (typeof body.title === 'string') pr.title = body.title;
        if (body.state === 'closed' || (body.state === 'open' && !pr.merged)) pr.state = body.state;
        touch(pr);
        return [200, await renderPull(slug, repo, pr, 'pull-request')];
      }
      case 'issues/create-comment': {
        if (!pr) return notFound;
        pr.comments.push(body.body);
        touch(pr);
        const comment = githubExample('issue-comment');
        return [201, { ...comment, id: nextId++, body: body.body, user: userObject(actor.login), created_at: now, updated_at: now }];
      }
      case 'issues/add-labels': {
        if (!pr) return notFound;
        const names = (Array.isArray(body) ? body : body.labels) as Array<string | { name: string }>;
        for (const label of names.map((l) => (typeof l === 'string' ? l : l.name))) if (!pr.labels.includes(label)) pr.labels.push(label);
        return [200, pr.labels.map(labelObject)];
      }
      case 'issues/remove-label': {
        if (!pr || !pr.labels.includes(op.params.name!)) return [404, { message: 'Label does not exist', documentation_url: DOCS, status: '404' }];
        pr.labels = pr.labels.filter((label) => label !== op.params.name);
        touch(pr);
        return [200, pr.labels.map(labelObject)];
      }
      case 'pulls/request-reviewers': {
        if (!pr) return notFound;
        const reviewers = (body.reviewers ?? []) as string[];
        if (reviewers.some((r) => r === pr.author || !repo.collaborators.has(r))) {
          const message = reviewers.includes(pr.author)
            ? 'Review cannot be requested from pull request author.'
            : `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${slug} repository.`;
          return validationFailed(message);
        }
        for (const r of reviewers) if (!pr.requestedReviewers.includes(r)) pr.requestedReviewers.push(r);
        return [201, await renderPull(slug, repo, pr, 'pull-request-simple')];
      }
      case 'checks/create': {
        if (actor.kind !== 'installation') return [403, { message: 'You must authenticate via a GitHub App.', documentation_url: `${DOCS}/checks/runs#create-a-check-run`, status: '403' }];
        if ((await git(repo.gitDir, ['cat-file', '-e', `${body.head_sha}^{commit}`])) === undefined) {
          return validationFailed('Validation Failed', [{ resource: 'CheckRun', field: 'head_sha', code: 'invalid' }]);
        }
        // GitHub: a conclusion completes the run; a completed run needs a conclusion.
        const status = body.conclusion !== undefined ? 'completed' : (body.status ?? 'queued');
        if (status === 'completed' && body.conclusion === undefined) return validationFailed('Validation Failed', [{ resource: 'CheckRun', field: 'conclusion', code: 'missing_field' }]);
        const run: FakeCheckRun = {
          id: nextId++,
          name: body.name,
          headSha: body.head_sha,
          status,
          conclusion: body.conclusion,
          startedAt: body.started_at ?? now,
          completedAt: status === 'completed' ? (body.completed_at ?? now) : undefined,
          output: body.output,
          appId: options.app?.appId,
          history: [],
        };
        run.history.push(checkRunState(run));
        repo.checkRuns.push(run);
        return [201, renderCheckRun(slug, run)];
      }
      case 'checks/update': {
        const run = repo.checkRuns.find((r) => r.id === Number(op.params.check_run_id));
        if (!run) return notFound;
        if (actor.kind !== 'installation' || run.appId !== options.app?.appId) return [403, { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' }];
        if (run.status === 'completed' && (body.status === 'queued' || body.status === 'in_progress')) {
          // GitHub keeps a completed run completed; a client that tries expects something GitHub does not do.
          violations.push(`checks/update: check run ${run.id} is completed and cannot go back to ${body.status}`);
        } else if (body.conclusion !== undefined) {
          Object.assign(run, { status: 'completed', conclusion: body.conclusion, completedAt: body.completed_at ?? now });
        } else if (body.status === 'completed') {
          return validationFailed('Validation Failed', [{ resource: 'CheckRun', field: 'conclusion', code: 'missing_field' }]);
        } else if (body.status !== undefined) {
          run.status = body.status;
        }
        if (body.output !== undefined) run.output = body.output;
        if (typeof body.name === 'string') run.name = body.name;
        if (typeof body.started_at === 'string') run.startedAt = body.started_at;
        run.history.push(checkRunState(run));
        return [200, renderCheckRun(slug, run)];
      }
      case 'checks/list-for-ref': {
        const ref = op.params.ref!;
        const sha = /^[0-9a-f]{40}$/.test(ref) ? ref : (await git(repo.gitDir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]))?.trim();
        if (!sha) return [422, { message: `No commit found for SHA: ${ref}`, documentation_url: DOCS, status: '422' }];
        const name = query.get('check_name');
        const wanted = query.get('status');
        const appId = query.get('app_id');
        let runs = repo.checkRuns
          .filter((r) => r.headSha === sha && (!name || r.name === name) && (!wanted || r.status === wanted) && (!appId || String(r.appId) === appId))
          .sort((a, b) => b.id - a.id);
        // `latest` (the default): the most recent run of each name.
        if ((query.get('filter') ?? 'latest') === 'latest') runs = runs.filter((r, i) => runs.findIndex((o) => o.name === r.name) === i);
        return [200, { total_count: runs.length, check_runs: runs.map((r) => renderCheckRun(slug, r)) }];
      }
      case 'repos/create-commit-status': {
        repo.statuses.push({ sha: op.params.sha!, state: body.state, context: body.context ?? 'default', description: body.description ?? undefined });
        const status = githubExample('status');
        return [201, { ...status, id: nextId++, state: body.state, context: body.context ?? 'default', description: body.description ?? null, target_url: body.target_url ?? null, creator: userObject(actor.login) }];
      }
      case 'repos/get-content': {
        const ref = query.get('ref') ?? 'HEAD';
        const path = op.params.path!;
        const sha = (await git(repo.gitDir, ['rev-parse', '--verify', '--quiet', `${ref}:${path}`]))?.trim();
        const type = sha && (await git(repo.gitDir, ['cat-file', '-t', sha]))?.trim();
        if (!sha || type !== 'blob') return notFound;
        const content = await execFileAsync('git', ['cat-file', 'blob', sha], { cwd: repo.gitDir, encoding: 'buffer' });
        const base64 = content.stdout.toString('base64').replace(/.{60}/g, '$&\n');
        const file = githubExample('content-file');
        return [200, { ...file, name: path.split('/').pop(), path, sha, size: content.stdout.length, content: base64 }];
      }
      default:
        return [404, { message: 'Not Found', documentation_url: DOCS, status: '404' }];
    }
  };

  /** The fields the fake serves, as GitHub's schema names them; anything else asked for is a violation. */
  const pullRequestNode = (slug: string, pr: FakePullRequest) => ({
    id: pr.nodeId,
    number: pr.number,
    title: pr.title,
    isDraft: pr.draft,
    state: pr.merged ? 'MERGED' : pr.state === 'open' ? 'OPEN' : 'CLOSED',
    url: `${baseUrl}/${slug}/pull/${pr.number}`,
    headRefName: pr.head,
    baseRefName: pr.base,
  });

  const graphqlRoot = (actor: Actor) => ({
    markPullRequestReadyForReview: ({ input }: { input: { pullRequestId: string; clientMutationId?: string } }) => {
      for (const [slug, repo] of repositories) {
        const pr = repo.pulls.find((p) => p.nodeId === input.pullRequestId);
        if (!pr || actor.kind === 'app') continue;
        pr.draft = false;
        pr.updatedAt = new Date().toISOString();
        return { clientMutationId: input.clientMutationId ?? null, pullRequest: pullRequestNode(slug, pr) };
      }
      throw new GithubGraphqlError('NOT_FOUND', `Could not resolve to a node with the global id of '${input.pullRequestId}'`);
    },
  });

  const handleGraphql = async (actor: Actor, body: unknown): Promise<unknown> => {
    const checked = checkGraphqlRequest(body);
    if (!checked.request) {
      violations.push(...checked.violations.map((v) => `POST /graphql request: ${v}`));
      // GitHub answers an invalid document with 200 and the errors.
      return { errors: checked.violations.map((message) => ({ message })) };
    }
    const answer = await executeGithubGraphql(checked.request, graphqlRoot(actor));
    violations.push(...answer.violations.map((v) => `POST /graphql: ${v}`));
    return answer.body;
  };

  const handleGit = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const authorization = req.headers.authorization;
    if (authorization) gitAuthorizations.push(authorization);
    const [scheme, encoded] = (authorization ?? '').split(' ');
    // GitHub takes a token as the Basic password whatever the user name.
    const password = scheme?.toLowerCase() === 'basic' && encoded ? Buffer.from(encoded, 'base64').toString().split(':').slice(1).join(':') : '';
    await serveGitOverHttp({ req, res, url, projectRoot: root.path, authorized: actorFor(`token ${password}`) !== undefined });
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (/^\/[^/]+\/[^/]+\.git\//.test(url.pathname)) return handleGit(req, res, url);
      const entry: RecordedGithubRequest = { method: req.method ?? 'GET', path: url.pathname, operationId: undefined, status: 0, authorization: req.headers.authorization };
      requests.push(entry);
      const raw = await readBody(req);
      const reset = String(Math.ceil(Date.now() / 1000) + 3600);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        entry.status = status;
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'x-github-media-type': 'github.v3; format=json',
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '4999',
          'x-ratelimit-reset': reset,
          'x-ratelimit-used': '1',
          'x-ratelimit-resource': 'core',
          ...headers,
        });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      let body: unknown;
      try {
        body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        violations.push(`${req.method} ${url.pathname}: the body is not JSON`);
        return send(400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
      }
      const actor = actorFor(req.headers.authorization);
      if (req.method === 'POST' && url.pathname === '/graphql') {
        entry.operationId = 'graphql';
        if (!actor) return send(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
        return send(200, await handleGraphql(actor, body));
      }
      const op = api.match(req.method ?? 'GET', url.pathname);
      if (!op) {
        violations.push(`${req.method} ${url.pathname}: not an operation this fake serves`);
        return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      }
      entry.operationId = op.operationId;
      const answer = (status: number, answerBody: unknown, headers: Record<string, string> = {}) => {
        for (const v of api.validateResponse(op, status, answerBody)) violations.push(`${op.operationId} response: ${v}`);
        send(status, answerBody, headers);
      };
      if (!actor) return answer(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
      const injected = failures.get(op.operationId);
      if (injected && injected.times > 0) {
        injected.times--;
        // Rate-limit answers are API-wide; their bodies are basic errors like every other.
        return answer(injected.failure.status, injected.failure.body, injected.failure.headers);
      }
      const requestViolations = api.validateRequest(op, { query: url.searchParams, body });
      if (requestViolations.length > 0) {
        violations.push(...requestViolations.map((v) => `${op.operationId} request: ${v}`));
        return answer(422, { message: 'Invalid request.', errors: requestViolations, documentation_url: DOCS, status: '422' });
      }
      const [status, answerBody] = await handleRest(op, actor, body, url.searchParams);
      return answer(status, answerBody);
    })().catch((error: unknown) => {
      violations.push(`fake GitHub crashed: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    repositories,
    requests,
    violations,
    gitAuthorizations,
    failNext(operationId, failure, times = 1) {
      failures.set(operationId, { failure, times });
    },
    secondaryRateLimit(retryAfterSeconds) {
      return { status: 403, body: { message: SECONDARY_LIMIT_MESSAGE, documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits` }, headers: { 'retry-after': String(retryAfterSeconds) } };
    },
    mergePullRequest(slug, number) {
      const pr = repositories.get(slug)?.pulls.find((p) => p.number === number);
      if (!pr) throw new Error(`no PR ${slug}#${number}`);
      Object.assign(pr, { state: 'closed', merged: true, draft: false, updatedAt: new Date().toISOString() });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await root.cleanup();
    },
  };
}
