import { join } from 'node:path';
import { createTestGitRepo, lines, type TestGitRepo } from '../helpers/git-repo.js';

/**
 * A tiny service repository with no dependencies: `GET /orders/:id` answers the order's total, but
 * the base commit crashes (TypeError → 500) for an order that does not exist. The fix answers 404;
 * the fake fix changes something else and still passes the test suite.
 */
export interface SampleService {
  repo: TestGitRepo;
  baseDir: string;
  fixDir: string;
  fakeFixDir: string;
  /** The fix plus a regression test for the missing order (the file the fix adds). */
  fixWithTestDir: string;
  regressionTestFile: string;
  cleanup(): Promise<void>;
}

const date = new Date('2025-03-01T10:00:00Z');

const server = lines(
  "import { createServer } from 'node:http';",
  "import { handle } from './app.js';",
  'const server = createServer((req, res) => {',
  "  console.log('request', req.method, req.url, JSON.stringify(req.headers));",
  '  try {',
  '    handle(req, res);',
  '  } catch (error) {',
  '    console.error(error.stack);',
  '    res.writeHead(500).end("internal error");',
  '  }',
  '});',
  "server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on', process.env.PORT));",
);

const app = (lookup: string): string =>
  lines(
    'const orders = { 1: { total: 30 }, 2: { total: 12 } };',
    'export function handle(req, res) {',
    "  if (req.url === '/health') return res.writeHead(200).end('ok');",
    '  const match = /^\\/orders\\/(\\d+)/.exec(req.url);',
    "  if (!match) return res.writeHead(404).end('not found');",
    '  const order = orders[match[1]];',
    lookup,
    '  const body = JSON.stringify({ total: order.total.toFixed(2) });',
    "  res.writeHead(200, { 'content-type': 'application/json' }).end(body);",
    '}',
  );

const suite = lines(
  "import assert from 'node:assert/strict';",
  "import { test } from 'node:test';",
  "import { handle } from '../app.js';",
  'function call(url) {',
  '  const res = { status: 0, body: "", writeHead(s) { this.status = s; return this; }, end(b) { this.body = b; } };',
  '  handle({ url }, res);',
  '  return res;',
  '}',
  "test('an existing order has its total', () => {",
  "  assert.equal(call('/orders/1').status, 200);",
  "  assert.equal(JSON.parse(call('/orders/1').body).total, '30.00');",
  '});',
);

const regression = lines(
  "import assert from 'node:assert/strict';",
  "import { test } from 'node:test';",
  "import { handle } from '../app.js';",
  "test('a missing order is a 404, not a crash', () => {",
  '  const res = { status: 0, writeHead(s) { this.status = s; return this; }, end() {} };',
  "  handle({ url: '/orders/42' }, res);",
  '  assert.equal(res.status, 404);',
  '});',
);

export async function createSampleService(): Promise<SampleService> {
  const repo = await createTestGitRepo();
  const base = await repo.commit({
    message: 'Orders service',
    date,
    files: {
      'package.json': JSON.stringify({ name: 'orders', type: 'module', scripts: { test: 'node --test test/', start: 'node server.js' } }),
      'server.js': server,
      'app.js': app('  // (no check for a missing order)'),
      'test/app.test.js': suite,
    },
  });
  const fix = await repo.commit({ message: 'Answer 404 for a missing order', date, files: { 'app.js': app("  if (!order) return res.writeHead(404).end('no such order');") } });
  const fixWithTest = await repo.commit({ message: 'Regression test', date, files: { 'test/missing-order.test.js': regression } });
  await repo.git(['reset', '--quiet', '--hard', base]);
  const fake = await repo.commit({ message: 'Log the lookup', date, files: { 'app.js': app("  console.log('looking up', match[1]);") } });
  await repo.git(['reset', '--quiet', '--hard', base]);
  const worktree = async (name: string, sha: string): Promise<string> => {
    const dir = join(repo.path, '.worktrees', name);
    await repo.git(['worktree', 'add', '--quiet', '--detach', dir, sha]);
    return dir;
  };
  return {
    repo,
    baseDir: await worktree('base', base),
    fixDir: await worktree('fix', fix),
    fakeFixDir: await worktree('fake', fake),
    fixWithTestDir: await worktree('fix-with-test', fixWithTest),
    regressionTestFile: 'test/missing-order.test.js',
    cleanup: () => repo.cleanup(),
  };
}
