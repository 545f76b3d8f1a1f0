import { execFile } from 'node:child_process';
import type { LlmConfig } from '../../shared/config/fixer-schema.js';
import type { FixPermissions } from '../../shared/events/incident-triaged.js';
import { createLogger } from '../../shared/log/index.js';
import type { Incident } from '../../shared/store/store.js';
import type { FixContext } from '../../services/fixer/strategies/fix-strategy.js';
import type { Workspace } from '../../services/fixer/workspace/workspace.js';
import type { TriageReport } from '../../services/triage/report/triage-report.js';
import { lines } from './git-repo.js';

/** The key the strategy authenticates with; tests check it never reaches a prompt or a log line. */
export const TEST_API_KEY = 'nightshift-test-key-3f9a7c1e5b2d';

/** A tiny shop service whose cart total reads past the end of the array: one edit fixes its failing test. */
export const SHOP_FILES: Record<string, string> = {
  'package.json': lines('{ "name": "shop", "private": true, "type": "module", "scripts": { "test": "node --test test/" } }'),
  'src/cart.js': lines(
    'export function cartTotal(items) {',
    '  let total = 0;',
    '  for (let i = 0; i <= items.length; i++) {',
    '    total += items[i].price * items[i].quantity;',
    '  }',
    '  return total;',
    '}',
  ),
  'test/cart.test.js': lines(
    "import assert from 'node:assert/strict';",
    "import { test } from 'node:test';",
    "import { cartTotal } from '../src/cart.js';",
    '',
    "test('sums price times quantity', () => {",
    '  assert.equal(cartTotal([{ price: 2, quantity: 3 }, { price: 5, quantity: 1 }]), 11);',
    '});',
    '',
    "test('an empty cart costs nothing', () => {",
    '  assert.equal(cartTotal([]), 0);',
    '});',
  ),
  '.github/workflows/ci.yml': lines('name: ci', 'on: [push]', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    steps:', '      - run: npm test'),
  'README.md': lines('# shop'),
};

/** The repository's checks, for real: `node --test` in the worktree, in an environment of its own. */
export function runShopChecks(dir: string, signal: AbortSignal): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    // A clean environment: inherited NODE_TEST_CONTEXT would make the child report to this test runner.
    execFile(process.execPath, ['--test', 'test/cart.test.js'], { cwd: dir, env: { PATH: process.env.PATH }, signal, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ ok: error === null, output: `${stdout}${stderr}` }),
    );
  });
}

/** Two tiers on two priced models, pointed at the fake server. */
export function testLlmConfig(baseUrl: string, overrides: Partial<LlmConfig> = {}): LlmConfig {
  return {
    baseUrl,
    apiKey: TEST_API_KEY,
    models: { small: 'mini-model', large: 'big-model' },
    summaryTier: 'small',
    prices: {
      'mini-model': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
      'big-model': { inputPerMillion: 2.5, outputPerMillion: 10 },
    },
    maxTurns: 8,
    requestTimeoutMs: 5000,
    ...overrides,
  };
}

export function testPermissions(overrides: Partial<FixPermissions> = {}): FixPermissions {
  return {
    strategies: ['llm'],
    modelTier: 'large',
    maxTokens: 200_000,
    maxUsd: 2,
    repositories: [],
    paths: [],
    verificationProfile: null,
    reviewers: [],
    labels: [],
    requireApproval: false,
    ...overrides,
  };
}

const CRASH_MESSAGE = "Cannot read properties of undefined (reading 'price')";

/** The triage report of the cart crash; `planted` text is added to a log line and an alert, as an attacker would. */
export function shopReport(planted = ''): TriageReport {
  const t = Date.parse('2024-05-01T12:00:00Z');
  return {
    incidentId: 'inc-llm-1',
    title: `TypeError: ${CRASH_MESSAGE}`,
    services: ['shop'],
    window: { from: t - 60_000, to: t, baselineFrom: t - 3_600_000 },
    rootCause: { service: 'shop', confidence: 0.9, reasons: ['first error in the trace'] },
    ranking: [{ service: 'shop', confidence: 0.9, reasons: ['first error in the trace'] }],
    suspectCommits: [],
    crash: { repository: 'shop', file: 'src/cart.js', line: 4, function: 'cartTotal', errorType: 'TypeError', errorValue: CRASH_MESSAGE, callers: [] },
    templates: [
      {
        service: 'shop',
        templateId: 't1',
        template: 'checkout failed for cart <*>: <*>',
        kind: 'new',
        level: 'error',
        incidentCount: 42,
        baselineCount: 0,
        firstSeen: t - 50_000,
        examples: [{ message: `checkout failed for cart 81: TypeError ${planted}`, timestamp: t - 50_000, origin: { source: 'file', ref: 'shop.log' } }],
      },
    ],
    timeline: [],
    callGraph: [],
    gaps: [],
  };
}

/** A complete FixContext over `workspace`, with a logger whose lines the test can read. */
export function shopContext(
  workspace: Workspace,
  options: { permissions?: Partial<FixPermissions>; planted?: string; signal?: AbortSignal } = {},
): FixContext & { logLines: string[] } {
  const logLines: string[] = [];
  const incident: Incident = {
    id: 'inc-llm-1',
    key: 'fp-cart',
    status: 'triaged',
    title: 'TypeError in cartTotal',
    severity: 'error',
    services: ['shop'],
    sources: ['sentry'],
    alertCount: 3,
    triageReport: null,
    decision: null,
    reopenedFrom: null,
    createdAt: '2024-05-01T12:00:00Z',
    updatedAt: '2024-05-01T12:00:00Z',
    resolvedAt: null,
  };
  return {
    incident,
    report: shopReport(options.planted),
    permissions: testPermissions(options.permissions),
    workspace,
    alerts: [
      {
        title: `TypeError: ${CRASH_MESSAGE}`,
        errorType: 'TypeError',
        errorValue: CRASH_MESSAGE,
        message: `POST /checkout failed ${options.planted ?? ''}`.trim(),
        request: { method: 'POST', url: 'https://shop.example/checkout' },
      },
    ],
    log: createLogger({ level: 'debug', destination: { write: (chunk: string) => void logLines.push(chunk) } }),
    signal: options.signal ?? new AbortController().signal,
    logLines,
  };
}
