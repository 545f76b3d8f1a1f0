import { createReadStream } from 'node:fs';

/**
 * The lines of a UTF-8 file, a chunk's worth at a time (arrays of a few thousand lines), so the parsing
 * loop stays synchronous between awaits: a million lines go through in far fewer than a million
 * promise hops. `\r\n` endings lose their `\r`; a last line without a newline is still yielded.
 */
export async function* readLineBatches(path: string, { signal, chunkBytes = 1 << 20 }: { signal?: AbortSignal; chunkBytes?: number } = {}): AsyncGenerator<string[]> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: chunkBytes, ...(signal ? { signal } : {}) });
  let rest = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk;
      const lines: string[] = [];
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        lines.push(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end));
        start = end + 1;
      }
      rest = text.slice(start);
      if (lines.length > 0) yield lines;
    }
    if (rest !== '') yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
  } finally {
    stream.destroy();
  }
}
