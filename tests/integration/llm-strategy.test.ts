import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { createLlmStrategy } from '../../services/fixer/strategies/llm/create-llm-strategy.js';
import type { LlmConfig } from '../../shared/config/fixer-schema.js';
import { startFakeOpenAi, toolResult, type ChatRequestBody, type FakeOpenAi, type ScriptStep } from '../helpers/fake-openai.js';
import { createLlmTestWorkspace } from '../helpers/git-workspace-llm.js';
import { runShopChecks, SHOP_FILES, shopContext, TEST_API_KEY, testLlmConfig } from '../helpers/llm-scenario.js';

const BRIEF = 'cartTotal in src/cart.js loops one past the end of items and reads .price of undefined.';

const summaryStep: ScriptStep = {
  expect: (r) => (r.model !== 'mini-model' ? `the summary went to ${r.model}` : r.tools ? 'the summary request offered tools' : undefined),
  reply: { content: BRIEF, usage: { prompt_tokens: 1200, completion_tokens: 60 } },
};

function expectTool(name: string, contains: string) {
  return (r: ChatRequestBody): string | undefined => {
    if (r.model !== 'big-model') return `the patch turn went to ${r.model}`;
    const result = toolResult({ body: r, raw: '', headers: {}, receivedAt: 0, status: 0 }, name);
    return result?.includes(contains) ? undefined : `the ${name} result lacks "${contains}": ${result}`;
  };
}

const fixSteps: ScriptStep[] = [
  { reply: { toolCalls: [{ name: 'read_file', arguments: { path: 'src/cart.js' } }], usage: { prompt_tokens: 2000, completion_tokens: 40 } } },
  {
    expect: expectTool('read_file', '3|   for (let i = 0; i <= items.length; i++) {'),
    reply: { toolCalls: [{ name: 'propose_edit', arguments: { path: 'src/cart.js', search: 'i <= items.length', replace: 'i < items.length' } }], usage: { prompt_tokens: 2300, completion_tokens: 50 } },
  },
  { expect: expectTool('propose_edit', 'edited src/cart.js'), reply: { toolCalls: [{ name: 'run_checks', arguments: {} }], usage: { prompt_tokens: 2400, completion_tokens: 20 } } },
  {
    expect: expectTool('run_checks', 'checks PASSED'),
    reply: {
      toolCalls: [{ name: 'finish', arguments: { rationale: 'The loop ran to `items.length` inclusive; it now stops before it.', confidence: 0.8 } }],
      usage: { prompt_tokens: 2600, completion_tokens: 45 },
    },
  },
];

describe('the llm strategy against a scripted OpenAI-compatible server', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  after(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function setup(script: ScriptStep[], config: Partial<LlmConfig> = {}, maxRetries?: number) {
    const fake = await startFakeOpenAi({ apiKey: TEST_API_KEY, models: ['mini-model', 'big-model'], script });
    const workspace = await createLlmTestWorkspace(SHOP_FILES);
    cleanups.push(() => fake.close(), () => workspace.dispose());
    const strategy = createLlmStrategy({ config: testLlmConfig(fake.url, config), runChecks: runShopChecks, ...(maxRetries === undefined ? {} : { maxRetries }) });
    return { fake, workspace, strategy };
  }

  function assertKeyNeverSent(fake: FakeOpenAi, logLines: string[]) {
    for (const r of fake.requests) {
      assert.ok(!r.raw.includes(TEST_API_KEY), 'the API key is in a request body');
      assert.equal(r.headers.authorization, `Bearer ${TEST_API_KEY}`);
    }
    assert.ok(!logLines.join('').includes(TEST_API_KEY), 'the API key is in a log line');
  }

  test('read, edit, check, finish: the only edit that fixes the failing test becomes the candidate', async () => {
    const { fake, workspace, strategy } = await setup([summaryStep, ...fixSteps]);
    assert.equal((await runShopChecks(workspace.dir, new AbortController().signal)).ok, false, 'the fixture test fails before the fix');
    const ctx = shopContext(workspace);

    const outcome = await strategy.propose(ctx);

    assert.deepEqual(fake.violations, []);
    assert.equal(fake.remaining(), 0);
    assert.ok(outcome.ok, `expected a candidate: ${!outcome.ok && outcome.reason}`);
    const { candidate } = outcome;
    assert.equal(candidate.strategy, 'llm');
    assert.deepEqual(candidate.files, ['src/cart.js']);
    assert.equal(candidate.linesChanged, 2);
    assert.match(candidate.diff, /^-  for \(let i = 0; i <= items\.length; i\+\+\) \{$/m);
    assert.match(candidate.diff, /^\+  for \(let i = 0; i < items\.length; i\+\+\) \{$/m);
    assert.equal(candidate.confidence, 0.8);
    assert.match(candidate.rationale, /stops before it/);
    assert.equal((await runShopChecks(workspace.dir, new AbortController().signal)).ok, true, 'the edit left in the workspace fixes the test');

    // The summary tier read the evidence; the rule's tier wrote the patch, with the brief quoted.
    assert.deepEqual(fake.requests.map((r) => r.body.model), ['mini-model', 'big-model', 'big-model', 'big-model', 'big-model']);
    assert.ok(fake.requests[1]!.raw.includes(JSON.stringify(BRIEF).slice(1, -1)));
    assert.deepEqual(candidate.usage, [
      { model: 'mini-model', promptTokens: 1200, completionTokens: 60, costUsd: (1200 * 0.15 + 60 * 0.6) / 1e6 },
      { model: 'big-model', promptTokens: 9300, completionTokens: 155, costUsd: (9300 * 2.5 + 155 * 10) / 1e6 },
    ]);
    // Every tool the model may use is declared, and none runs commands or reaches the network.
    assert.deepEqual(
      fake.requests[1]!.body.tools!.map((t) => t.function.name).sort(),
      ['apply_patch', 'finish', 'list_files', 'propose_edit', 'read_evidence', 'read_file', 'run_checks', 'search'],
    );
    assertKeyNeverSent(fake, ctx.logLines);
  });

  test('malformed tool JSON, an unknown tool and invalid arguments are answered as errors and the model recovers', async () => {
    const { fake, strategy, workspace } = await setup([
      summaryStep,
      { reply: { toolCalls: [{ name: 'read_file', arguments: '{"path": "src/cart.js"' }] } },
      { expect: expectTool('read_file', 'not valid JSON'), reply: { toolCalls: [{ name: 'run_shell', arguments: { command: 'rm -rf /' } }] } },
      { expect: expectTool('run_shell', 'there is no tool "run_shell"'), reply: { toolCalls: [{ name: 'finish', arguments: { rationale: 'x', confidence: 3 } }] } },
      {
        expect: expectTool('finish', 'invalid arguments for finish: confidence'),
        reply: { toolCalls: [{ name: 'propose_edit', arguments: { path: 'src/cart.js', search: 'i <= items.length', replace: 'i < items.length' } }] },
      },
      { reply: { content: 'I think that fixes it.' } },
      {
        expect: (r) => (r.messages.at(-1)?.role === 'user' && /tool calls only/.test(r.messages.at(-1)?.content ?? '') ? undefined : 'no nudge after a text answer'),
        reply: { toolCalls: [{ name: 'finish', arguments: { rationale: 'Stop the loop before the end.', confidence: 0.7 } }] },
      },
    ]);
    const outcome = await strategy.propose(shopContext(workspace));
    assert.deepEqual(fake.violations, []);
    assert.ok(outcome.ok, !outcome.ok ? outcome.reason : '');
    assert.deepEqual(outcome.candidate.files, ['src/cart.js']);
    assert.equal(fake.requests.length, 7, 'every bad call cost a turn');
  });

  test('a 429 with Retry-After is retried by the client after the wait, then the fix goes on', async () => {
    const { fake, strategy, workspace } = await setup([summaryStep, { fault: 'rate-limit', retryAfterSeconds: 1 }, ...fixSteps]);
    const outcome = await strategy.propose(shopContext(workspace));
    assert.deepEqual(fake.violations, []);
    assert.ok(outcome.ok, !outcome.ok ? outcome.reason : '');
    assert.equal(fake.requests[1]!.status, 429);
    const waited = fake.requests[2]!.receivedAt - fake.requests[1]!.receivedAt;
    assert.ok(waited >= 950, `the retry came after ${waited} ms, before Retry-After`);
  });

  test('429s past the retries end in a clean failure that reports the usage so far', async () => {
    const { fake, strategy, workspace } = await setup(
      [summaryStep, { fault: 'rate-limit', retryAfterSeconds: 1 }, { fault: 'rate-limit', retryAfterSeconds: 1 }],
      {},
      1,
    );
    const outcome = await strategy.propose(shopContext(workspace));
    assert.deepEqual(fake.violations, []);
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok);
    assert.match(outcome.reason, /429/);
    assert.deepEqual(outcome.usage.map((u) => u.model), ['mini-model']);
    assert.equal((await workspace.diff()).diff, '');
  });

  test('an answer slower than the timeout is retried, then fails cleanly in bounded time', async () => {
    const { fake, strategy, workspace } = await setup(
      [summaryStep, { fault: 'slow', delayMs: 10_000 }, { fault: 'slow', delayMs: 10_000 }],
      { requestTimeoutMs: 1000 },
      1,
    );
    const started = Date.now();
    const outcome = await strategy.propose(shopContext(workspace));
    const took = Date.now() - started;
    assert.ok(!outcome.ok);
    assert.match(outcome.reason, /did not answer in time/);
    assert.equal(fake.requests.length, 3, 'one timed-out request and one retry');
    assert.ok(took >= 2000 && took < 6000, `took ${took} ms`);
    assert.equal(outcome.usage.length, 1);
  });

  test('an abort stops a request in flight', async () => {
    const { strategy, workspace } = await setup([summaryStep, { fault: 'slow', delayMs: 10_000 }]);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const outcome = await strategy.propose(shopContext(workspace, { signal: controller.signal }));
    assert.ok(!outcome.ok);
    assert.match(outcome.reason, /aborted/);
    assert.ok(Date.now() - started < 2000);
  });

  test('token budget: the attempt stops before a turn that could exceed it, and never spends past it', async () => {
    const big = { prompt_tokens: 8000, completion_tokens: 500 };
    const { fake, strategy, workspace } = await setup([
      { reply: { content: BRIEF, usage: { prompt_tokens: 3000, completion_tokens: 200 } } },
      { reply: { toolCalls: [{ name: 'read_file', arguments: { path: 'src/cart.js' } }], usage: big } },
      { reply: { toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }], usage: big } },
      ...fixSteps,
    ]);
    const outcome = await strategy.propose(shopContext(workspace, { permissions: { maxTokens: 18_000 } }));
    assert.deepEqual(fake.violations, []);
    assert.ok(!outcome.ok);
    assert.match(outcome.reason, /budget/);
    const tokens = outcome.usage.reduce((sum, u) => sum + u.promptTokens + u.completionTokens, 0);
    assert.equal(tokens, 3200 + 8500);
    assert.ok(tokens <= 18_000);
    assert.equal(fake.requests.length, 2);
    // Each request asked for no more completion than the budget had left.
    for (const r of fake.requests) assert.ok(r.body.max_completion_tokens! <= 18_000);
  });

  test('dollar budget: priced usage stops the attempt within maxUsd', async () => {
    const { fake, strategy, workspace } = await setup(
      [summaryStep, { reply: { toolCalls: [{ name: 'list_files', arguments: { dir: 'src' } }], usage: { prompt_tokens: 6000, completion_tokens: 500 } } }, ...fixSteps],
      { prices: { 'mini-model': { inputPerMillion: 0.15, outputPerMillion: 0.6 }, 'big-model': { inputPerMillion: 10, outputPerMillion: 30 } } },
    );
    const outcome = await strategy.propose(shopContext(workspace, { permissions: { maxUsd: 0.1 } }));
    assert.ok(!outcome.ok);
    assert.match(outcome.reason, /budget/);
    const usd = outcome.usage.reduce((sum, u) => sum + u.costUsd, 0);
    assert.ok(usd <= 0.1 && usd > 0.07, `spent $${usd}`);
    assert.equal(fake.requests.length, 2);
  });

  test('a model without a price is refused before any request', async () => {
    const { fake, strategy, workspace } = await setup([summaryStep], { prices: { 'mini-model': { inputPerMillion: 0.15, outputPerMillion: 0.6 } } });
    const outcome = await strategy.propose(shopContext(workspace));
    assert.ok(!outcome.ok);
    assert.match(outcome.reason, /"big-model" has no price/);
    assert.deepEqual(outcome.usage, []);
    assert.equal(fake.requests.length, 0);
  });

  test('running out of turns fails and resets the workspace', async () => {
    const { strategy, workspace } = await setup([summaryStep, fixSteps[0]!, fixSteps[1]!], { maxTurns: 2 });
    const outcome = await strategy.propose(shopContext(workspace));
    assert.ok(!outcome.ok);
    assert.match(outcome.reason, /all 2 turns/);
    assert.equal((await workspace.diff()).diff, '');
    assert.equal(await readFile(join(workspace.dir, 'src/cart.js'), 'utf8'), SHOP_FILES['src/cart.js']);
  });
});
