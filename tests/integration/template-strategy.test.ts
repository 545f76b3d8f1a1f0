import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { StrategyOutcome } from '../../services/fixer/fix-candidate.js';
import { createTemplateStrategy } from '../../services/fixer/strategies/template/create-template-strategy.js';
import type { CrashSite } from '../../services/triage/report/triage-report.js';
import { createTestWorkspace, type TestWorkspace } from '../helpers/git-workspace.js';
import { compileToCommonJs, crashFromStack, fixContext, runExport, templateFixture, type RunOutcome } from '../helpers/template-fixture.js';
import { tempDir } from '../helpers/wait.js';

// pricing.ts is checked in as .fixture so the project's own tsc does not compile it.
const FILES = ['orders.js', 'webhooks.js', 'inventory.js', 'stock-client.js', 'pricing.ts.fixture', 'report.py'];
const strategy = createTemplateStrategy();
let workspace: TestWorkspace;
let scratch: { path: string; cleanup: () => Promise<void> };

before(async () => {
  const files: Record<string, string> = {};
  for (const name of FILES) files[`src/${name.replace(/\.fixture$/, '')}`] = await templateFixture(name);
  workspace = await createTestWorkspace(files);
  scratch = await tempDir('nightshift-template-');
});

after(async () => {
  await workspace.cleanup();
  await scratch.cleanup();
});

const path = (file: string): string => join(workspace.dir, 'src', file);

type Crash = Partial<CrashSite> & Pick<CrashSite, 'file' | 'errorType'>;

async function propose(crash: Crash): Promise<StrategyOutcome> {
  await workspace.reset();
  return strategy.propose(fixContext(workspace, crash));
}

/** Runs the export before any fix; it must throw, and its real stack gives the crash site. */
async function crashOf(file: string, name: string, input: Parameters<typeof runExport>[2]): Promise<{ crash: Crash; before: RunOutcome }> {
  await workspace.reset();
  const before = await runExport(path(file), name, input);
  assert.equal(before.exitCode, 1, `expected ${name} to throw before the fix: ${JSON.stringify(before)}`);
  assert.ok(before.thrown);
  return { crash: crashFromStack(workspace.dir, before.thrown), before };
}

function candidateOf(outcome: StrategyOutcome): Extract<StrategyOutcome, { ok: true }>['candidate'] {
  assert.ok(outcome.ok, `expected a candidate, got: ${outcome.ok ? '' : outcome.reason}`);
  return outcome.candidate;
}

function addedLines(diff: string): string[] {
  return diff.split('\n').filter((line) => line.startsWith('+') && !line.startsWith('+++')).map((line) => line.slice(1));
}

test('a TypeError on a missing request field in a handler becomes a 400, and valid requests still work', async () => {
  const { crash, before } = await crashOf('orders.js', 'orderCount', { req: { body: {} } });
  assert.match(before.thrown?.message ?? '', /Cannot read properties of undefined \(reading 'items'\)/);
  assert.deepEqual([crash.file, crash.line], ['src/orders.js', 5]);

  const candidate = candidateOf(await propose(crash));
  assert.equal(candidate.strategy, 'template');
  assert.deepEqual(candidate.files, ['src/orders.js']);
  assert.equal(candidate.linesChanged, 1, candidate.diff);
  assert.deepEqual(addedLines(candidate.diff), ["  if (req.body.order == null) return res.status(400).json({ error: 'body.order is required' });"]);
  assert.ok(candidate.confidence >= 0.5 && candidate.confidence <= 0.7);
  assert.match(candidate.rationale, /guard-property-access.*src\/orders\.js:5/);
  assert.match(candidate.rationale, /400/);

  const after = await runExport(path('orders.js'), 'orderCount', { req: { body: {} } });
  assert.deepEqual(after, { exitCode: 0, status: 400, body: { error: 'body.order is required' } });
  const valid = await runExport(path('orders.js'), 'orderCount', { req: { body: { order: { items: [1, 2] } } } });
  assert.deepEqual(valid, { exitCode: 0, status: 200, body: { count: 2 } });
});

test('a read that is iterated outside a handler becomes optional with an empty-list fallback', async () => {
  const { crash } = await crashOf('orders.js', 'sumPrices', { args: [{}] });
  const candidate = candidateOf(await propose(crash));
  assert.deepEqual(addedLines(candidate.diff), ['  for (const line of (cart.details?.lines ?? [])) {']);
  assert.deepEqual(await runExport(path('orders.js'), 'sumPrices', { args: [{}] }), { exitCode: 0, value: 0 });
  assert.deepEqual(await runExport(path('orders.js'), 'sumPrices', { args: [{ details: { lines: [{ price: 2 }, { price: 3 }] } }] }), { exitCode: 0, value: 5 });
  // The rest of the file is byte-for-byte what it was.
  const original = await templateFixture('orders.js');
  const edited = await readFile(path('orders.js'), 'utf8');
  assert.equal(edited, original.replace('for (const line of cart.details.lines)', 'for (const line of (cart.details?.lines ?? []))'));
});

test('a write through a missing object in a function that returns nothing becomes an early return', async () => {
  const { crash } = await crashOf('orders.js', 'applyDiscount', { args: [{}, 10] });
  const candidate = candidateOf(await propose(crash));
  assert.deepEqual(addedLines(candidate.diff), ['  if (order.pricing == null) return;']);
  assert.deepEqual(await runExport(path('orders.js'), 'applyDiscount', { args: [{}, 10] }), { exitCode: 0 });
});

test('TypeScript: a missing map entry in arithmetic falls back to 0, and the file still compiles and runs', async () => {
  await workspace.reset();
  const beforeJs = await compileToCommonJs(path('pricing.ts'), scratch.path);
  const input = { args: [{ base: { amount: 10 }, method: 'drone', weight: 2 }] };
  const before = await runExport(beforeJs, 'quoteTotal', input);
  assert.equal(before.thrown?.message, "Cannot read properties of undefined (reading 'amount')");
  // The stack points at the compiled copy, so the frame has the source line but no column.
  const candidate = candidateOf(await propose({ file: 'src/pricing.ts', line: 11, errorType: 'TypeError', errorValue: before.thrown?.message ?? '' }));
  assert.deepEqual(addedLines(candidate.diff), ['  return base + (RATES[quote.method]?.amount ?? 0) * quote.weight;']);
  const afterJs = await compileToCommonJs(path('pricing.ts'), scratch.path);
  assert.deepEqual(await runExport(afterJs, 'quoteTotal', input), { exitCode: 0, value: 10 });
});

test('JSON.parse of a request field in a handler answers 400 with a JSON error', async () => {
  const req = { body: { payload: '{not json' } };
  const { crash } = await crashOf('webhooks.js', 'receiveWebhook', { req });
  assert.equal(crash.errorType, 'SyntaxError');
  const candidate = candidateOf(await propose(crash));
  assert.match(candidate.rationale, /guard-json-parse/);
  assert.deepEqual(addedLines(candidate.diff), [
    '  let event;',
    '  try {',
    '    event = JSON.parse(req.body.payload);',
    '  } catch {',
    "    return res.status(400).json({ error: 'request body is not valid JSON' });",
    '  }',
  ]);
  assert.deepEqual(await runExport(path('webhooks.js'), 'receiveWebhook', { req }), { exitCode: 0, status: 400, body: { error: 'request body is not valid JSON' } });
  const ok = await runExport(path('webhooks.js'), 'receiveWebhook', { req: { body: { payload: '{"type":"paid"}' } } });
  assert.deepEqual(ok, { exitCode: 0, status: 202, body: { received: 'paid' } });
});

test('JSON.parse outside a handler rethrows a typed error callers can tell from a bug', async () => {
  const { crash, before } = await crashOf('webhooks.js', 'readSettings', { args: ['{'] });
  assert.equal(before.thrown?.name, 'SyntaxError');
  candidateOf(await propose(crash));
  const after = await runExport(path('webhooks.js'), 'readSettings', { args: ['{'] });
  assert.equal(after.thrown?.code, 'INVALID_JSON');
  assert.equal(after.thrown?.status, 400);
  assert.deepEqual(await runExport(path('webhooks.js'), 'readSettings', { args: ['{"theme":"dark"}'] }), { exitCode: 0, value: 'dark' });
});

test('an upstream failure escaping an async handler is caught and answered 502; template literals keep their text', async () => {
  const req = { params: { sku: 'down' } };
  const { crash } = await crashOf('inventory.js', 'getInventory', { req });
  // The error is thrown in the client; the handler is the caller frame.
  assert.equal(crash.file, 'src/stock-client.js');
  assert.equal(crash.callers?.[0]?.file, 'src/inventory.js');
  const candidate = candidateOf(await propose(crash));
  assert.deepEqual(candidate.files, ['src/inventory.js']);
  assert.match(candidate.rationale, /catch-async-handler/);
  assert.deepEqual(await runExport(path('inventory.js'), 'getInventory', { req }), { exitCode: 0, status: 502, body: { error: 'upstream request failed' } });
  const ok = await runExport(path('inventory.js'), 'getInventory', { req: { params: { sku: 'a1' } } });
  assert.deepEqual(ok, { exitCode: 0, status: 200, body: { sku: 'a1', count: 3, note: 'sku a1\nhas 3' } });
  const edited = await readFile(path('inventory.js'), 'utf8');
  assert.match(edited, /\n {4}const note = `sku \$\{req\.params\.sku\}\nhas \$\{stock\.count\}`;/);
  assert.match(edited, /\/\/ answered\n {2}\} catch \(err\) \{\n/);
});

test('an UnhandledPromiseRejection in a handler with next goes to next(err)', async () => {
  const req = { params: { sku: 'down' } };
  const { crash } = await crashOf('inventory.js', 'getInventoryWithNext', { req });
  const candidate = candidateOf(await propose({ ...crash, errorType: 'UnhandledPromiseRejection' }));
  assert.ok(addedLines(candidate.diff).includes('    next(err);'), candidate.diff);
  assert.deepEqual(await runExport(path('inventory.js'), 'getInventoryWithNext', { req }), { exitCode: 0, status: 200, next: 'connect ECONNREFUSED 10.0.0.7:8080' });
});

test('an optional callback that was left out is called only when present', async () => {
  const { crash, before } = await crashOf('webhooks.js', 'notify', { args: ['hi'] });
  assert.equal(before.thrown?.message, 'done is not a function');
  const candidate = candidateOf(await propose(crash));
  assert.deepEqual(addedLines(candidate.diff), ['  done?.(null, message.length);']);
  assert.deepEqual(await runExport(path('webhooks.js'), 'notify', { args: ['hi'] }), { exitCode: 0 });
  assert.deepEqual(await runExport(path('webhooks.js'), 'notify', { args: ['hi'], callback: true }), { exitCode: 0, called: [null, 2] });
});

test('refusals: each says why and leaves the workspace untouched', async () => {
  const cases: Array<[Crash, RegExp]> = [
    [{ file: 'src/report.py', line: 2, errorType: 'KeyError', errorValue: "'items'" }, /JavaScript and TypeScript only/],
    [{ file: 'src/orders.js', errorType: 'TypeError', errorValue: "Cannot read properties of undefined (reading 'items')" }, /no line/],
    [{ file: 'src/orders.js', line: 400, errorType: 'TypeError', errorValue: "Cannot read properties of undefined (reading 'items')" }, /has \d+ lines/],
    [{ file: '../etc/passwd.js', line: 1, errorType: 'TypeError', errorValue: 'x' }, /outside the repository/],
    [{ file: 'src/orders.js', line: 22, errorType: 'TypeError', errorValue: "Cannot read properties of undefined (reading 'x')" }, /2 reads of 'x'.*ambiguous/],
    [{ file: 'src/orders.js', line: 26, errorType: 'TypeError', errorValue: "Cannot read property 'details' of undefined" }, /already guarded/],
    [{ file: 'src/orders.js', line: 5, errorType: 'TypeError', errorValue: "Cannot read properties of null (reading 'price')" }, /no read of 'price'/],
    [{ file: 'src/orders.js', line: 5, errorType: 'RangeError', errorValue: 'Invalid array length' }, /no template for RangeError/],
    [{ file: 'src/inventory.js', line: 21, errorType: 'UnhandledPromiseRejection' }, /already inside a try\/catch/],
    [{ file: 'src/webhooks.js', line: 5, errorType: 'TypeError', errorValue: 'res.status is not a function' }, /no call of `res\.status`|not a callback/],
  ];
  for (const [crash, reason] of cases) {
    const outcome = await propose(crash);
    assert.equal(outcome.ok, false, `expected a refusal for ${JSON.stringify(crash)}`);
    if (!outcome.ok) {
      assert.match(outcome.reason, reason);
      assert.equal(outcome.strategy, 'template');
    }
    assert.equal((await workspace.diff()).diff, '');
  }
  const noCrash = fixContext(workspace, { file: 'x.js', errorType: 'TypeError' });
  noCrash.report.crash = null;
  const outcome = await strategy.propose(noCrash);
  assert.ok(!outcome.ok && /no crash frame/.test(outcome.reason));
});
