import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A reproducible outage for triage tests and benchmarks: gateway → orders → inventory (plus noise
 * services), a bad deploy in inventory at `deployAt` that makes it throw, orders logging timeouts
 * calling it and the gateway answering 502 — and alerting first. The shop repository's history hides
 * the guilty commit among innocent ones, one of them touching the same line after the outage began.
 */
export interface TriageScenario {
  dir: string;
  configFile: string;
  alertsDir: string;
  repoDir: string;
  guiltySha: string;
  /** Commits that must never be named: after the first error, or docs only. */
  innocentShas: Record<string, string>;
  logLines: number;
  firstErrorAt: number;
}

export interface ScenarioOptions {
  /** Healthy requests per second through the chain, baseline and incident alike. */
  requestsPerSecond?: number;
  /** Noise services beside the chain, each logging on its own. */
  noiseServices?: number;
  /** Baseline length before the deploy, in seconds. */
  baselineSeconds?: number;
  /** Share of requests that fail after the deploy. */
  failureRate?: number;
}

const T0 = Date.parse('2026-11-21T03:00:00.000Z');
const CRASH_LINE = 12;

/** A small deterministic PRNG (mulberry32), so every run writes the same logs. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 16).toString(16);
  return out;
}

const stockSource = (line: string) => `'use strict';
// Reserves stock for an order's lines.
const { query } = require('./db');

async function loadItem(sku) {
  return query('select * from items where sku = $1', [sku]);
}

async function reserveStock(order) {
  for (const line of order.lines) {
    const item = await loadItem(line.sku);
${line}
    if (level < line.quantity) throw new Error('out of stock: ' + line.sku);
    await query('update items set reserved = reserved + $1 where sku = $2', [line.quantity, line.sku]);
  }
  return { reserved: order.lines.length };
}

module.exports = { reserveStock };
`;

function git(cwd: string, args: string[], at?: number): string {
  const date = at === undefined ? undefined : new Date(at).toISOString();
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Dev',
      GIT_AUTHOR_EMAIL: 'dev@shop.example',
      GIT_COMMITTER_NAME: 'Dev',
      GIT_COMMITTER_EMAIL: 'dev@shop.example',
      ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
    },
  }).trim();
}

async function commit(repo: string, files: Record<string, string>, subject: string, at: number): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(repo, path, '..'), { recursive: true });
    await writeFile(join(repo, path), content);
  }
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', subject], at);
  return git(repo, ['rev-parse', 'HEAD']);
}

async function buildRepository(repo: string): Promise<{ guiltySha: string; innocentShas: Record<string, string> }> {
  await mkdir(repo, { recursive: true });
  git(repo, ['init', '-q', '-b', 'main']);
  const minute = 60_000;
  await commit(
    repo,
    {
      'README.md': '# shop\n',
      'services/gateway/src/server.js': "'use strict';\n// Routes public traffic to orders.\nmodule.exports = {};\n",
      'services/orders/src/checkout.js': "'use strict';\n// Checks out an order; calls inventory.\nmodule.exports = {};\n",
      'services/inventory/src/db.js': "'use strict';\nmodule.exports = { query: async () => ({ stock: { level: 10 } }) };\n",
      'services/inventory/src/stock.js': stockSource('    const level = item.stock.level;'),
    },
    'initial import',
    T0 - 180 * minute,
  );
  const earlierSameFile = await commit(
    repo,
    { 'services/inventory/src/stock.js': stockSource('    const level = item.stock.level;').replace('// Reserves stock', '// Reserves stock atomically') },
    'inventory: document reservation semantics',
    T0 - 120 * minute,
  );
  await commit(repo, { 'services/inventory/src/db.js': "'use strict';\nmodule.exports = { query: async () => ({ stock: { level: 12 } }) };\n" }, 'inventory: tune db pool', T0 - 90 * minute);
  const guiltySha = await commit(
    repo,
    {
      'services/inventory/src/stock.js': stockSource('    const level = item.warehouse.stock.level;').replace('// Reserves stock', '// Reserves stock atomically'),
    },
    'inventory: read stock levels from the warehouse record',
    T0 - 20 * minute,
  );
  const laterOtherService = await commit(
    repo,
    { 'services/orders/src/checkout.js': "'use strict';\n// Checks out an order; calls inventory with a 3 s timeout.\nmodule.exports = {};\n" },
    'orders: shorter inventory timeout',
    T0 - 10 * minute,
  );
  const docsOnly = await commit(repo, { 'README.md': '# shop\n\nRunbook: see docs.\n', 'docs/runbook.md': '# Runbook\n' }, 'docs: runbook', T0 - 5 * minute);
  const afterFirstError = await commit(
    repo,
    {
      'services/inventory/src/stock.js': stockSource('    const level = item.warehouse?.stock?.level ?? 0;').replace('// Reserves stock', '// Reserves stock atomically'),
    },
    'inventory: guard missing warehouse (hotfix attempt)',
    T0 + 30 * minute,
  );
  return { guiltySha, innocentShas: { earlierSameFile, laterOtherService, docsOnly, afterFirstError } };
}

interface LogLine {
  time: number;
  service: string;
  line: string;
}

function pino(service: string, time: number, level: number, msg: string, extra: Record<string, unknown> = {}): LogLine {
  return { time, service, line: JSON.stringify({ level, time, pid: 1, hostname: `${service}-0`, name: service, msg, ...extra }) };
}

/** Logs of every service: healthy traffic, noise, and after the deploy the failure propagating upward. */
function generateLogs(options: Required<ScenarioOptions>): { lines: LogLine[]; firstErrorAt: number } {
  const random = createRandom(42);
  const lines: LogLine[] = [];
  const start = T0 - options.baselineSeconds * 1000;
  const end = T0 + 5 * 60_000;
  const step = 1000 / options.requestsPerSecond;
  let firstErrorAt = Number.POSITIVE_INFINITY;
  let n = 0;
  for (let at = start; at < end; at += step) {
    n++;
    const traceId = hex(random, 32);
    const requestId = `req-${n.toString(36)}`;
    const order = 1000 + Math.floor(random() * 9000);
    const sku = `sku-${Math.floor(random() * 500)}`;
    const ids = { trace_id: traceId, request_id: requestId };
    const t = Math.floor(at);
    const failing = t >= T0 + 5_000 && random() < options.failureRate;
    // The gateway's clock runs a few ms fast: skew must not flip the answer.
    const gatewaySkew = 4;
    lines.push(pino('gateway', t + gatewaySkew, 30, `POST /api/checkout received order ${order}`, ids));
    lines.push(pino('orders', t + 2, 30, `checkout order ${order} with ${1 + (order % 4)} lines`, ids));
    if (failing) {
      const thrownAt = t + 6;
      firstErrorAt = Math.min(firstErrorAt, thrownAt);
      lines.push(
        pino('inventory', thrownAt, 50, `reserve failed for order ${order}: TypeError: Cannot read properties of undefined (reading 'stock')`, {
          ...ids,
          err: { type: 'TypeError', message: "Cannot read properties of undefined (reading 'stock')", stack: `TypeError: Cannot read properties of undefined (reading 'stock')\n    at reserveStock (/app/services/inventory/src/stock.js:${CRASH_LINE}:35)` },
        }),
      );
      lines.push(pino('orders', t + 3010, 50, `call to inventory failed for order ${order}: upstream timeout after 3000 ms`, ids));
      lines.push(pino('gateway', t + 3015 + gatewaySkew, 50, `POST /api/checkout 502 in 3013 ms: upstream orders failed`, ids));
    } else {
      lines.push(pino('inventory', t + 5, 30, `reserved ${1 + (order % 4)} units of ${sku} for order ${order}`, ids));
      lines.push(pino('orders', t + 12, 30, `order ${order} confirmed`, ids));
      lines.push(pino('gateway', t + 15 + gatewaySkew, 30, `POST /api/checkout 200 in ${10 + Math.floor(random() * 30)} ms`, ids));
    }
    for (let s = 0; s < options.noiseServices; s++) {
      if (random() < 0.5) continue;
      const service = `noise-${s}`;
      const roll = random();
      if (roll < 0.02) lines.push(pino(service, t + 7, 40, `slow query took ${700 + Math.floor(random() * 900)} ms`, { trace_id: hex(random, 32) }));
      else if (roll < 0.0215) lines.push(pino(service, t + 7, 50, `cache refresh failed: ECONNRESET while talking to redis-${s}`, {}));
      else lines.push(pino(service, t + 7, 30, `served ${Math.floor(random() * 100)} results for query q${Math.floor(random() * 1e6)}`, { trace_id: hex(random, 32) }));
    }
  }
  return { lines, firstErrorAt };
}

function datadogMonitorAlert(service: string, at: number, traceId: string): unknown {
  return {
    id: `${at}${service.length}`,
    alert_id: `9${service.length}1234`,
    aggreg_key: `agg-${service}-5xx`,
    alert_cycle_key: `cycle-${service}-${at}`,
    alert_transition: 'Triggered',
    alert_type: 'error',
    alert_priority: 'P1',
    alert_status: `Logs count over service:${service} status:error was > 20 during the last 1m.`,
    event_type: 'log_alert',
    title: `[P1] [Triggered on {service:${service}}] ${service} errors spiking`,
    body: `%%%\nMore than 20 error logs from ${service} in 1 minute.\n%%%`,
    date: String(at),
    last_updated: String(at),
    tags: `env:production, monitor, service:${service}`,
    hostname: '',
    link: 'https://app.datadoghq.com/monitors/1',
    snapshot: '',
    logs_sample: JSON.stringify({ columns: ['Time', 'Host'], label: 'Sample Logs', rows: [{ items: ['03:01:00 UTC', `${service}-0`], message: `error trace_id=${traceId}` }] }),
    org: { id: '1000123', name: 'shop' },
  };
}

function inventoryEnvelope(at: number, traceId: string): string {
  const eventId = 'a'.repeat(31) + '1';
  const event = {
    event_id: eventId,
    timestamp: at / 1000,
    platform: 'node',
    level: 'error',
    server_name: 'inventory-0',
    environment: 'production',
    release: 'inventory@2026.11.21',
    tags: { service: 'inventory' },
    contexts: { trace: { trace_id: traceId, span_id: 'b'.repeat(16) } },
    exception: {
      values: [
        {
          type: 'TypeError',
          value: "Cannot read properties of undefined (reading 'stock')",
          mechanism: { type: 'onunhandledrejection', handled: false },
          stacktrace: {
            frames: [
              { filename: 'node:internal/process/task_queues', function: 'process.processTicksAndRejections', lineno: 95, colno: 5, in_app: false },
              { filename: '/app/node_modules/express/lib/router/layer.js', function: 'Layer.handle', lineno: 95, colno: 5, in_app: false },
              { filename: '/app/services/inventory/src/server.js', function: 'handleReserve', lineno: 30, colno: 9, in_app: true },
              { filename: '/app/services/inventory/src/stock.js', function: 'reserveStock', lineno: CRASH_LINE, colno: 35, in_app: true },
            ],
          },
        },
      ],
    },
  };
  const header = JSON.stringify({ event_id: eventId, sent_at: new Date(at).toISOString() });
  return `${header}\n${JSON.stringify({ type: 'event' })}\n${JSON.stringify(event)}\n`;
}

/** Writes the scenario under `dir`: the repository, the logs, the captured alerts and a nightshift.yaml. */
export async function createTriageScenario(dir: string, options: ScenarioOptions = {}): Promise<TriageScenario> {
  const settings: Required<ScenarioOptions> = {
    requestsPerSecond: options.requestsPerSecond ?? 0.5,
    noiseServices: options.noiseServices ?? 2,
    baselineSeconds: options.baselineSeconds ?? 3600,
    failureRate: options.failureRate ?? 0.6,
  };
  const repoDir = join(dir, 'shop');
  const { guiltySha, innocentShas } = await buildRepository(repoDir);

  const { lines, firstErrorAt } = generateLogs(settings);
  lines.sort((a, b) => a.time - b.time);
  const byService = new Map<string, string[]>();
  for (const entry of lines) {
    const list = byService.get(entry.service) ?? [];
    list.push(entry.line);
    byService.set(entry.service, list);
  }
  await mkdir(join(dir, 'logs'), { recursive: true });
  for (const [service, serviceLines] of byService) await writeFile(join(dir, 'logs', `${service}.log`), `${serviceLines.join('\n')}\n`);

  // The gateway alerts first; the inventory's own error arrives last.
  const alertsDir = join(dir, 'alerts');
  await mkdir(alertsDir, { recursive: true });
  const failingTrace = JSON.parse(lines.find((l) => l.service === 'inventory' && l.line.includes('"level":50'))!.line).trace_id as string;
  await writeFile(join(alertsDir, 'datadog-1-gateway.json'), JSON.stringify(datadogMonitorAlert('gateway', T0 + 60_000, failingTrace)));
  await writeFile(join(alertsDir, 'datadog-2-orders.json'), JSON.stringify(datadogMonitorAlert('orders', T0 + 75_000, failingTrace)));
  await writeFile(join(alertsDir, 'envelope-3-inventory.txt'), inventoryEnvelope(T0 + 90_000, failingTrace));

  const services = ['gateway', 'orders', 'inventory'];
  const calls: Record<string, string> = { gateway: '[orders]', orders: '[inventory]', inventory: '[]' };
  const configFile = join(dir, 'nightshift.yaml');
  await writeFile(
    configFile,
    [
      `dataDir: ${join(dir, 'data')}`,
      'services:',
      ...services.map((s) => `  ${s}: { repository: shop, sourceRoot: services/${s}, calls: ${calls[s]} }`),
      'repositories:',
      `  shop: { path: ${repoDir}, pathPrefixes: [/app/] }`,
      'triage:',
      '  windowBeforeSeconds: 600',
      '  windowAfterSeconds: 240',
      `  baselineSeconds: ${Math.min(3600, settings.baselineSeconds)}`,
      '  logSources:',
      '    - type: files',
      '      files:',
      ...[...byService.keys()].sort().map((service) => `        - { path: ${join(dir, 'logs', `${service}.log`)}, service: ${service}, format: pino }`),
      '',
    ].join('\n'),
  );
  return { dir, configFile, alertsDir, repoDir, guiltySha, innocentShas, logLines: lines.length, firstErrorAt };
}
