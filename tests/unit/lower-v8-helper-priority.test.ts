// lowerV8HelperPriority finds V8's platform threads by the order Node starts them in. These tests run
// it in a child process and check that the threads it lowered are the ones that collect garbage.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';

const moduleUrl = new URL('../../services/cli/lower-v8-helper-priority.js', import.meta.url).href;

// Lowers the helpers, then churns the heap (young and full collections) and reports, per thread,
// the nice value and the CPU nanoseconds used meanwhile (schedstat).
const child = `
import { readdirSync, readFileSync } from 'node:fs';
import { lowerV8HelperPriority } from ${JSON.stringify(moduleUrl)};
const lowered = lowerV8HelperPriority();
const threads = () => readdirSync('/proc/self/task').map(Number);
const nice = (id) => Number(readFileSync('/proc/self/task/' + id + '/stat', 'utf8').replace(/^.*\\) /s, '').split(' ')[16]);
const cpu = (id) => Number(readFileSync('/proc/self/task/' + id + '/schedstat', 'utf8').split(' ')[0]);
const before = new Map(threads().map((id) => [id, cpu(id)]));
const kept = [];
for (let round = 0; round < 40; round++) {
  kept.push(Array.from({ length: 100_000 }, (_, i) => ({ i, text: 'item ' + i })));
  if (kept.length > 8) kept.shift();
}
const report = [...before.keys()].map((id) => ({ id, nice: nice(id), cpuNs: cpu(id) - before.get(id) }));
process.stdout.write(JSON.stringify({ pid: process.pid, lowered, report }));
`;

interface Report {
  pid: number;
  lowered: number[];
  report: { id: number; nice: number; cpuNs: number }[];
}

/** Runs the child; `niceness` starts it under nice(1), as a process started that way would be. */
function runChild(nodeOptions: string[], niceness?: number): Report {
  const command = [process.execPath, ...nodeOptions, '--input-type=module', '-e', child];
  const [file, ...args] = niceness === undefined ? command : ['nice', '-n', String(niceness), ...command];
  return JSON.parse(execFileSync(file!, args, { encoding: 'utf8' })) as Report;
}

describe('lowerV8HelperPriority', { skip: process.platform !== 'linux' && 'thread priorities are set through Linux /proc' }, () => {
  test('lowers the delayed-task scheduler and the four platform workers, which do the collecting, and nothing else', () => {
    const { pid, lowered, report } = runChild([]);
    assert.equal(lowered.length, 5);
    // Relative to the main thread, which keeps the priority the test runner gave the child.
    const base = report.find((t) => t.id === pid)!.nice;
    for (const thread of report.filter((t) => t.id !== pid)) {
      assert.equal(thread.nice, lowered.includes(thread.id) ? Math.min(19, base + 10) : base, `thread ${thread.id}`);
    }
    // The four workers (after the scheduler) ran the collections' helper tasks; libuv's pool did not.
    const workers = lowered.slice(1);
    const workersCpu = report.filter((t) => workers.includes(t.id)).reduce((sum, t) => sum + t.cpuNs, 0);
    const othersCpu = report.filter((t) => t.id !== pid && !lowered.includes(t.id)).reduce((sum, t) => sum + t.cpuNs, 0);
    assert.ok(workersCpu > 1_000_000, `the lowered workers collected: ${workersCpu} ns`);
    assert.ok(othersCpu < workersCpu / 10, `threads left alone used ${othersCpu} ns against the workers' ${workersCpu} ns`);
  });

  test('follows --v8-pool-size', () => {
    const { pid, lowered, report } = runChild(['--v8-pool-size=2']);
    assert.equal(lowered.length, 3);
    const base = report.find((t) => t.id === pid)!.nice;
    assert.ok(report.filter((t) => lowered.includes(t.id)).every((t) => t.nice === Math.min(19, base + 10)));
  });

  test('lowers by 10 steps from where the process runs, never raising a thread (started under nice 5, and 15)', () => {
    for (const niceness of [5, 15]) {
      const { pid, lowered, report } = runChild([], niceness);
      const base = report.find((t) => t.id === pid)!.nice;
      assert.ok(base >= niceness, `the child runs at nice ${base}`);
      assert.equal(lowered.length, 5);
      for (const thread of report.filter((t) => lowered.includes(t.id))) assert.equal(thread.nice, Math.min(19, base + 10));
    }
  });

  test('leaves every thread alone when Node picks the pool size itself (--v8-pool-size=0)', () => {
    const { pid, lowered, report } = runChild(['--v8-pool-size=0']);
    assert.deepEqual(lowered, []);
    const base = report.find((t) => t.id === pid)!.nice;
    assert.ok(report.every((t) => t.nice === base));
  });
});
