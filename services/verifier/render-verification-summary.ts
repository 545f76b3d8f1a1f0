import type { VerificationResult } from './verification-result.js';

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
