import { createReadStream } from 'node:fs';

/**
 * Calls `onLine` for every line of a file, streaming (a file of any size is never held whole in memory).
 * Lines end at `\n`, with a trailing `\r` dropped; a final line without a newline still counts, and a
 * file that ends with a newline has no extra empty line. Rejects with the stream's error (ENOENT …).
 */
export async function readLogLines(file: string, onLine: (line: string) => void): Promise<void> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let rest = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    let start = 0;
    let end = chunk.indexOf('\n');
    if (end >= 0 && rest) {
      onLine(trimCr(rest + chunk.slice(0, end)));
      rest = '';
      start = end + 1;
      end = chunk.indexOf('\n', start);
    }
    while (end >= 0) {
      onLine(trimCr(chunk.slice(start, end)));
      start = end + 1;
      end = chunk.indexOf('\n', start);
    }
    rest += chunk.slice(start);
  }
  if (rest) onLine(trimCr(rest));
}

function trimCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}
