/** Collects a stream's bytes keeping at most `limit`: the first half and the last half, with a marker between. */
export interface OutputCollector {
  push(chunk: Buffer): void;
  /** The collected text; `total` is every byte pushed. */
  finish(): { text: string; total: number };
}

/** Head and tail, because a failing build says what went wrong at the start and where it stopped at the end. */
export function createOutputCollector(limit: number): OutputCollector {
  const headLimit = Math.ceil(limit / 2);
  const tailLimit = limit - headLimit;
  const head: Buffer[] = [];
  let headBytes = 0;
  let tail: Buffer[] = [];
  let tailBytes = 0;
  let total = 0;
  return {
    push(chunk) {
      total += chunk.length;
      if (headBytes < headLimit) {
        const take = chunk.subarray(0, headLimit - headBytes);
        head.push(take);
        headBytes += take.length;
        chunk = chunk.subarray(take.length);
      }
      if (chunk.length === 0 || tailLimit === 0) return;
      tail.push(chunk);
      tailBytes += chunk.length;
      if (tailBytes > tailLimit * 2) {
        const joined = Buffer.concat(tail).subarray(-tailLimit);
        tail = [joined];
        tailBytes = joined.length;
      }
    },
    finish() {
      const tailBuffer = Buffer.concat(tail).subarray(-tailLimit);
      const omitted = total - headBytes - tailBuffer.length;
      const headText = Buffer.concat(head).toString('utf8');
      const tailText = tailBuffer.toString('utf8');
      const text = omitted > 0 ? `${headText}\n… ${omitted} bytes omitted …\n${tailText}` : headText + tailText;
      return { text, total };
    },
  };
}
