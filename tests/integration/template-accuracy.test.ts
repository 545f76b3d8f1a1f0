import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/wait.js';
import { drainGa, loghubDatasets, readLoghubContent, scoreGa, type LoghubDataset } from './template-loghub.js';

// The LogHub samples are required, not optional: without ../shared/loghub this test fails and says where it looked.
test('grouping accuracy on LogHub 2k via `nightshift logs templates --json` reaches Drain’s published figures', { timeout: 180_000 }, async (t) => {
  const dir = await tempDir('nightshift-ga-');
  try {
    const scores: Partial<Record<LoghubDataset, number>> = {};
    for (const dataset of loghubDatasets) {
      const contents = await readLoghubContent(dataset);
      assert.equal(contents.length, 2000, `${dataset}: the 2k sample has 2000 messages`);
      const input = join(dir.path, `${dataset}.log`);
      await writeFile(input, `${contents.join('\n')}\n`);

      const run = await runCli(['logs', 'templates', input, '--json'], { cwd: dir.path, timeoutMs: 60_000 });
      assert.equal(run.code, 0, `${dataset}: nightshift failed: ${run.stderr}`);
      const lines = run.stdout.trimEnd().split('\n');
      assert.equal(lines.length, contents.length, `${dataset}: one JSON line per input line`);

      const prediction = join(dir.path, `${dataset}.jsonl`);
      await writeFile(prediction, run.stdout);
      const score = await scoreGa(dataset, prediction);
      scores[dataset] = score.GA;
      const line = `${dataset.padEnd(10)} GA ${score.GA.toFixed(3)} (Drain ${drainGa[dataset].toFixed(3)})  groups ${score.pred_groups}/${score.gt_groups}`;
      t.diagnostic(line);
      console.log(line);
    }
    for (const dataset of loghubDatasets) {
      assert.ok(scores[dataset]! >= drainGa[dataset], `${dataset}: GA ${scores[dataset]} is below Drain's ${drainGa[dataset]}`);
    }
  } finally {
    await dir.cleanup();
  }
});
