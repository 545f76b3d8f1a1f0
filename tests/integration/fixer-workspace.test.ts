import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import pino from 'pino';
import { createWorkspaceManager } from '../../services/fixer/workspace/create-workspace-manager.js';
import { createRunGit, type RunGit } from '../../services/triage/suspects/run-git.js';
import { createTestGitRepo, lines } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/wait.js';
import { serveGitHttp } from './serve-git-http.js';

const quietLog = pino({ level: 'silent' });
const author = { name: 'Nightshift Bot', email: 'bot@nightshift.test' };
const date = new Date('2025-03-10T12:00:00Z');
const runGit = createRunGit();
const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

async function sampleRepo() {
  const repo = await createTestGitRepo();
  const first = await repo.commit({ message: 'First', date, files: { 'src/a.ts': lines('export const a = 1;'), 'README.md': lines('# Shop') } });
  const second = await repo.commit({ message: 'Second', date, files: { 'src/a.ts': lines('export const a = 2;') } });
  return { repo, first, second };
}

test('a workspace starts at the base, diffs untracked and binary files, resets, commits as the author and disposes twice', async () => {
  const { repo, first, second } = await sampleRepo();
  const root = await tempDir('nightshift-ws-');
  try {
    const manager = createWorkspaceManager({ rootDir: root.path, author, log: quietLog });
    const ws = await manager.open({ repository: 'acme/shop', source: repo.path, incidentId: 'inc-1', attemptId: 'att-1' });
    assert.equal(ws.baseSha, second);
    assert.equal(ws.branch, 'nightshift/inc-1');
    assert.equal(ws.dir, join(root.path, 'worktrees', 'att-1'));
    assert.deepEqual(await ws.diff(), { diff: '', files: [], linesChanged: 0, added: [], deleted: [] });

    const binary = Buffer.from([0, 1, 2, 255, 254, 0, 10, 13, 0]);
    await writeFile(join(ws.dir, 'src/a.ts'), lines('export const a = 3;', 'export const b = 4;'));
    await writeFile(join(ws.dir, 'src/new.ts'), lines('export const n = 1;'));
    await writeFile(join(ws.dir, 'logo.bin'), binary);
    await rm(join(ws.dir, 'README.md'));
    const diff = await ws.diff();
    assert.deepEqual([...diff.files].sort(), ['README.md', 'logo.bin', 'src/a.ts', 'src/new.ts']);
    assert.deepEqual([...diff.added].sort(), ['logo.bin', 'src/new.ts']);
    assert.deepEqual(diff.deleted, ['README.md']);
    assert.equal(diff.linesChanged, 3 + 1 + 1); // a.ts: -1 +2; new.ts +1; README -1; binary counts 0
    // The worktree's own index was not touched: the new file is still untracked there.
    assert.match(await runGit(['status', '--porcelain'], ws.dir), /\?\? src\/new\.ts/);

    // The diff is complete and binary-safe: applied to a fresh checkout of the base it reproduces the files.
    const check = await tempDir('nightshift-apply-');
    try {
      await runGit(['clone', '--quiet', repo.path, check.path], tmpdir());
      await runGit(['checkout', '--quiet', second], check.path);
      const patch = join(check.path, '..', `${Date.now()}.patch`);
      await writeFile(patch, diff.diff);
      await runGit(['apply', '--binary', patch], check.path);
      await rm(patch);
      assert.deepEqual(await readFile(join(check.path, 'logo.bin')), binary);
      assert.equal(await readFile(join(check.path, 'src/a.ts'), 'utf8'), lines('export const a = 3;', 'export const b = 4;'));
      assert.equal(await exists(join(check.path, 'README.md')), false);
    } finally {
      await check.cleanup();
    }

    await ws.reset();
    assert.equal((await ws.diff()).diff, '');
    assert.equal(await exists(join(ws.dir, 'src/new.ts')), false);

    await writeFile(join(ws.dir, 'src/new.ts'), lines('export const n = 2;'));
    const sha = await ws.commit('Guard the price lookup');
    const [parents, who] = [
      (await runGit(['rev-list', '--parents', '-n', '1', sha], ws.dir)).trim().split(' '),
      (await runGit(['log', '-1', '--format=%an <%ae>|%cn <%ce>|%s', sha], ws.dir)).trim(),
    ];
    assert.deepEqual(parents, [sha, second]);
    assert.equal(who, 'Nightshift Bot <bot@nightshift.test>|Nightshift Bot <bot@nightshift.test>|Guard the price lookup');
    await assert.rejects(ws.commit('again'), { code: 'WORKSPACE_NOTHING_TO_COMMIT' });

    const mirror = join(root.path, 'mirrors', (await readdir(join(root.path, 'mirrors')))[0] ?? '');
    assert.match(await runGit(['branch', '--list'], mirror), /nightshift-attempt\/att-1/);
    await ws.dispose();
    await ws.dispose();
    assert.equal(await exists(ws.dir), false);
    assert.doesNotMatch(await runGit(['branch', '--list'], mirror), /nightshift-attempt/);
    assert.equal((await runGit(['worktree', 'list', '--porcelain'], mirror)).match(/^worktree /gm)?.length, 1);
    await assert.rejects(ws.diff(), { code: 'WORKSPACE_DISPOSED' });

    // A release's commit as the base; a commit made upstream later is fetched for the next default-branch open.
    const older = await manager.open({ repository: 'acme/shop', source: repo.path, baseRef: first, incidentId: 'inc-1', attemptId: 'att-2' });
    assert.equal(older.baseSha, first);
    assert.equal(await readFile(join(older.dir, 'src/a.ts'), 'utf8'), lines('export const a = 1;'));
    await older.dispose();
    const third = await repo.commit({ message: 'Third', date, files: { 'src/a.ts': lines('export const a = 5;') } });
    const fresh = await manager.open({ repository: 'acme/shop', source: repo.path, incidentId: 'inc-2', attemptId: 'att-3' });
    assert.equal(fresh.baseSha, third);
    await fresh.dispose();
    await assert.rejects(
      manager.open({ repository: 'acme/shop', source: repo.path, baseRef: 'v9.9.9', incidentId: 'inc-2', attemptId: 'att-4' }),
      { code: 'WORKSPACE_BASE_NOT_FOUND' },
    );
    await assert.rejects(manager.open({ repository: 'acme/shop', source: repo.path, incidentId: '../x', attemptId: 'a' }), { code: 'WORKSPACE_BAD_REQUEST' });
  } finally {
    await root.cleanup();
    await repo.cleanup();
  }
});

test('8 concurrent attempts on one repository open, commit and dispose without colliding; fetches never overlap', async () => {
  const { repo, second } = await sampleRepo();
  const root = await tempDir('nightshift-ws-');
  let fetching = 0;
  let maxFetching = 0;
  let fetches = 0;
  const base = createRunGit();
  const counting: RunGit = async (args, cwd, options) => {
    if (!args.includes('fetch')) return base(args, cwd, options);
    fetches += 1;
    maxFetching = Math.max(maxFetching, ++fetching);
    try {
      return await base(args, cwd, options);
    } finally {
      fetching -= 1;
    }
  };
  try {
    const manager = createWorkspaceManager({ rootDir: root.path, author, log: quietLog, runGit: counting });
    // The mirror exists before the burst, so every open asks for a fetch.
    await (await manager.open({ repository: 'acme/shop', source: repo.path, incidentId: 'warm', attemptId: 'warm' })).dispose();
    const results = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const ws = await manager.open({ repository: 'acme/shop', source: repo.path, incidentId: `inc-${i}`, attemptId: `att-${i}` });
        await writeFile(join(ws.dir, `src/fix-${i}.ts`), lines(`export const fix = ${i};`));
        const sha = await ws.commit(`Fix ${i}`);
        const files = (await runGit(['show', '--name-only', '--format=', sha], ws.dir)).trim();
        const parent = (await runGit(['rev-parse', `${sha}^`], ws.dir)).trim();
        await ws.dispose();
        return { sha, files, parent, dir: ws.dir };
      }),
    );
    assert.equal(new Set(results.map((r) => r.sha)).size, 8);
    results.forEach((r, i) => {
      assert.equal(r.files, `src/fix-${i}.ts`);
      assert.equal(r.parent, second);
    });
    assert.equal(maxFetching, 1);
    assert.ok(fetches >= 1 && fetches <= 8, `fetches: ${fetches}`);
    assert.deepEqual(await readdir(join(root.path, 'worktrees')), []);
    const mirror = join(root.path, 'mirrors', (await readdir(join(root.path, 'mirrors')))[0] ?? '');
    assert.equal((await runGit(['branch', '--list'], mirror)).trim(), '* main');
  } finally {
    await root.cleanup();
    await repo.cleanup();
  }
});

test('a worktree left by a crashed process is removed on the next open, and so is a crashed run of the same attempt', async () => {
  const { repo } = await sampleRepo();
  const root = await tempDir('nightshift-ws-');
  try {
    const moduleUrl = new URL('../../services/fixer/workspace/create-workspace-manager.js', import.meta.url).href;
    const script = `
      import pino from 'pino';
      import { createWorkspaceManager } from ${JSON.stringify(moduleUrl)};
      const manager = createWorkspaceManager({ rootDir: process.argv[1], author: { name: 'a', email: 'a@a' }, log: pino({ level: 'silent' }) });
      for (const attemptId of ['crashed-1', 'crashed-2']) {
        const ws = await manager.open({ repository: 'acme/shop', source: process.argv[2], incidentId: 'inc', attemptId });
        await import('node:fs/promises').then((fs) => fs.writeFile(ws.dir + '/wip.txt', 'half done'));
      }
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, root.path, repo.path], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`the child exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const crashed1 = join(root.path, 'worktrees', 'crashed-1');
    assert.equal(await exists(join(crashed1, 'wip.txt')), true);

    const manager = createWorkspaceManager({ rootDir: root.path, author, log: quietLog });
    const again = await manager.open({ repository: 'acme/shop', source: repo.path, incidentId: 'inc', attemptId: 'crashed-2' });
    assert.equal(await exists(crashed1), false, 'the other crashed attempt was pruned');
    assert.equal(await exists(join(again.dir, 'wip.txt')), false, 'the same attempt starts clean');
    const mirror = join(root.path, 'mirrors', (await readdir(join(root.path, 'mirrors')))[0] ?? '');
    assert.doesNotMatch(await runGit(['branch', '--list'], mirror), /crashed-1/);
    await again.dispose();
    assert.deepEqual(await readdir(join(root.path, 'worktrees')), []);
  } finally {
    await root.cleanup();
    await repo.cleanup();
  }
});

test('a token reaches the git server as a header but never the mirror config, the worktree config or the log', async () => {
  const { repo, second } = await sampleRepo();
  const served = await mkdtemp(join(tmpdir(), 'nightshift-served-'));
  const root = await tempDir('nightshift-ws-');
  const token = 'ghs_TopSecretInstallationToken123';
  const expected = `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  await promisify(execFile)('git', ['clone', '--quiet', '--bare', repo.path, join(served, 'shop.git')]);
  const server = await serveGitHttp(served, expected);
  const logged: string[] = [];
  const log = pino({ level: 'trace' }, new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) }));
  try {
    const manager = createWorkspaceManager({ rootDir: root.path, author, log });
    const source = { url: `${server.baseUrl}shop.git`, token };
    const ws = await manager.open({ repository: 'acme/shop', source, incidentId: 'inc', attemptId: 'att-1' });
    assert.equal(ws.baseSha, second);
    await ws.dispose();
    const again = await manager.open({ repository: 'acme/shop', source, incidentId: 'inc', attemptId: 'att-2' }); // fetch path
    const secrets = [token, Buffer.from(`x-access-token:${token}`).toString('base64')];
    const mirror = join(root.path, 'mirrors', (await readdir(join(root.path, 'mirrors')))[0] ?? '');
    for (const cwd of [mirror, again.dir]) {
      const config = await runGit(['config', '--list', '--show-origin'], cwd);
      assert.match(config, /remote\.origin\.url=http:\/\/127\.0\.0\.1/);
      for (const secret of secrets) assert.ok(!config.includes(secret), `the token is in ${cwd}'s config`);
    }
    for (const secret of secrets) assert.ok(!(await readFile(join(mirror, 'config'), 'utf8')).includes(secret));
    await again.dispose();
    assert.ok(server.authorizations.length >= 2 && server.authorizations.every((a) => a === expected));
    assert.ok(logged.length > 0);
    for (const secret of secrets) assert.ok(!logged.join('').includes(secret), 'the token was logged');

    // Without the token the server refuses, and the error names the repository but not any secret.
    const denied = createWorkspaceManager({ rootDir: join(root.path, 'other'), author, log });
    const error = await manager.open({ repository: 'acme/other', source: { url: `${server.baseUrl}shop.git`, token: 'wrong' }, incidentId: 'inc', attemptId: 'att-3' }).catch((e: unknown) => e);
    assert.equal((error as { code?: string }).code, 'WORKSPACE_CLONE_FAILED');
    assert.ok(!String((error as Error).message).includes('wrong'));
    await assert.rejects(
      denied.open({ repository: 'acme/x', source: { url: `http://user:${token}@127.0.0.1/x.git` }, incidentId: 'inc', attemptId: 'att-4' }),
      (e: Error) => (e as { code?: string }).code === 'WORKSPACE_CREDENTIALS_IN_URL' && !e.message.includes(token),
    );
  } finally {
    await server.close();
    await root.cleanup();
    await rm(served, { recursive: true, force: true });
    await repo.cleanup();
  }
});
