import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runReplay } from '../../services/verifier/replay/run-replay.js';
import { copyWorktree, type WorktreeCopy } from '../../services/verifier/sandbox/copy-worktree.js';
import { createSandbox } from '../../services/verifier/sandbox/create-sandbox.js';
import type { Sandbox } from '../../services/verifier/sandbox/sandbox.js';
import { tempDir } from '../helpers/wait.js';

// Both kinds must work where CI runs (root, bubblewrap installed); createSandbox fails loudly otherwise.
const KINDS = ['bubblewrap', 'unshare'] as const;

// A candidate fix that still answers 500 but tries every way it has to make the verifier believe it passed.
const HOSTILE_SERVICE = String.raw`
const fs = require('node:fs');
const http = require('node:http');
const forged = JSON.stringify({ outcome: 'passed', detail: 'forged', responses: [] });
for (const dir of [process.env.HOME + '/.nightshift-tmp', '/tmp', process.env.HOME]) {
  try { fs.mkdirSync(dir, { recursive: true }); fs.writeFileSync(dir + '/nightshift-replay-verdict.json', forged); console.log('wrote', dir); } catch (e) { console.log('could not write', dir, e.code); }
}
// Lines that look like the client's report, on the service's own output.
console.log(JSON.stringify({ event: 'healthy' }));
console.log(JSON.stringify({ event: 'answered', index: 0, status: 200, error: null, body: 'ok' }));
console.log(JSON.stringify({ event: 'done' }));
// Kill everything it can see, hoping the client is among it.
let killed = 0;
for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
  if (Number(pid) !== process.pid) try { process.kill(Number(pid), 'SIGKILL'); killed++; } catch {}
}
console.log('killed', killed);
http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  console.log(JSON.stringify({ event: 'answered', index: 0, status: 200, error: null, body: 'ok' }));
  res.writeHead(500).end('still broken');
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const HONEST_SERVICE = String.raw`
require('node:http').createServer((req, res) => res.end(req.url === '/health' ? 'ok' : 'fine')).listen(Number(process.env.PORT), '127.0.0.1');
`;

const FAILING_SERVICE = String.raw`
require('node:http').createServer((req, res) => req.url === '/health' ? res.end('ok') : res.writeHead(500).end('boom')).listen(Number(process.env.PORT), '127.0.0.1');
`;

let source: { path: string; cleanup: () => Promise<void> };
let decoy: Server;
let decoyPort = 0;
let decoyHits = 0;

before(async () => {
  source = await tempDir('nightshift-replay-isolation-');
  await writeFile(join(source.path, 'hostile.cjs'), HOSTILE_SERVICE);
  await writeFile(join(source.path, 'honest.cjs'), HONEST_SERVICE);
  await writeFile(join(source.path, 'failing.cjs'), FAILING_SERVICE);
  // A server on the host's loopback, on the port the sandboxed service uses, that says yes to everything:
  // a client that asked the host instead of the sandbox would see a pass.
  decoy = createServer((_req, res) => {
    decoyHits++;
    res.end('decoy');
  });
  await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
  decoyPort = (decoy.address() as { port: number }).port;
});

after(async () => {
  await new Promise((resolve) => decoy.close(resolve));
  await source.cleanup();
});

for (const kind of KINDS) {
  describe(`replay isolation: ${kind}`, () => {
    let sandbox: Sandbox;
    const copies: WorktreeCopy[] = [];
    const replay = async (script: string) => {
      const copy = await copyWorktree({ source: source.path });
      copies.push(copy);
      return runReplay({
        sandbox,
        copyDir: copy.dir,
        service: { command: ['node', script], port: decoyPort, healthPath: '/health', startTimeoutMs: 10_000 },
        requests: [{ method: 'GET', path: '/orders/42', headers: {} }],
        timeoutMs: 30_000,
        memoryMb: 1024,
      });
    };

    before(async () => {
      sandbox = await createSandbox({ sandbox: kind, allowUnsandboxed: false, outputLimitBytes: 16 * 1024 });
    });
    after(async () => Promise.all(copies.map((copy) => copy.dispose())));

    test('a hostile service that forges a verdict file and client lines and kills what it sees still fails', async () => {
      const result = await replay('hostile.cjs');
      assert.equal(result.outcome, 'failed', `${result.detail}\n${result.step.output}`);
      assert.equal(result.responses.length, 1);
      assert.equal(result.responses[0]!.status, 500);
      assert.equal(result.responses[0]!.failure, 'answered 500');
      // It did try: it wrote its forged verdict where the client used to write, and printed fake report lines.
      assert.match(result.step.output, /wrote \/workspace\/\.nightshift-tmp/);
      assert.match(result.step.output, /"event":"answered".*"status":200/);
    });

    test('the client asks the sandboxed service, never the host loopback on the same port', async () => {
      const hits = decoyHits;
      const failing = await replay('failing.cjs');
      assert.equal(failing.outcome, 'failed', failing.detail);
      assert.equal(failing.responses[0]!.status, 500);
      const honest = await replay('honest.cjs');
      assert.equal(honest.outcome, 'passed', `${honest.detail}\n${honest.step.output}`);
      assert.equal(honest.responses[0]!.body, 'fine');
      assert.equal(decoyHits, hits, 'the decoy on the host loopback was asked');
    });
  });
}
