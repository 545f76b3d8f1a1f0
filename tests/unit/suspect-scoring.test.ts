import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeLandingTimes, type GraphCommit } from '../../services/triage/suspects/compute-landing-times.js';
import { describeLeadTime } from '../../services/triage/suspects/describe-lead-time.js';
import { isTestOrDocFile } from '../../services/triage/suspects/is-test-or-doc-file.js';
import { parseLog, type CommitInfo } from '../../services/triage/suspects/read-commits.js';
import { scoreSuspect, type SuspectEvidence } from '../../services/triage/suspects/score-suspect.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const firstSeen = Date.parse('2025-03-10T12:00:00Z');
const sha = (c: string): string => c.repeat(40);
const top = { file: 'services/orders/src/price.ts', line: 42, function: 'computeTotal', depth: 0 };
const caller = { file: 'services/orders/src/handler.ts', line: 17, function: 'handle', depth: 1 };

function commit(overrides: Partial<CommitInfo> = {}): CommitInfo {
  return { sha: sha('a'), parents: [sha('0')], author: 'Ann <ann@example.test>', committedAt: firstSeen - HOUR, subject: 'Change', files: ['services/orders/src/price.ts'], ...overrides };
}

function evidence(overrides: Partial<SuspectEvidence> = {}): SuspectEvidence {
  const base = commit();
  return { commit: base, landedAt: base.committedAt, touches: [], touchesSourceRoot: true, ...overrides };
}

const context = { firstSeen, sourceRoot: 'services/orders' };

test('the crashing line outranks its neighbours, which outrank the file, which outranks the source root', () => {
  const line = scoreSuspect(evidence({ touches: [{ kind: 'line', frame: top }] }), context).score;
  const near = scoreSuspect(evidence({ touches: [{ kind: 'near-line', frame: top, changedLine: 41 }] }), context).score;
  const file = scoreSuspect(evidence({ touches: [{ kind: 'file', frame: top }] }), context).score;
  const root = scoreSuspect(evidence(), context).score;
  assert.ok(line > near && near > file && file > root, `${line} > ${near} > ${file} > ${root}`);
  assert.ok(line <= 1 && root > 0);
});

test('the top frame counts more than its callers, and more frames add a little', () => {
  const topLine = scoreSuspect(evidence({ touches: [{ kind: 'line', frame: top }] }), context).score;
  const callerLine = scoreSuspect(evidence({ touches: [{ kind: 'line', frame: caller }] }), context).score;
  const both = scoreSuspect(evidence({ touches: [{ kind: 'line', frame: caller }, { kind: 'line', frame: top }] }), context);
  assert.ok(topLine > callerLine);
  assert.ok(both.score > topLine && both.score < topLine + 0.2);
  assert.match(both.reasons[0]!, /^Changed line 42 of services\/orders\/src\/price\.ts \(top in-app frame, computeTotal\) 1 h before the first error\.$/);
  assert.equal(both.reasons[1], 'Also changed line 17 of services/orders/src/handler.ts (in-app frame 2 from the top, handle).');
});

test('a relevant old change beats an irrelevant recent one; among equals the recent one wins', () => {
  const old = evidence({ landedAt: firstSeen - 10 * 24 * HOUR, touches: [{ kind: 'file', frame: top }] });
  const recentRoot = evidence({ landedAt: firstSeen - 5 * MIN });
  assert.ok(scoreSuspect(old, context).score > scoreSuspect(recentRoot, context).score);
  const recent = evidence({ landedAt: firstSeen - 14 * MIN, touches: [{ kind: 'line', frame: top }] });
  const day = evidence({ landedAt: firstSeen - 30 * HOUR, touches: [{ kind: 'line', frame: top }] });
  assert.ok(scoreSuspect(recent, context).score > scoreSuspect(day, context).score);
  assert.match(scoreSuspect(recent, context).reasons[0]!, /14 min before the first error/);
});

test('tests- or docs-only commits count less and say so; merges and releases are explained', () => {
  const docs = evidence({ commit: commit({ files: ['services/orders/README.md', 'services/orders/test/price.test.ts'] }) });
  const code = evidence();
  const docsScore = scoreSuspect(docs, context);
  assert.ok(docsScore.score < scoreSuspect(code, context).score / 2);
  assert.ok(docsScore.reasons.some((reason) => reason.startsWith('Only changed tests or docs')));

  const merged = scoreSuspect(
    evidence({
      commit: commit({ committedAt: firstSeen - 20 * MIN - 3 * 24 * HOUR }),
      landedAt: firstSeen - 20 * MIN,
      merge: { sha: sha('b'), subject: 'Merge pull request #12 from acme/tax' },
      touches: [{ kind: 'line', frame: top }],
    }),
    { ...context, lastGoodRelease: 'v1.4.2' },
  );
  assert.match(merged.reasons[0]!, /20 min before the first error/, 'recency is measured from when it landed');
  assert.ok(merged.reasons.includes(`Landed with merge ${'b'.repeat(12)} ("Merge pull request #12 from acme/tax"); the commit itself was made 3 days before it landed.`));
  assert.ok(merged.reasons.includes('Landed after the last good release v1.4.2.'));
});

test('the fallback says there was nothing better to go on and scores low', () => {
  const result = scoreSuspect(evidence({ landedAt: firstSeen - 2 * MIN }), { ...context, fallback: 'No in-app stack frame could be mapped to a file' });
  assert.ok(result.score <= 0.2);
  assert.equal(result.reasons[0], 'No in-app stack frame could be mapped to a file, so this is only a recent change under services/orders, 2 min before the first error.');
});

test('a merge brings its side branch in at its own time; main-line commits land when made', () => {
  // main: A ← B ← M(B, Y) ← C ; side: A ← X ← Y
  const graph = new Map<string, GraphCommit>([
    [sha('c'), { time: 50, parents: [sha('d')] }],
    [sha('d'), { time: 40, parents: [sha('b'), sha('f')] }],
    [sha('f'), { time: 15, parents: [sha('e')] }],
    [sha('e'), { time: 5, parents: [sha('1')] }],
    [sha('b'), { time: 20, parents: [sha('1')] }],
    [sha('1'), { time: 1, parents: [] }],
  ]);
  const landings = computeLandingTimes(sha('c'), graph);
  assert.deepEqual(landings.get(sha('e')), { landedAt: 40, mergeSha: sha('d') });
  assert.deepEqual(landings.get(sha('f')), { landedAt: 40, mergeSha: sha('d') });
  assert.deepEqual(landings.get(sha('b')), { landedAt: 20 });
  assert.deepEqual(landings.get(sha('1')), { landedAt: 1 }, 'the fork point belongs to the main line, not to the merge');
  assert.deepEqual(landings.get(sha('c')), { landedAt: 50 });
});

test('git log output with odd subjects and no files parses', () => {
  const record = (s: string, subject: string, files: string[]): string =>
    `\u001e${s}\u001f${sha('0')}\u001fAnn <a@x>\u001f1741608000\u001f${subject}\u0000${files.length ? `\n${files.join('\u0000')}\u0000` : ''}`;
  const parsed = parseLog(record(sha('a'), 'Fix: a\u001fb', ['a b.ts', 'x/[id].ts']) + record(sha('b'), 'empty', []));
  assert.equal(parsed.length, 2);
  assert.equal(parsed[0]!.subject, 'Fix: a\u001fb');
  assert.deepEqual(parsed[0]!.files, ['a b.ts', 'x/[id].ts']);
  assert.equal(parsed[0]!.committedAt, Date.parse('2025-03-10T12:00:00Z'));
  assert.deepEqual(parsed[1]!.files, []);
});

test('lead times read like a person wrote them; tests and docs are recognised', () => {
  assert.equal(describeLeadTime(20_000), 'less than a minute');
  assert.equal(describeLeadTime(14 * MIN + 59_000), '14 min');
  assert.equal(describeLeadTime(3 * HOUR + 5 * MIN), '3 h 5 min');
  assert.equal(describeLeadTime(26 * HOUR), '1 day 2 h');
  assert.equal(describeLeadTime(10 * 24 * HOUR + 5 * HOUR), '10 days');
  for (const file of ['services/orders/test/a.ts', 'src/a.test.ts', 'app/test_orders.py', 'pkg/x_test.go', 'docs/setup.md', 'README.md', 'CHANGELOG', 'src/main/java/AppTest.java']) {
    assert.equal(isTestOrDocFile(file), true, file);
  }
  for (const file of ['src/price.ts', 'src/testing-mode.ts', 'app/orders.py', 'src/latest/x.ts']) assert.equal(isTestOrDocFile(file), false, file);
});
