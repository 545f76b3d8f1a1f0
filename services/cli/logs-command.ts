import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { Command } from 'commander';
import { createTemplateMiner } from '../triage/templates/create-template-miner.js';
import { extractLogMessage } from '../triage/templates/extract-log-message.js';
import { readLogLines } from '../triage/templates/read-log-lines.js';
import { UsageError } from './usage-error.js';

const templatesHelp = `
Each line is one message. A line that is a JSON object with a "msg" or "message" field (pino, bunyan)
is mined by that field; any other line is mined whole.

With --json, prints one JSON object per input line, in input order:
  {"line":1,"template_id":"fa785abd","template":"Failed password for <*> from <*> port <*>"}
"line" is 1-based and continues across files in the order given (the first line of the second file
follows the last line of the first). "template" is the line's template after all input was mined, so
lines of one template_id always show the same template.

Without --json, prints each template once with its line count, most frequent first.`;

/** `nightshift logs …`: commands over local log files. */
export function createLogsCommand(): Command {
  const logs = new Command('logs').description('work with local log files').exitOverride().showHelpAfterError();
  logs
    .command('templates')
    .description('mine log templates (Drain-style) from log files')
    .argument('<file...>', 'log files, read in the order given')
    .option('--json', 'one JSON line per input line: {"line", "template_id", "template"}')
    .addHelpText('after', templatesHelp)
    .exitOverride()
    .showHelpAfterError()
    .action(async (files: string[], options: { json?: boolean }) => {
      await runLogsTemplates({ files, json: options.json === true, out: process.stdout });
    });
  return logs;
}

/** Mines the files in order and writes the result to `out`; unreadable files are usage errors. */
export async function runLogsTemplates({ files, json, out }: { files: string[]; json: boolean; out: NodeJS.WritableStream }): Promise<void> {
  // Every file is checked before any is mined, so a typo in the last name fails at once.
  for (const file of files) {
    await access(file, constants.R_OK).catch((error: unknown) => {
      throw new UsageError(`cannot read log file ${file}: ${describeReadError(error)}`);
    });
  }
  const miner = createTemplateMiner();
  // With --json every line needs its cluster's final template, so lines keep a small cluster index
  // and are printed after the last file.
  const indexOf = new Map<string, number>();
  const ids: string[] = [];
  let lines = new Uint32Array(json ? 1 << 16 : 0);
  let count = 0;
  for (const file of files) {
    try {
      await readLogLines(file, (line) => {
        const { templateId } = miner.add(extractLogMessage(line));
        if (!json) return;
        let index = indexOf.get(templateId);
        if (index === undefined) {
          index = ids.push(templateId) - 1;
          indexOf.set(templateId, index);
        }
        if (count === lines.length) {
          const grown = new Uint32Array(lines.length * 2);
          grown.set(lines);
          lines = grown;
        }
        lines[count++] = index;
      });
    } catch (error) {
      throw new UsageError(`cannot read log file ${file}: ${describeReadError(error)}`);
    }
  }

  const writer = createWriter(out);
  if (json) {
    // Clusters merged since a line was mined print as the cluster they were merged into.
    const suffixes = ids.map((id) => `,"template_id":${JSON.stringify(miner.resolve(id))},"template":${JSON.stringify(miner.templateOf(id))}}\n`);
    for (let i = 0; i < count; i++) await writer.write(`{"line":${i + 1}${suffixes[lines[i]!]}`);
  } else {
    const templates = miner.templates().sort((a, b) => b.count - a.count);
    const width = String(templates[0]?.count ?? 0).length;
    for (const t of templates) await writer.write(`${String(t.count).padStart(width)}  ${t.templateId}  ${t.template}\n`);
  }
  await writer.end();
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** Batches small writes and waits for the stream to drain; a closed pipe (`| head`) ends output quietly. */
function createWriter(out: NodeJS.WritableStream) {
  let buffer = '';
  let closed = false;
  let failure: Error | undefined;
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true;
    else failure = error;
  });
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        out.off('drain', done);
        out.off('error', done);
        resolve();
      };
      out.on('drain', done);
      out.on('error', done);
    });
  async function flush() {
    if (failure) throw failure;
    if (closed || !buffer) return;
    const chunk = buffer;
    buffer = '';
    if (!out.write(chunk)) await drained();
    if (failure) throw failure;
  }
  return {
    async write(text: string) {
      if (closed) return;
      buffer += text;
      if (buffer.length >= 1 << 16) await flush();
    },
    end: flush,
  };
}
