import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { randomName, tempDir } from '../helpers/wait.js';

const worker = fileURLToPath(new URL('../fixtures/processes/embedded-bus-worker.js', import.meta.url));

/** Runs the worker until it printed `stopAfter` lines with `prefix`, then kills it with SIGKILL. */
async function runAndKill(args: string[], prefix: string, stopAfter: number, seen: Set<string>): Promise<number> {
  const child = spawn(process.execPath, [worker, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let lines = 0;
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: child.stdout })) {
    if (!line.startsWith(prefix)) continue;
    seen.add(line.slice(prefix.length));
    if (++lines === stopAfter) child.kill('SIGKILL');
  }
  assert.equal(await exited, 'SIGKILL', 'the worker was killed, not stopped cleanly');
  return lines;
}

test('every event acknowledged before kill -9 is delivered after restart, none lost', { timeout: 120_000 }, async () => {
  const dir = await tempDir();
  try {
    const file = join(dir.path, 'bus.sqlite');
    const acked = new Set<string>();
    // Two publishers killed mid-stream, at a point that varies from run to run.
    await runAndKill(['publish', file], 'ack ', 300 + Math.floor(Math.random() * 300), acked);
    await runAndKill(['publish', file], 'ack ', 200 + Math.floor(Math.random() * 200), acked);
    assert.ok(acked.size >= 500, `published ${acked.size} events`);

    // A consumer killed half way, then one that runs to the end: at least once, from the committed offset.
    const group = randomName('crash');
    const delivered = new Set<string>();
    await runAndKill(['consume', file, group], 'got ', Math.floor(acked.size / 2), delivered);
    const child = spawn(process.execPath, [worker, 'consume', file, group], { stdio: ['ignore', 'pipe', 'inherit'] });
    const missing = new Set([...acked].filter((id) => !delivered.has(id)));
    const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000); // ends the loop below with what arrived
    for await (const line of createInterface({ input: child.stdout })) {
      missing.delete(line.slice('got '.length));
      if (missing.size === 0) break;
    }
    clearTimeout(deadline);
    child.kill('SIGKILL');
    assert.equal(missing.size, 0, `${missing.size} acknowledged events were never delivered`);
  } finally {
    await dir.cleanup();
  }
});
