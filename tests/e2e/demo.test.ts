import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readlink } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { nightshiftBin, runCli } from '../helpers/cli.js';
import { tempDir, waitFor } from '../helpers/wait.js';

/** Processes whose working directory lies under `dir`: a sample service the demo left behind. */
async function processesUnder(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '');
    if (cwd.startsWith(dir)) found.push(Number(entry));
  }
  return found;
}

test('`nightshift demo --json` triages the sample outage to inventory and the guilty commit, and leaves nothing behind', { timeout: 150_000 }, async () => {
  const cwd = await tempDir('nightshift-demo-cwd-');
  // The demo's own temporary directory goes here, so the test can see that it is removed.
  const tmp = await tempDir('nightshift-demo-tmp-');
  try {
    const started = Date.now();
    const { code, stdout, stderr } = await runCli(['demo', '--json'], { cwd: cwd.path, env: { TMPDIR: tmp.path }, timeoutMs: 140_000 });
    const wallMs = Date.now() - started;
    assert.equal(code, 0, `exit code; stderr:\n${stderr}\nstdout:\n${stdout}`);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1, 'one JSON object and nothing else on stdout');
    const result = JSON.parse(lines[0]!);
    assert.equal(result.ok, true, JSON.stringify(result.checks));
    assert.equal(result.rootCause.service, 'inventory');
    assert.match(result.sample.guiltySha, /^[0-9a-f]{40}$/);
    assert.equal(result.suspectCommit.sha, result.sample.guiltySha);
    assert.notEqual(result.sample.goodSha, result.sample.guiltySha);
    assert.match(result.incidentId, /\S/);
    assert.equal(result.fix.strategy, 'revert');
    assert.match(result.fix.branch, /^nightshift\//);
    assert.equal(result.fix.pr.number, 1);
    assert.deepEqual(result.verification, { verdict: 'passed', replay: { base: 'failed', fix: 'passed' }, pullRequestState: 'ready' });
    assert.equal(result.failedStage, null);
    assert.deepEqual(Object.keys(result.timings), ['setup', 'traffic', 'alerts', 'triage', 'fix', 'verify', 'total']);
    assert.ok(Object.values(result.timings).every((ms) => typeof ms === 'number' && ms >= 0));
    assert.ok(result.timings.total < 60_000, `the demo took ${result.timings.total} ms`);
    assert.ok(result.measured.firstFailureAfter >= 0 && result.measured.triageAfterIncident >= 0, JSON.stringify(result.measured));
    assert.equal(result.workDir, null);
    process.stdout.write(`# demo: ${wallMs} ms wall clock, stages ${JSON.stringify(result.timings)}, measured ${JSON.stringify(result.measured)}\n`);

    assert.deepEqual(await readdir(tmp.path), [], 'the work directory was removed');
    assert.deepEqual(await readdir(cwd.path), [], 'nothing was written to the working directory');
    assert.deepEqual(await processesUnder(tmp.path), [], 'no sample service outlived the demo');
  } finally {
    await cwd.cleanup();
    await tmp.cleanup();
  }
});

test('Ctrl-C during the demo stops the services and Nightshift and removes the work directory', { timeout: 120_000 }, async () => {
  const cwd = await tempDir('nightshift-demo-cwd-');
  const tmp = await tempDir('nightshift-demo-tmp-');
  const child = spawn(nightshiftBin, ['demo'], { cwd: cwd.path, env: { ...process.env, TMPDIR: tmp.path }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      if (/✓ setup/.test(line)) break;
      assert.doesNotMatch(line, /✗/, 'setup failed');
    }
    assert.ok((await processesUnder(tmp.path)).length >= 3, 'the sample services are running');
    child.kill('SIGINT');
    const { code } = await exited;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /SIGINT, stopping/);
    await waitFor(async () => (await processesUnder(tmp.path)).length === 0, { timeoutMs: 5000, what: 'the sample services to exit' });
    assert.deepEqual(await readdir(tmp.path), []);
  } finally {
    child.kill('SIGKILL');
    await cwd.cleanup();
    await tmp.cleanup();
  }
});
