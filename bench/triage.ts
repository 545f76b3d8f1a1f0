// Triage of one incident over ~1,000,000 log lines from 20 services (the outage scenario with 17 noise
// services), through `runOfflineTriage` as `nightshift triage` runs it. Baseline, measured in the same
// run: streaming the same files and JSON-parsing every line, the floor of any triage that reads them.
// Targets: under 5 s and under 500 MB RSS.
//
//   node dist/bench/triage.js [requestsPerSecond=18]
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '../shared/config/index.js';
import { createLogger } from '../shared/log/index.js';
import { runOfflineTriage } from '../services/triage/offline/run-offline-triage.js';
import { createTriageScenario } from '../tests/helpers/triage-scenario.js';
import { tempDir } from '../tests/helpers/wait.js';

/** Triage in a child process of its own, so its peak RSS is triage's alone, not the generator's. */
async function triageInChild(configFile: string, alertsDir: string, cwd: string): Promise<{ ms: number; peakRssMb: number; rootCause?: string; suspect?: string }> {
  const { stdout } = await run(process.execPath, [fileURLToPath(import.meta.url), '--child', configFile, alertsDir], { cwd, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

if (process.argv[2] === '--child') {
  const [configFile, alertsDir] = process.argv.slice(3) as [string, string];
  const { config } = await loadConfig({ env: { NIGHTSHIFT_CONFIG: configFile }, cwd: process.cwd() });
  config.triage.maxLogRecords = 2_000_000;
  const started = performance.now();
  const [report] = await runOfflineTriage({ config, alertsPath: alertsDir, log: createLogger({ level: 'warn', name: 'bench' }) });
  const ms = performance.now() - started;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ms, peakRssMb, rootCause: report?.rootCause?.service, suspect: report?.suspectCommits[0]?.sha }));
  process.exit(0);
}

const run = promisify(execFile);
const requestsPerSecond = Number(process.argv[2] ?? 18);
const dir = await tempDir('bench-triage');
try {
  const scenario = await createTriageScenario(dir.path, { requestsPerSecond, noiseServices: 17 });
  const services = (await readdir(join(dir.path, 'logs'))).length;
  console.log(`scenario: ${scenario.logLines.toLocaleString('en')} log lines from ${services} services`);
  const child = await triageInChild(scenario.configFile, scenario.alertsDir, dir.path);
  const triageMs = child.ms;
  const peakRssMb = child.peakRssMb;

  const baselineStarted = performance.now();
  let parsed = 0;
  for (const name of await readdir(join(dir.path, 'logs'))) {
    for await (const line of createInterface({ input: createReadStream(join(dir.path, 'logs', name)), crlfDelay: Infinity })) {
      if (line) {
        JSON.parse(line);
        parsed++;
      }
    }
  }
  const baselineMs = performance.now() - baselineStarted;

  const correct = child.rootCause === 'inventory' && child.suspect === scenario.guiltySha;
  console.log(`triage:   ${(triageMs / 1000).toFixed(2)} s, peak RSS ${peakRssMb.toFixed(0)} MB (process total, Node itself included), answer ${correct ? 'correct' : 'WRONG'}`);
  console.log(`baseline: ${(baselineMs / 1000).toFixed(2)} s to stream and JSON.parse ${parsed.toLocaleString('en')} lines`);
  console.log(`ratio triage/baseline: ${(triageMs / baselineMs).toFixed(2)}`);
  console.log(`targets: < 5 s ${triageMs < 5000 ? 'met' : 'NOT met'}; < 500 MB RSS ${peakRssMb < 500 ? 'met' : 'NOT met'}`);
  if (!correct) process.exitCode = 1;
} finally {
  await dir.cleanup();
}
