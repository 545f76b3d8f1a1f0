import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import ts from 'typescript';
import type { FixContext } from '../../services/fixer/strategies/fix-strategy.js';
import type { CrashSite, TriageReport } from '../../services/triage/report/triage-report.js';
import type { Workspace } from '../../services/fixer/workspace/workspace.js';
import { tempDir } from './wait.js';

const execFileAsync = promisify(execFile);

/** The text of a checked-in fixture under tests/fixtures/template. */
export function templateFixture(name: string): Promise<string> {
  return readFile(new URL(`../../../tests/fixtures/template/${name}`, import.meta.url), 'utf8');
}

/** A FixContext around a crash site, with everything else minimal. */
export function fixContext(workspace: Workspace, crash: Partial<CrashSite> & Pick<CrashSite, 'file' | 'errorType'>): FixContext {
  const report: TriageReport = {
    incidentId: 'inc-1', title: 'crash', services: ['shop'], window: { from: 0, to: 1, baselineFrom: 0 },
    rootCause: null, ranking: [], suspectCommits: [], templates: [], timeline: [], callGraph: [], gaps: [],
    crash: { repository: workspace.repository, callers: [], ...crash },
  };
  return {
    incident: {
      id: 'inc-1', key: 'k', status: 'triaged', title: 'crash', severity: 'error', services: ['shop'], sources: ['sentry'],
      alertCount: 1, triageReport: report, decision: null, reopenedFrom: null, createdAt: '', updatedAt: '', resolvedAt: null,
    },
    report,
    permissions: {
      strategies: ['template'], modelTier: 'small', maxTokens: 1, maxUsd: 0, repositories: [], paths: [],
      verificationProfile: null, reviewers: [], labels: [], requireApproval: false,
    },
    workspace,
    alerts: [],
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
  };
}

// Runs one export of a CommonJS module in a fresh node: as an express-style handler with a minimal
// req/res/next when `req` is given, else as a plain function. Prints what happened as JSON.
const DRIVER = `
const [file, name, input] = process.argv.slice(2);
const { req, args = [], callback } = JSON.parse(input);
(async () => {
  try {
    const fn = require(file)[name];
    if (req) {
      const res = { statusCode: 200, headersSent: false, status(code) { this.statusCode = code; return this; },
        json(body) { this.body = body; this.headersSent = true; return this; }, end() { this.headersSent = true; return this; } };
      let next;
      await fn(req, res, (error) => { next = error ? error.message : null; });
      console.log(JSON.stringify({ status: res.statusCode, body: res.body, next }));
    } else {
      let called;
      const value = await fn(...args, ...(callback ? [(error, result) => { called = [error, result]; }] : []));
      console.log(JSON.stringify({ value, called }));
    }
  } catch (error) {
    console.log(JSON.stringify({ thrown: { name: error.name, message: error.message, code: error.code, status: error.status, stack: error.stack } }));
    process.exitCode = 1;
  }
})();
`;

export interface RunOutcome {
  exitCode: number;
  status?: number;
  body?: unknown;
  next?: string | null;
  value?: unknown;
  called?: unknown[];
  thrown?: { name: string; message: string; code?: string; status?: number; stack: string };
}

/** Runs `file`'s export `name` with node; see DRIVER. */
export async function runExport(file: string, name: string, input: { req?: unknown; args?: unknown[]; callback?: boolean }): Promise<RunOutcome> {
  const dir = await tempDir('nightshift-driver-');
  try {
    const driver = join(dir.path, 'driver.cjs');
    await writeFile(driver, DRIVER);
    const result = await execFileAsync(process.execPath, [driver, file, name, JSON.stringify(input)]).then(
      (ok) => ({ stdout: ok.stdout, code: 0 }),
      (failed: { stdout: string; code: number }) => ({ stdout: failed.stdout, code: failed.code }),
    );
    return { exitCode: result.code, ...(JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as object) };
  } finally {
    await dir.cleanup();
  }
}

/** The crash site a real stack gives: the top frame inside `root`, then its callers there. */
export function crashFromStack(root: string, thrown: NonNullable<RunOutcome['thrown']>): Pick<CrashSite, 'file' | 'line' | 'column' | 'errorType' | 'errorValue' | 'callers'> {
  const frames = [...thrown.stack.matchAll(/\(?([^\s()]+):(\d+):(\d+)\)?$/gm)]
    .map((match) => ({ file: relative(root, match[1] ?? ''), line: Number(match[2]), column: Number(match[3]) }))
    .filter((frame) => !frame.file.startsWith('..') && !frame.file.startsWith('/'));
  const [top, ...callers] = frames;
  if (!top) throw new Error(`no frame under ${root} in:\n${thrown.stack}`);
  return { ...top, errorType: thrown.name, errorValue: thrown.message, callers: callers.map(({ file, line }) => ({ file, line })) };
}

/** Compiles a TypeScript file to CommonJS in `outDir` so node can run it; returns the compiled path. */
export async function compileToCommonJs(file: string, outDir: string): Promise<string> {
  const output = ts.transpileModule(await readFile(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const target = join(outDir, `${Date.now()}-${Math.random().toString(36).slice(2)}.cjs`);
  await writeFile(target, output.outputText);
  return target;
}
