import { scrubSecretText } from '../../shared/log/index.js';
import type { StepLog, VerificationResult } from './verification-result.js';

const HEADLINES = {
  passed: '✅ **Verified**: the fix builds, its tests pass, and the incident\'s failure is gone (red on the base, green on the fix).',
  failed: '❌ **Verification failed**: this fix is not shown to work.',
  unverifiable: '⚠️ **Unverifiable**: the fix could not be shown red to green, so it is not called verified.',
} as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** How the memory limit applied, in words: the whole step (cgroup) or each process (prlimit fallback). */
export function describeMemoryLimit({ mb, appliedAs }: VerificationResult['memory']): string {
  return appliedAs === 'prlimit' ? `${mb} MB per process (prlimit; no writable memory cgroup here)` : `${mb} MB for each whole step (${appliedAs})`;
}

/** The markdown summary of a verification: headline, reasons, steps, replay answers. Logs are attached separately. */
export function renderVerificationSummary(result: Omit<VerificationResult, 'summary'>): string {
  const lines = [HEADLINES[result.verdict], ''];
  for (const reason of result.reasons) lines.push(`- ${reason}`);
  lines.push('', `Memory limit: ${describeMemoryLimit(result.memory)}.`);
  lines.push('', '| Step | Result | Time | Exit |', '| --- | --- | --- | --- |');
  for (const step of result.steps) {
    const seconds = `${(step.durationMs / 1000).toFixed(1)} s`;
    lines.push(`| ${cell(step.name)} | ${step.status} | ${seconds} | ${step.exitCode ?? ''} |`);
  }
  if (result.replay !== null && result.responses !== null) {
    lines.push('', `Replay: base **${result.replay.base}**, fix **${result.replay.fix}**.`, '');
    lines.push('| Side | Request | Answer |', '| --- | --- | --- |');
    for (const side of ['base', 'fix'] as const) {
      for (const response of result.responses[side]) {
        const answer = response.status !== null ? String(response.status) : `no answer (${response.error ?? 'unknown'})`;
        const why = response.failure === null ? '' : ` — ${response.failure}`;
        lines.push(`| ${side} | \`${cell(`${response.method} ${response.path}`)}\` | ${cell(answer + why)} |`);
      }
    }
  }
  return lines.join('\n');
}

/** GitHub's limit on a check run's `output.text` (characters). */
export const STEP_LOGS_LIMIT = 65_535;

/** A code fence longer than any backtick run in `text`, so a log holding ``` cannot end its block early. */
function fenceFor(text: string): string {
  let longest = 0;
  for (const run of text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function section(name: string, output: string, cut: number): string {
  const fence = fenceFor(output);
  const note = cut > 0 ? `\n\n_${cut} earlier characters of this log are cut; the end, where failures show, is kept._` : '';
  return `### ${name}${note}\n\n${fence}\n${output}\n${fence}`;
}

/**
 * The step logs as markdown for the check run's text, within `limit` characters. When they do not fit,
 * every step gets a fair share (a short log keeps all of it, the rest is split among the long ones) and
 * a cut log keeps its end, where errors are, and says how much was cut. Secrets are redacted before
 * anything is cut, so a cut never leaves the unrecognisable half of one.
 */
export function renderStepLogs(steps: readonly StepLog[], limit: number = STEP_LOGS_LIMIT): string {
  const logs = steps.map((step) => ({ name: step.name, output: scrubSecretText(step.output) }));
  const whole = logs.map((log) => section(log.name, log.output, 0)).join('\n\n');
  if (whole.length <= limit) return whole;
  // What a section costs besides its output, with the longest note it can carry (UTF-16 units ≥ characters).
  const overhead = logs.map((log) => section(log.name, '', log.output.length).length + fenceFor(log.output).length * 2);
  let budget = limit - overhead.reduce((sum, n) => sum + n, 0) - 2 * Math.max(0, logs.length - 1);
  const shares = new Map<number, number>();
  const order = logs.map((_, index) => index).sort((a, b) => logs[a]!.output.length - logs[b]!.output.length);
  for (const [position, index] of order.entries()) {
    const share = Math.max(0, Math.min(logs[index]!.output.length, Math.floor(budget / (order.length - position))));
    shares.set(index, share);
    budget -= share;
  }
  return logs
    .map((log, index) => {
      let kept = log.output.slice(log.output.length - (shares.get(index) ?? 0));
      // Never start on the second half of a surrogate pair.
      if (/^[\udc00-\udfff]/.test(kept)) kept = kept.slice(1);
      return section(log.name, kept, log.output.length - kept.length);
    })
    .join('\n\n');
}
