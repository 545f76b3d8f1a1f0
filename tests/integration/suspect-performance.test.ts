import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { findSuspectsForStack } from '../../services/triage/suspects/find-suspects-for-stack.js';
import { createTrackedFilesCache } from '../../services/triage/suspects/load-tracked-files.js';
import { createRunGit } from '../../services/triage/suspects/run-git.js';
import { createTestGitRepo, lines, type TestCommit, type TestGitRepo } from '../helpers/git-repo.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const COMMITS = 3000;
const start = Date.parse('2025-02-01T00:00:00Z');
const GUILTY = 2900;
const firstSeen = new Date(start + (GUILTY + 50) * 10 * MIN);

let repo: TestGitRepo;
let guiltySha = '';

// A monorepo-sized history: 3,000 commits, ten minutes apart, across three services and 60 files.
before(async () => {
  repo = await createTestGitRepo();
  const files = new Map<string, string[]>();
  const services = ['orders', 'inventory', 'billing'];
  for (const service of services) {
    for (let n = 0; n < 20; n++) files.set(`services/${service}/src/module${n}.ts`, Array.from({ length: 200 }, (_, i) => `export const v${i + 1} = ${i + 1};`));
  }
  const commits: TestCommit[] = [];
  for (let i = 0; i < COMMITS; i++) {
    const isGuilty = i === GUILTY;
    const file = isGuilty || i % 40 === 0 ? 'services/orders/src/module0.ts' : [...files.keys()][(i * 7) % files.size]!;
    const content = files.get(file)!;
    const line = isGuilty ? 120 : i === 0 ? 0 : 1 + ((i * 13) % 200);
    if (line > 0 && line !== 120) content[line - 1] = `export const v${line} = ${i};`;
    if (isGuilty) content[119] = 'export const v120 = rates.get(region)!.value;';
    commits.push({
      message: isGuilty ? 'Read rates by region' : `Change ${i}`,
      date: new Date(start + i * 10 * MIN),
      files: i === 0 ? Object.fromEntries([...files].map(([path, body]) => [path, lines(...body)])) : { [file]: lines(...content) },
    });
  }
  const shas = await repo.importCommits(commits);
  guiltySha = shas[GUILTY]!;
});

after(async () => {
  await repo.cleanup();
});

test(`${COMMITS} commits: the culprit is found well under a second, with a constant number of git processes`, async () => {
  const repository = { name: 'acme/mono', path: repo.path, sourceRoot: 'services/orders', pathPrefixes: ['/app/'] };
  const frames = [
    { absPath: '/app/src/module3.ts', lineno: 10, function: 'caller' },
    { absPath: '/app/src/module0.ts', lineno: 120, function: 'priceFor' },
  ];
  const real = createRunGit();
  let processes = 0;
  const runGit = (args: readonly string[], cwd: string): Promise<string> => ((processes += 1), real(args, cwd));
  const cache = createTrackedFilesCache();

  const measure = async (lookbackMs: number): Promise<number> => {
    const startedAt = performance.now();
    const { suspects } = await findSuspectsForStack({ repository, frames, firstSeen, runGit, lookbackMs, cache });
    const elapsed = performance.now() - startedAt;
    assert.equal(suspects[0]?.sha, guiltySha);
    assert.match(suspects[0]!.reasons[0]!, /^Changed line 120 of services\/orders\/src\/module0\.ts \(top in-app frame, priceFor\) 8 h 20 min before the first error\.$/);
    return elapsed;
  };

  const twoWeeks = await measure(14 * DAY);
  processes = 0;
  const everything = await measure(365 * DAY);
  console.log(`suspect search over ${COMMITS} commits: 14-day window ${twoWeeks.toFixed(0)} ms, whole history ${everything.toFixed(0)} ms, ${processes} git processes`);
  assert.ok(processes <= 12, `${processes} git processes`);
  assert.ok(everything < 1500 && twoWeeks < 1500, `too slow: ${twoWeeks.toFixed(0)} ms and ${everything.toFixed(0)} ms`);
});
