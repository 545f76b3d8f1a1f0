import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { nightshiftBin, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/wait.js';

describe('nightshift logs templates', { timeout: 60_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    dir = await tempDir('nightshift-logs-');
  });
  after(async () => {
    await dir?.cleanup();
  });

  const jsonLines = (stdout: string) => stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

  test('a missing file is named on stderr with exit code 2 and nothing on stdout', async () => {
    const present = join(dir.path, 'present.log');
    await writeFile(present, 'hello\n');
    const missing = join(dir.path, 'missing.log');
    const run = await runCli(['logs', 'templates', present, missing, '--json'], { cwd: dir.path });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /cannot read log file .*missing\.log: no such file/);
    assert.equal(run.stdout, '');
  });

  test('--json prints one {line, template_id, template} per line, numbered across files, with final templates', async () => {
    const a = join(dir.path, 'a.log');
    const b = join(dir.path, 'b.log');
    await writeFile(a, 'Invalid user alice from 10.0.0.1\r\nConnection closed by 10.0.0.1 [preauth]\nInvalid user bob from 10.0.0.2\n');
    await writeFile(b, '\nConnection closed by 10.0.0.9 [preauth]'); // an empty first line; no newline at the end
    const run = await runCli(['logs', 'templates', a, b, '--json'], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    const rows = jsonLines(run.stdout);
    assert.deepEqual(rows.map((r) => Object.keys(r)), Array(5).fill(['line', 'template_id', 'template']));
    assert.deepEqual(rows.map((r) => r.line), [1, 2, 3, 4, 5]);
    assert.deepEqual(rows.map((r) => r.template), [
      'Invalid user <*> from <*>', // line 1's template is its cluster's final one, generalised by line 3
      'Connection closed by <*> [preauth]',
      'Invalid user <*> from <*>',
      '',
      'Connection closed by <*> [preauth]',
    ]);
    assert.equal(rows[0]!.template_id, rows[2]!.template_id);
    assert.equal(rows[1]!.template_id, rows[4]!.template_id);
    assert.notEqual(rows[0]!.template_id, rows[1]!.template_id);
    assert.match(String(rows[0]!.template_id), /^[0-9a-f]{8}$/);
  });

  test('--json prints lines of clusters merged later under the surviving id', async () => {
    const file = join(dir.path, 'users.log');
    await writeFile(file, ['alice', 'bob', 'carol'].map((user) => `User ${user} logged in from 10.0.0.1`).join('\n'));
    const run = await runCli(['logs', 'templates', file, '--json'], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    const rows = jsonLines(run.stdout);
    assert.equal(new Set(rows.map((r) => r.template_id)).size, 1);
    assert.deepEqual(rows.map((r) => r.template), Array(3).fill('User <*> logged in from <*>'));
  });

  test('pino JSON lines are mined by their msg field; other lines whole', async () => {
    const file = join(dir.path, 'service.log');
    const destination = pino.destination({ dest: file, sync: true });
    const log = pino({ base: { service: 'orders' } }, destination);
    for (let n = 1; n <= 3; n++) log.info({ orderId: `ord_${n}`, items: n }, `order ord_${n} shipped to warehouse ${n}`);
    log.error({ err: new Error('card declined') }, 'payment failed for order ord_9');
    destination.flushSync();
    await writeFile(file, `${JSON.stringify({ level: 'warn', message: 'disk 91% full on /var' })}\nplain text line 1\n`, { flag: 'a' });

    const run = await runCli(['logs', 'templates', file, '--json'], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    const templates = jsonLines(run.stdout).map((r) => r.template);
    assert.deepEqual(templates, [
      'order <*> shipped to warehouse <*>',
      'order <*> shipped to warehouse <*>',
      'order <*> shipped to warehouse <*>',
      'payment failed for order <*>',
      'disk <*>% full on <*>',
      'plain text line <*>',
    ]);
  });

  test('without --json, templates with counts, most frequent first', async () => {
    const file = join(dir.path, 'counts.log');
    const lines = [
      ...Array.from({ length: 12 }, (_, i) => `request ${i} completed in ${i * 3} ms`),
      ...Array.from({ length: 3 }, (_, i) => `worker ${i} crashed with signal SIGSEGV`),
      'shutting down',
    ];
    await writeFile(file, `${lines.join('\n')}\n`);
    const run = await runCli(['logs', 'templates', file], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    const rows = run.stdout.trimEnd().split('\n').map((line) => /^\s*(\d+)  ([0-9a-f]{8})  (.*)$/.exec(line)?.slice(1));
    assert.deepEqual(rows.map((r) => r && [r[0], r[2]]), [
      ['12', 'request <*> completed in <*> ms'],
      ['3', 'worker <*> crashed with signal SIGSEGV'],
      ['1', 'shutting down'],
    ]);
  });

  test('a reader that stops early (`| head`) ends the output quietly with exit code 0', async () => {
    const file = join(dir.path, 'many.log');
    await writeFile(file, Array.from({ length: 50_000 }, (_, i) => `request ${i} completed in ${i % 97} ms`).join('\n'));
    const child = spawn(nightshiftBin, ['logs', 'templates', file, '--json'], { cwd: dir.path, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const [first] = (await once(child.stdout, 'data')) as [Buffer];
    assert.match(first.toString(), /^\{"line":1,/);
    child.stdout.destroy();
    assert.equal(await exited, 0, stderr);
    assert.equal(stderr, '');
  });

  test('--help says how lines are numbered across files', async () => {
    const run = await runCli(['logs', 'templates', '--help'], { cwd: dir.path });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /continues across files in the order given/);
  });
});
