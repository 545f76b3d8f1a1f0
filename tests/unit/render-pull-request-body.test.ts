import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { PULL_REQUEST_BODY_LIMIT, renderPullRequestBody, renderPullRequestTitle } from '../../services/fixer/render-pull-request-body.js';
import { makePullRequestInput, PLANTED } from '../fixtures/pull-request/make-pull-request-input.js';

const EXPECTED = new URL('../../../tests/fixtures/pull-request/template-fix-body.md', import.meta.url);

test('the body matches the checked-in snapshot exactly', () => {
  const body = renderPullRequestBody(makePullRequestInput());
  // Regenerate with NIGHTSHIFT_UPDATE_SNAPSHOTS=1 and review the diff by eye.
  if (process.env.NIGHTSHIFT_UPDATE_SNAPSHOTS === '1') writeFileSync(EXPECTED, body);
  assert.equal(body, readFileSync(EXPECTED, 'utf8'));
});

test('the first two lines say what broke, what the PR does and whether it is verified', () => {
  const [first = '', second = ''] = renderPullRequestBody(makePullRequestInput()).split('\n');
  assert.match(first, /^\*\*What broke:\*\* orders-api throws TypeError: Cannot read properties of undefined \\\(reading 'items'\\\) at `src\/orders\.js:5` \(37 alerts\)/);
  assert.match(second, /^\*\*This PR\*\* adds a deterministic guard at the crash in `src\/orders\.js` \(1 line, confidence 65%\)\. \*\*Verification:\*\* ✅ passed/);
  const unverified = renderPullRequestBody({ ...makePullRequestInput(), verification: null }).split('\n')[1] ?? '';
  assert.match(unverified, /\*\*Verification:\*\* ⏳ not verified yet$/);
});

test('secrets planted in log lines and commits never reach the body or the title', () => {
  const input = makePullRequestInput();
  input.candidate.rationale += `\n\nThe request carried ${PLANTED.githubToken}.`;
  input.incident.title = `crash with key ${PLANTED.githubToken}`;
  input.report.crash = null;
  const body = renderPullRequestBody(input);
  const title = renderPullRequestTitle(input);
  for (const secret of [PLANTED.githubToken, PLANTED.databasePassword, PLANTED.bearer]) {
    assert.ok(!body.includes(secret), `body leaks ${secret}`);
    assert.ok(!title.includes(secret), `title leaks ${secret}`);
  }
  assert.match(body, /postgres:\/\/orders:\[REDACTED\]@\u200Bdb\.internal/);
  assert.match(body, /Bearer \[REDACTED\]/);
});

test('@mentions from any untrusted text never reach the body, so nobody is paged by a log line', () => {
  const input = makePullRequestInput();
  input.candidate.rationale += ` cc ${PLANTED.mention}`;
  input.verification = { verdict: 'failed', summary: `assert failed, blame ${PLANTED.mention}` };
  input.report.gaps.push(`ask ${PLANTED.teamMention}`);
  const body = renderPullRequestBody(input);
  assert.ok(!body.includes(PLANTED.mention), 'a mention leaked');
  assert.ok(!body.includes(PLANTED.teamMention), 'a team mention leaked');
  assert.ok(!/@[A-Za-z0-9]/.test(body), 'no @ is directly followed by a name');
});

/** The body without its fenced code blocks, whose content renders literally. */
function outsideCode(body: string): string {
  const kept: string[] = [];
  let fence: string | undefined;
  for (const line of body.split('\n')) {
    const opener = /^(`{3,})/.exec(line)?.[1];
    if (fence === undefined && opener) fence = opener;
    else if (fence !== undefined && line === fence) fence = undefined;
    else if (fence === undefined) kept.push(line);
  }
  return kept.join('\n');
}

test('untrusted text cannot inject HTML, links, headings or close a code fence', () => {
  const body = renderPullRequestBody(makePullRequestInput());
  const prose = outsideCode(body);
  assert.ok(body.includes('<img'), 'the planted HTML is shown, inside a code block');
  assert.ok(!prose.includes('<img'), 'raw HTML leaked into rendered markdown');
  assert.ok(!/\]\(javascript:/i.test(prose) && !prose.includes('<javascript:'), 'a javascript: link was rendered');
  // The log line with a triple backtick sits inside a longer fence, which it cannot close.
  const line = body.split('\n').find((text) => text.includes('payload ```')) ?? '';
  const blockStart = body.lastIndexOf('\n````text\n', body.indexOf(line));
  assert.ok(line && blockStart >= 0, 'the line is inside a four-backtick fence');
  assert.ok(!/^#/m.test(prose.replace(/^## .*$/gm, '')), 'only our own headings start a line with #');
  // A table cell with a pipe stays one cell.
  assert.match(body, /counting items for order \\\| customer=c-19/);
});

test('huge evidence is cut in priority order to stay under GitHub’s limit, keeping summary, fix and commands', () => {
  const input = makePullRequestInput();
  input.candidate.rationale = `Long rationale\n\n\`\`\`\n${'x'.repeat(50_000)}\n\`\`\``;
  const template = input.report.templates[1];
  assert.ok(template);
  input.report.templates = Array.from({ length: 50 }, (_, i) => ({ ...template, templateId: `t${i}`, examples: Array.from({ length: 10 }, () => ({ ...template.examples[0]!, message: 'y'.repeat(20_000) })) }));
  const timeline = input.report.timeline[0];
  assert.ok(timeline);
  timeline.entries = Array.from({ length: 5000 }, (_, i) => ({ timestamp: i, service: 'orders-api', level: i === 4000 ? 'error' : 'info', message: 'z'.repeat(3000), origin: { source: 'file' } }));
  input.report.gaps = Array.from({ length: 1000 }, (_, i) => `gap ${i} ${'g'.repeat(1000)}`);
  const small = renderPullRequestBody(input, 9_000);
  assert.ok(small.length <= 9_000, `${small.length}`);
  assert.match(small, /^\*\*What broke:\*\*/);
  assert.match(small, /\/nightshift retry/);
  assert.match(small, /## What the fix changes/);
  assert.match(small, /left out to stay under GitHub's size limit/);
  const full = renderPullRequestBody(input);
  assert.ok(full.length <= PULL_REQUEST_BODY_LIMIT, `${full.length}`);
  // The cut rationale still closes its code fence.
  const fix = full.slice(full.indexOf('## What the fix changes'), full.indexOf('## Verification'));
  assert.equal((fix.match(/^```/gm) ?? []).length % 2, 0);
  // The timeline shows 20 rows around the first error, not the first 20.
  assert.match(full, /\| \+4\.000 s \|/);
  assert.match(full, /4980 not shown/);
});

test('the title names the fix, the place and the incident, in at most 120 plain characters', () => {
  const input = makePullRequestInput();
  assert.equal(renderPullRequestTitle(input), 'Guard TypeError in src/orders.js:5 [nightshift inc-20250310-0042]');
  const revert = renderPullRequestTitle({ ...input, candidate: { ...input.candidate, strategy: 'revert' } });
  assert.equal(revert, 'Revert 1f3c9a2 "orders: read line items from order payload" [nightshift inc-20250310-0042]');
  const long = renderPullRequestTitle({ ...input, report: { ...input.report, crash: { ...input.report.crash!, file: `src/${'deep/'.repeat(60)}x.js` } } });
  assert.ok(long.length <= 120 && long.endsWith('[nightshift inc-20250310-0042]'), long);
});
