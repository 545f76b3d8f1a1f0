// The LogHub 2k samples and the GA scorer, shared by the accuracy test and the template-mining benchmark.
// They live in ../shared beside the checkout (data only: never copied into the repository).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const loghubDatasets = ['HDFS', 'HealthApp', 'Linux', 'OpenSSH'] as const;
export type LoghubDataset = (typeof loghubDatasets)[number];

/** Drain's published grouping accuracy (Zhu et al., ICSE-SEIP 2019), the bar the miner has to reach. */
export const drainGa: Record<LoghubDataset, number> = { HDFS: 0.998, HealthApp: 0.78, Linux: 0.69, OpenSSH: 0.788 };

/** The checkout root: this file runs as dist/tests/integration/template-loghub.js. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** `../shared` beside the checkout, as CI lays it out. */
function sharedCandidates(): string[] {
  return [resolve(repoRoot, '..', 'shared')];
}

/** Where `../shared/<relative>` is, or an error that says where it was looked for. */
export function sharedPath(relative: string): string {
  const tried = sharedCandidates().map((dir) => join(dir, relative));
  const found = tried.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`${relative} not found beside the checkout (looked at ${tried.join(', ')}); put the LogHub samples and tools in ../shared`);
  }
  return found;
}

export function structuredCsvPath(dataset: LoghubDataset): string {
  return join(sharedPath('loghub'), dataset, `${dataset}_2k.log_structured.csv`);
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The `Content` column of a data set's structured CSV, in LineId order: the benchmark's input. */
export async function readLoghubContent(dataset: LoghubDataset): Promise<string[]> {
  const [header, ...rows] = parseCsv(await readFile(structuredCsvPath(dataset), 'utf8'));
  const content = header?.indexOf('Content') ?? -1;
  const lineId = header?.indexOf('LineId') ?? -1;
  if (content < 0 || lineId < 0) throw new Error(`${dataset}: no LineId/Content columns in ${structuredCsvPath(dataset)}`);
  const sorted = rows.filter((r) => r.length > 1).sort((a, b) => Number(a[lineId]) - Number(b[lineId]));
  // One message per line, numbered as the scorer numbers them: line n must be LineId n.
  sorted.forEach((r, i) => {
    if (Number(r[lineId]) !== i + 1) throw new Error(`${dataset}: LineIds are not 1..n (row ${i + 1} has ${r[lineId]})`);
    if (/[\r\n]/.test(r[content] ?? '')) throw new Error(`${dataset}: LineId ${i + 1} has a multi-line Content`);
  });
  return sorted.map((r) => r[content] ?? '');
}

export interface GaScore {
  GA: number;
  messages: number;
  gt_groups: number;
  pred_groups: number;
}

/** Scores a `--json` prediction file with the reference scorer (`../shared/tools/ga.py`). */
export async function scoreGa(dataset: LoghubDataset, predictionJsonl: string): Promise<GaScore> {
  const { stdout } = await promisify(execFile)('python3', [sharedPath('tools/ga.py'), structuredCsvPath(dataset), predictionJsonl, '--json']);
  return JSON.parse(stdout) as GaScore;
}
