// What a delivery makes on ingest's publish path must die young: promoted objects fill the HTTP
// thread's old generation, whose full collections then pause requests (bench/ingest, p99 at 1,000/s).
// Each step runs in a child process with V8's young-collection trace on; the test reads the bytes
// those collections promoted per delivery. In Node 20's V8, every object literal that opens with a
// spread and then adds properties is promoted (the literal, ~100 bytes, not what it references);
// with such literals on the path the steps below promoted 147 (receive), 433 (produce) and 118
// (ledger) bytes per delivery, and bench/ingest's HTTP thread ~150 KB per young collection at 1,000/s.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { tempDir } from '../helpers/wait.js';

const probe = fileURLToPath(new URL('../fixtures/processes/promotion-probe.js', import.meta.url));

/** Bytes a young collection promoted per iteration of `workload` (the median collection's), from the child's trace. */
async function promotedPerIteration(workload: string): Promise<number> {
  const dir = await tempDir('nightshift-promotion-');
  // The server's own settings: no allocation-site pretenuring (see preferYoungCollections); a small
  // young generation makes many young collections in a short run.
  const run = spawnSync(process.execPath, ['--no-allocation-site-pretenuring', '--max-semi-space-size=1', probe, workload, dir.path], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  await dir.cleanup();
  assert.equal(run.status, 0, `the probe failed: ${run.stderr}`);
  const iterations = Number(/^iterations (\d+)/m.exec(run.stdout)?.[1]);
  const scavenges = [...run.stdout.matchAll(/gc=s .*?promoted=(\d+)/g)].map((match) => Number(match[1]));
  assert.ok(scavenges.length >= 10, `only ${scavenges.length} young collections traced: the probe measured nothing`);
  // The median collection: a steady leak shows in every one, while a one-off (code the JIT finished
  // optimising, a SQLite page cache filling) lands in a few and is not the delivery's.
  const median = scavenges.sort((a, b) => a - b)[Math.floor(scavenges.length / 2)]!;
  return median / (iterations / scavenges.length);
}

describe('objects a delivery makes on the publish path die young', () => {
  test('the probe sees promotion: a literal opening with a spread and adding a property is promoted', async () => {
    const bytes = await promotedPerIteration('spread-then-add');
    assert.ok(bytes >= 50, `only ${bytes.toFixed(1)} bytes per iteration promoted`);
  });

  for (const workload of ['receive', 'produce', 'ledger']) {
    test(`${workload}: under 25 bytes promoted per delivery`, async () => {
      const bytes = await promotedPerIteration(workload);
      assert.ok(bytes < 25, `${bytes.toFixed(1)} bytes per delivery promoted`);
    });
  }
});
