// Log template mining throughput on one core against plain whitespace splitting of the same lines,
// measured in the same run, plus grouping accuracy per LogHub data set with the one default configuration.
// Run: npm run build && node dist/bench/template-mining.js   (needs ../shared/loghub and ../shared/tools/ga.py)
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTemplateMiner } from '../services/triage/templates/create-template-miner.js';
import { extractLogMessage } from '../services/triage/templates/extract-log-message.js';
import { readLogLines } from '../services/triage/templates/read-log-lines.js';
import { drainGa, loghubDatasets, readLoghubContent, scoreGa } from '../tests/integration/template-loghub.js';
import { tempDir } from '../tests/helpers/wait.js';

const target = Number(process.env.BENCH_LINES ?? 1_000_000);
const runs = 3;

const samples = (await Promise.all(loghubDatasets.map((d) => readLoghubContent(d)))).flat();
const repeats = Math.ceil(target / samples.length);
const lines = Array.from({ length: repeats }, () => samples).flat();

/**
 * Lines per second of `work` over `count` lines, median of `runs` runs after a warm-up run: by the wall
 * clock, and per second of this process's CPU time, which a machine shared with other work slows less.
 */
async function rate(label: string, count: number, work: () => unknown): Promise<number> {
  await work();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const cpuStart = process.cpuUsage();
    const started = process.hrtime.bigint();
    await work();
    wall.push(count / (Number(process.hrtime.bigint() - started) / 1e9));
    const used = process.cpuUsage(cpuStart);
    cpu.push(count / ((used.user + used.system) / 1e6));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const format = (x: number) => Math.round(x).toLocaleString('en-US').padStart(11);
  console.log(`${label.padEnd(56)} ${format(median(wall))} lines/s ${format(median(cpu))} lines/CPU-s`);
  return median(wall);
}

console.log(`${lines.length.toLocaleString('en-US')} lines: the Content of LogHub ${loghubDatasets.join(', ')} 2k, ${repeats}× (node ${process.version}, one thread)`);
let sink = 0;
const split = await rate('baseline: split each line on whitespace', lines.length, () => {
  for (const line of lines) sink += line.split(/\s+/).length;
});
const mine = await rate('mine: miner.add(line), default configuration', lines.length, () => {
  const miner = createTemplateMiner();
  for (const line of lines) sink += miner.add(line).template.length;
});

// Repeated masked lines skip the tree through the miner's exact-match memory; this is the cost without it.
await rate('mine: without the exact-match memory (tree every line)', lines.length, () => {
  const miner = createTemplateMiner({ maxRemembered: 0 });
  for (const line of lines) sink += miner.add(line).template.length;
});

const dir = await tempDir('nightshift-bench-');
try {
  const file = join(dir.path, 'stream.log');
  await writeFile(file, `${lines.join('\n')}\n`);
  const read = await rate('baseline: read the file line by line', lines.length, () => readLogLines(file, (line) => (sink += line.length)));
  const cli = await rate('file: read + msg extraction + mine (the CLI loop)', lines.length, async () => {
    const miner = createTemplateMiner();
    await readLogLines(file, (line) => (sink += miner.add(extractLogMessage(line)).template.length));
  });
  console.log(`ratio mine/split ${(mine / split).toFixed(3)}   ratio file mining/file reading ${(cli / read).toFixed(3)}`);

  for (const dataset of loghubDatasets) {
    const miner = createTemplateMiner();
    const ids = (await readLoghubContent(dataset)).map((line) => miner.add(line).templateId).map((id) => miner.resolve(id) ?? id);
    const prediction = join(dir.path, `${dataset}.jsonl`);
    await writeFile(prediction, ids.map((id, i) => `${JSON.stringify({ line: i + 1, template_id: id, template: miner.templateOf(id) })}\n`).join(''));
    const { GA, pred_groups, gt_groups } = await scoreGa(dataset, prediction);
    console.log(`GA ${dataset.padEnd(10)} ${GA.toFixed(3)}  (Drain ${drainGa[dataset].toFixed(3)})  groups ${pred_groups}/${gt_groups}`);
  }
} finally {
  await dir.cleanup();
}
if (sink < 0) console.log(sink);
