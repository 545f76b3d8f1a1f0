import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderStepLogs, STEP_LOGS_LIMIT } from '../../services/verifier/render-verification-summary.js';

const TOKEN = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';

describe('step logs for the check run text', () => {
  it('shows every step whole when they fit, each in a fence its output cannot close', () => {
    const text = renderStepLogs([
      { name: 'install', output: 'added 3 packages' },
      { name: 'test', output: 'a doc example:\n```js\nx()\n```' },
    ]);
    assert.equal(text, '### install\n\n```\nadded 3 packages\n```\n\n### test\n\n````\na doc example:\n```js\nx()\n```\n````');
  });

  it('fits GitHub\'s limit: short logs stay whole, long ones keep their end and say how much was cut', () => {
    const install = `${'npm http fetch\n'.repeat(20_000)}INSTALL END`;
    const test = `${'ok\n'.repeat(30_000)}TEST FAILED: expected 0`;
    const text = renderStepLogs([
      { name: 'install', output: install },
      { name: 'build', output: 'built in 2s' },
      { name: 'test', output: test },
    ]);
    assert.ok(Array.from(text).length <= STEP_LOGS_LIMIT, `${text.length} characters`);
    assert.ok(text.length > STEP_LOGS_LIMIT - 500, 'the room is used');
    assert.match(text, /### build\n\n```\nbuilt in 2s\n```/);
    assert.match(text, /INSTALL END\n```/);
    assert.match(text, /TEST FAILED: expected 0\n```$/);
    const cuts = [...text.matchAll(/_(\d+) earlier characters of this log are cut/g)].map((m) => Number(m[1]));
    assert.equal(cuts.length, 2);
    assert.ok(cuts.every((n) => n > 0));
  });

  it('redacts secrets before cutting, so no cut leaves half a token behind', () => {
    const output = `${'a'.repeat(1000)} ${TOKEN}${'\n'.repeat(10)}`;
    for (let limit = 150; limit <= 260; limit++) {
      const text = renderStepLogs([{ name: 'test', output }], limit);
      assert.ok(text.length <= limit, `limit ${limit}: ${text.length}`);
      assert.ok(!text.includes(TOKEN.slice(-8)), `limit ${limit}: part of the token survived: ${text}`);
    }
    assert.match(renderStepLogs([{ name: 'test', output: `token ${TOKEN} used` }]), /token \[REDACTED\] used/);
  });
});
