import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { shareForegroundWork } from '../../shared/bus/foreground-work.js';
import { createDefaultConfig } from '../../shared/config/create-default-config.js';
import { startConsumerThread } from '../../services/runtime/consumer-thread/start-consumer-thread.js';
import type { ConsumerThreadData } from '../../services/runtime/consumer-thread/consumer-thread-messages.js';
import { tempDir, waitFor } from '../helpers/wait.js';

const failingThread = new URL('../helpers/failing-consumer-thread.js', import.meta.url);
const startModule = new URL('../../services/runtime/consumer-thread/start-consumer-thread.js', import.meta.url);
const data = (): ConsumerThreadData => ({ config: createDefaultConfig(), roles: [], configFile: null, foreground: shareForegroundWork(), logLevel: 'info' });

test('a consumer thread that fails after starting is logged as fatal and handed to onCrash; its lines before that reach the logger', async () => {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  let crashed: Error | undefined;
  const thread = startConsumerThread(data(), { log, script: failingThread, onCrash: (error) => (crashed = error) });
  await thread.started;
  await waitFor(() => crashed, { timeoutMs: 10_000, what: 'onCrash' });
  assert.match(crashed!.message, /failed on purpose/);
  assert.match(thread.status(), /^consumer thread stopped: .*failed on purpose/);
  const relayed = lines.find((line) => line.msg === 'about to fail');
  assert.equal(relayed?.level, 40);
  assert.equal(relayed?.thread, 'consumers');
  const fatal = lines.find((line) => line.level === 60);
  assert.equal(fatal?.msg, 'consumer thread failed');
  assert.match((fatal?.err as { message?: string } | undefined)?.message ?? '', /failed on purpose/);
  // Stopping a thread that already ended is a no-op, not a hang.
  await thread.stop();
});

test('by default the failure of a started consumer thread ends the process with a non-zero code', async () => {
  // In a process of its own: the default onCrash throws on the HTTP thread, as an uncaught exception does.
  // Imports by absolute URL: the file is in a temporary directory, away from the checkout's node_modules.
  const program = [
    `import { startConsumerThread } from ${JSON.stringify(startModule.href)};`,
    `import { createDefaultConfig } from ${JSON.stringify(new URL('../../shared/config/create-default-config.js', import.meta.url).href)};`,
    `import { shareForegroundWork } from ${JSON.stringify(new URL('../../shared/bus/foreground-work.js', import.meta.url).href)};`,
    `import { pino } from ${JSON.stringify(import.meta.resolve('pino'))};`,
    `const data = { config: createDefaultConfig(), roles: [], configFile: null, foreground: shareForegroundWork(), logLevel: 'info' };`,
    `const thread = startConsumerThread(data, { log: pino({ level: 'info' }), script: new URL(${JSON.stringify(failingThread.href)}) });`,
    `await thread.started;`,
    // Kept alive the way a server is: only the crash can end it before the timer.
    `setTimeout(() => { console.log('still running'); process.exit(0); }, 10_000);`,
  ].join('\n');
  const dir = await tempDir('nightshift-thread-crash-');
  const script = join(dir.path, 'server.mjs');
  await writeFile(script, program);
  const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
  await dir.cleanup();
  assert.equal(child.stdout.includes('still running'), false, child.stdout);
  assert.notEqual(child.status, 0, `exit status ${child.status}, signal ${child.signal}\n${child.stderr}`);
  assert.equal(child.signal, null, 'ended by its own exception, not by the 30 s timeout');
  assert.match(child.stderr, /failed on purpose/);
  assert.match(child.stdout, /"level":60.*"msg":"consumer thread failed"/);
  assert.match(child.stdout, /"msg":"about to fail"/);
});
