import type { DemoResult } from './build-demo-result.js';
import { formatSeconds } from './format-seconds.js';
import type { StageRecord } from './run-demo-stages.js';

const TITLE_WIDTH = 10;

/** One timeline line, printed as soon as its stage ends: `  ✓ triage     1.2 s  root cause …`. */
export function formatStageLine(record: StageRecord): string {
  const mark = record.ok ? '✓' : '✗';
  return `  ${mark} ${record.title.padEnd(TITLE_WIDTH)} ${formatSeconds(record.ms).padStart(7)}  ${record.detail}\n`;
}

/** The lines after the timeline: the total, each check, and where the kept files are. */
export function formatDemoSummary(result: DemoResult): string {
  const lines = [`  ${'total'.padStart(TITLE_WIDTH + 2)} ${formatSeconds(result.timings.total ?? 0).padStart(7)}`, ''];
  for (const check of result.checks) lines.push(`  ${check.ok ? '✓' : '✗'} ${check.name}`);
  lines.push('', result.ok ? 'nightshift demo: ok' : `nightshift demo: FAILED${result.failedStage ? ` at ${result.failedStage.stage}` : ''}`);
  if (result.workDir) {
    lines.push(
      `kept ${result.workDir}: the shop repository, the services' logs, nightshift.yaml and Nightshift's data.`,
      `  NIGHTSHIFT_CONFIG=${result.workDir}/nightshift.yaml bin/nightshift start   serves its incidents again`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export const DEMO_HEADER = 'nightshift demo: a shop (gateway → orders → inventory) whose latest deploy broke inventory\n';
