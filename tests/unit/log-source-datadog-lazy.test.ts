import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const source = fileURLToPath(new URL('../../services/triage/evidence/datadog/create-datadog-log-source.js', import.meta.url));

test('a Datadog log source loads the Datadog client (~130 MB of RSS) only when it first reads', async () => {
  // A fresh process: this one may have loaded the client for other tests.
  const script = `
    import { createRequire } from 'node:module';
    const { createDatadogLogSource } = await import(${JSON.stringify(source)});
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('datadog-api-client'));
    const dd = createDatadogLogSource({ apiKey: 'k', appKey: 'a', baseUrl: 'http://127.0.0.1:9', retry: { maxRetries: 0 } });
    const before = loaded();
    let error = '';
    try { for await (const _ of dd.fetchLogs({ services: ['orders'], from: 0, to: 1 })) break; } catch (e) { error = e.code ?? String(e); }
    console.log(JSON.stringify({ before, after: loaded(), error }));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  const result = JSON.parse(stdout.trim()) as { before: boolean; after: boolean; error: string };
  assert.equal(result.before, false, 'creating the source does not load the client');
  assert.equal(result.after, true, 'reading does');
  assert.notEqual(result.error, '', 'nothing listens there, so the read fails as a source error');
});
