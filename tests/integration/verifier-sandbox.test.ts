import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyWorktree, type WorktreeCopy } from '../../services/verifier/sandbox/copy-worktree.js';
import { createSandbox } from '../../services/verifier/sandbox/create-sandbox.js';
import type { Sandbox, SandboxStep } from '../../services/verifier/sandbox/sandbox.js';
import { SandboxUnavailableError } from '../../services/verifier/sandbox/sandbox-errors.js';
import { detectCgroupSupport } from '../../services/verifier/sandbox/step-cgroup.js';
import { tempDir } from '../helpers/wait.js';

// No skipping: both kinds must work where Nightshift's CI runs (root, bubblewrap installed by .ci/run).
// If one does not, createSandbox throws and these tests fail, saying why.
const KINDS = ['bubblewrap', 'unshare'] as const;
const SECRET = 'nightshift-secret-value-7f3a9c';

/** Step cgroups this test process created that are still there. */
async function leftoverCgroups(): Promise<string[]> {
  const support = detectCgroupSupport();
  const parents = support === null ? [] : support.kind === 'cgroup-v2' ? [support.parent] : [support.memoryParent, support.pidsParent];
  const prefix = `nightshift-step-${process.pid}-`;
  const found: string[] = [];
  for (const parent of parents) found.push(...(await readdir(parent)).filter((name) => name.startsWith(prefix)));
  return found;
}

let worktree: { path: string; cleanup: () => Promise<void> };
let outside: { path: string; cleanup: () => Promise<void> };
let listener: Server;
let connections = 0;
let port = 0;

before(async () => {
  process.env.NIGHTSHIFT_TEST_SECRET = SECRET;
  process.env.GITHUB_TOKEN_FOR_TEST = SECRET;
  worktree = await tempDir('nightshift-sandbox-src-');
  outside = await tempDir('nightshift-sandbox-outside-');
  await writeFile(join(worktree.path, 'input.txt'), 'original\n');
  listener = createServer((socket) => {
    connections++;
    socket.end('hello from the host\n');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as { port: number }).port;
});

after(async () => {
  delete process.env.NIGHTSHIFT_TEST_SECRET;
  delete process.env.GITHUB_TOKEN_FOR_TEST;
  await new Promise((resolve) => listener.close(resolve));
  await worktree.cleanup();
  await outside.cleanup();
});

for (const kind of KINDS) {
  describe(`sandbox: ${kind}`, () => {
    let sandbox: Sandbox;
    let copy: WorktreeCopy;
    const run = (step: Partial<SandboxStep> & Pick<SandboxStep, 'command'>) =>
      sandbox.run({ cwd: copy.dir, timeoutMs: 20_000, memoryMb: 512, ...step });

    before(async () => {
      sandbox = await createSandbox({ sandbox: kind, allowUnsandboxed: false, outputLimitBytes: 16 * 1024 });
      assert.equal(sandbox.kind, kind);
    });
    after(async () => copy?.dispose());

    test('steps run in a copy: they may write there, the worktree stays untouched', async () => {
      copy = await copyWorktree({ source: worktree.path });
      const result = await run({ command: 'cat input.txt && echo changed > input.txt && echo new > made.txt && node -e "console.log(process.version)"' });
      assert.equal(result.status, 'passed', result.output);
      assert.match(result.output, /original\nv\d+\./);
      assert.equal(await readFile(join(copy.dir, 'made.txt'), 'utf8'), 'new\n');
      assert.equal(await readFile(join(worktree.path, 'input.txt'), 'utf8'), 'original\n');
      assert.equal(existsSync(join(worktree.path, 'made.txt')), false);
    });

    test('a step cannot reach the network, not even a server on the host loopback', async () => {
      const before = connections;
      const probe = `require('net').connect(${port}, '127.0.0.1').on('connect', () => { console.log('CONNECTED'); process.exit(0); }).on('error', (e) => { console.log('refused', e.code); process.exit(3); })`;
      const result = await run({ command: ['node', '-e', probe] });
      assert.equal(result.status, 'failed', result.output);
      assert.equal(result.exitCode, 3);
      assert.doesNotMatch(result.output, /CONNECTED/);
      const external = await run({ command: ['node', '-e', "require('net').connect(443, '1.1.1.1').on('connect', () => process.exit(0)).on('error', (e) => { console.log(e.code); process.exit(3); })"] });
      assert.equal(external.status, 'failed', external.output);
      assert.equal(connections, before, 'the host server saw a connection from the sandbox');
    });

    test('a step that writes outside the copy fails and leaves nothing behind', async () => {
      const target = join(outside.path, 'escaped.txt');
      for (const command of [`echo x > ${target}`, 'echo x > /etc/nightshift-escaped', 'echo x > ../escaped-sibling', 'echo x > /escaped-root']) {
        const result = await run({ command });
        assert.equal(result.status, 'failed', `${command}: ${result.output}`);
      }
      assert.deepEqual(await readdir(outside.path), []);
      assert.equal(existsSync('/etc/nightshift-escaped'), false);
      assert.equal(existsSync('/escaped-root'), false);
      assert.equal(existsSync(join(copy.dir, '..', 'escaped-sibling')), false);
    });

    test('a step that runs forever is killed at its limit, with everything it started', async () => {
      const marker = `${kind === 'bubblewrap' ? 1001 : 1002}.${process.pid}`;
      const started = Date.now();
      const result = await run({ command: `sleep ${marker} & node -e "setInterval(() => {}, 1000)"`, timeoutMs: 1500 });
      assert.equal(result.status, 'timed-out');
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
      assert.match(result.output, /killed after 1500 ms/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const survivors = [];
      for (const pid of await readdir('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (cmdline.includes(marker)) survivors.push(pid);
      }
      assert.deepEqual(survivors, []);
    });

    test('secrets in Nightshift\'s environment are not visible inside', async () => {
      const result = await run({ command: 'env', env: { PROFILE_VAR: 'from-profile' } });
      assert.equal(result.status, 'passed');
      assert.doesNotMatch(result.output, new RegExp(SECRET));
      assert.doesNotMatch(result.output, /NIGHTSHIFT_TEST_SECRET|GITHUB_TOKEN/);
      assert.match(result.output, /^HOME=\/workspace$/m);
      assert.match(result.output, /^NODE_ENV=test$/m);
      assert.match(result.output, /^PROFILE_VAR=from-profile$/m);
    });

    test('a read-only mount (Nightshift\'s node_modules) is readable at the copy, not writable', async () => {
      const modules = join(outside.path, '..', `${outside.path.split('/').pop()}-modules`);
      await mkdir(join(modules, 'dep'), { recursive: true });
      await writeFile(join(modules, 'dep', 'index.js'), 'module.exports = 42;\n');
      try {
        const readOnlyMounts = [{ source: modules, target: 'node_modules' }];
        const read = await run({ command: ['node', '-e', 'console.log("dep", require("dep"))'], readOnlyMounts });
        assert.equal(read.status, 'passed', read.output);
        assert.match(read.output, /dep 42/);
        const write = await run({ command: 'echo x > node_modules/dep/index.js', readOnlyMounts });
        assert.equal(write.status, 'failed');
        assert.equal(await readFile(join(modules, 'dep', 'index.js'), 'utf8'), 'module.exports = 42;\n');
      } finally {
        await rm(modules, { recursive: true, force: true });
      }
    });

    test('memory is bounded', async () => {
      const result = await run({ command: ['node', '-e', 'const b = Buffer.alloc(768 * 1024 * 1024, 1); console.log("ALLOCATED", b.length)'], memoryMb: 256 });
      assert.equal(result.status, 'failed', result.output);
      assert.doesNotMatch(result.output, /ALLOCATED/);
    });

    test('memory is bounded for the whole step: children each under the limit but together over it are killed', async () => {
      // Four children of ~130 MB each: every one fits a 256 MB per-process limit, all four do not fit one step.
      const child = 'const b = Buffer.alloc(96 * 1024 * 1024, 1); setTimeout(() => console.log("HELD", b.length), 4000)';
      const parent = `const { spawn } = require('child_process');
        let bad = 0, left = 4;
        for (let i = 0; i < 4; i++) spawn(process.execPath, ['-e', ${JSON.stringify(child)}], { stdio: 'inherit' })
          .on('exit', (code, signal) => { if (code !== 0) { bad++; console.log('child died', signal); } if (--left === 0) process.exit(bad ? 1 : 0); });`;
      const result = await run({ command: ['node', '-e', parent], memoryMb: 256 });
      assert.equal(sandbox.memoryLimit, result.memoryLimit);
      assert.notEqual(result.memoryLimit, 'prlimit', 'CI runs as root with cgroups: the step must get its own cgroup');
      assert.equal(result.status, 'failed', result.output);
      assert.equal(result.outOfMemory, true, result.output);
      assert.match(result.output, /child died SIGKILL/);
      assert.match(result.output, /out of memory: the step went over its 256 MB limit \(whole step, cgroup-v[12]\)/);
      assert.ok((result.output.match(/HELD/g) ?? []).length < 4, result.output);
      assert.deepEqual(await leftoverCgroups(), [], 'the step\'s cgroup was not removed');
    });

    test('a step that forks more processes than allowed cannot, and a step within its limits is not out of memory', async () => {
      const forks = await run({ command: 'i=0; while [ $i -lt 64 ]; do sleep 2 & i=$((i+1)); done; wait; echo FORKED-ALL', maxProcesses: 24 });
      assert.equal(forks.status, 'failed', forks.output);
      assert.match(forks.output, /fork/i);
      assert.doesNotMatch(forks.output, /FORKED-ALL/);
      const fine = await run({ command: ['node', '-e', 'console.log("ok")'], memoryMb: 256 });
      assert.equal(fine.status, 'passed', fine.output);
      assert.equal(fine.outOfMemory, false);
      assert.deepEqual(await leftoverCgroups(), []);
    });

    test('cpus pins a step to that many CPUs', async () => {
      const result = await run({ command: ['node', '-e', 'console.log("cpus", require("os").availableParallelism())'], cpus: 1 });
      assert.equal(result.status, 'passed', result.output);
      assert.match(result.output, /^cpus 1$/m);
    });

    test('output is capped to its head and tail', async () => {
      const result = await run({ command: ['node', '-e', 'console.log("FIRST"); for (let i = 0; i < 20000; i++) console.log("line " + i); console.log("LAST")'] });
      assert.equal(result.status, 'passed');
      assert.ok(result.output.length < 17 * 1024, `output is ${result.output.length} chars`);
      assert.ok(result.outputBytes > 200_000);
      assert.match(result.output, /^FIRST/);
      assert.match(result.output, /bytes omitted/);
      assert.match(result.output, /LAST\n$/);
    });
  });
}

test('without a sandbox, steps are refused unless the configuration allows them', async () => {
  await assert.rejects(createSandbox({ sandbox: 'none', allowUnsandboxed: false, outputLimitBytes: 1024 }), SandboxUnavailableError);
  const unsandboxed = await createSandbox({ sandbox: 'none', allowUnsandboxed: true, outputLimitBytes: 1024 });
  assert.equal(unsandboxed.kind, 'none');
});

test('empty step cgroups left by a Nightshift process that died are removed; a live one\'s are kept', async () => {
  const support = detectCgroupSupport();
  assert.ok(support, 'CI runs as root with cgroups');
  const dead = spawnSync('true').pid!;
  const parent = support.kind === 'cgroup-v2' ? support.parent : support.memoryParent;
  const stale = join(parent, `nightshift-step-${dead}-stale`);
  const live = join(parent, `nightshift-step-${process.pid}-live`);
  await mkdir(stale);
  await mkdir(live);
  try {
    await createSandbox({ sandbox: 'bubblewrap', allowUnsandboxed: false, outputLimitBytes: 1024 });
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(live), true);
  } finally {
    await rmdir(live);
    await rmdir(stale).catch(() => undefined);
  }
});
