import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { buildDemoResult, type DemoResult } from './build-demo-result.js';
import { createCleanupStack } from './cleanup-stack.js';
import { DEFAULT_DEMO_OPTIONS, type DemoContext, type DemoOptions } from './demo-context.js';
import { defaultDemoStages } from './demo-stages.js';
import { DEMO_HEADER, formatDemoSummary, formatStageLine } from './format-demo-timeline.js';
import { runDemoStages, type DemoStage } from './run-demo-stages.js';

/** Variables the demo passes on to Nightshift's configuration: the LLM's, for the fix stage. Nothing else of the caller's environment. */
const PASSED_ENV = ['OPENAI_API_KEY', 'OPENAI_BASE_URL'] as const;

export interface RunDemoOptions extends Partial<DemoOptions> {
  json: boolean;
  out: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  stages?: DemoStage<DemoContext>[];
}

/**
 * Runs the demo in a fresh temporary directory and prints the timeline (or, with `json`, one JSON object).
 * Everything it started is stopped and the directory removed (unless `keep`) on every way out: success,
 * a failed stage, an exception, SIGINT or SIGTERM.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoResult> {
  const env = options.env ?? process.env;
  const demoOptions: DemoOptions = {
    keep: options.keep ?? DEFAULT_DEMO_OPTIONS.keep,
    trafficTimeoutMs: options.trafficTimeoutMs ?? DEFAULT_DEMO_OPTIONS.trafficTimeoutMs,
    alertTimeoutMs: options.alertTimeoutMs ?? DEFAULT_DEMO_OPTIONS.alertTimeoutMs,
    triageTimeoutMs: options.triageTimeoutMs ?? DEFAULT_DEMO_OPTIONS.triageTimeoutMs,
    fixTimeoutMs: options.fixTimeoutMs ?? DEFAULT_DEMO_OPTIONS.fixTimeoutMs,
    verifyTimeoutMs: options.verifyTimeoutMs ?? DEFAULT_DEMO_OPTIONS.verifyTimeoutMs,
  };
  const workDir = await mkdtemp(join(tmpdir(), 'nightshift-demo-'));
  const cleanup = createCleanupStack();
  if (!demoOptions.keep) cleanup.add('remove the work directory', () => rm(workDir, { recursive: true, force: true }));
  const ctx: DemoContext = {
    options: demoOptions,
    workDir,
    cleanup,
    env: Object.fromEntries(PASSED_ENV.flatMap((name) => (env[name] ? [[name, env[name]]] : []))),
    secrets: { datadogToken: randomBytes(24).toString('hex'), dsnKey: { projectId: '1', publicKey: randomBytes(16).toString('hex') } },
    fix: null,
    verification: null,
  };

  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\nnightshift demo: ${signal}, stopping the services and Nightshift\n`);
    void cleanup.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let outcome;
  try {
    if (!options.json) options.out.write(DEMO_HEADER);
    outcome = await runDemoStages(options.stages ?? defaultDemoStages(), ctx, options.json ? {} : { onStage: (record) => options.out.write(formatStageLine(record)) });
  } finally {
    const failures = await cleanup.run();
    for (const failure of failures) process.stderr.write(`nightshift demo: cleanup: ${failure}\n`);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
  const result = buildDemoResult(ctx, outcome);
  options.out.write(options.json ? `${JSON.stringify(result)}\n` : formatDemoSummary(result));
  return result;
}

/** `nightshift demo [--json] [--keep]`. */
export function createDemoCommand(): Command {
  return new Command('demo')
    .description('run Nightshift against a bundled sample system with a bad deploy, and show what it finds')
    .option('--json', 'print one JSON object instead of the timeline')
    .option('--keep', 'keep the work directory (repository, logs, config, data) afterwards')
    .exitOverride()
    .action(async (opts: { json?: boolean; keep?: boolean }) => {
      const result = await runDemo({ json: opts.json === true, keep: opts.keep === true, out: process.stdout });
      // Exit now: a library's stray timer must not hold a finished demo open.
      process.exit(result.ok ? 0 : 1);
    });
}
