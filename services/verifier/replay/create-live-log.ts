const KEEP_CHARS = 1_000_000;

/** A process's output as it arrives, readable from an offset; text older than a bound is dropped. */
export interface LiveLog {
  push(chunk: Buffer): void;
  /** The offset just past everything pushed so far. */
  readonly end: number;
  /** What arrived since `offset` (as much of it as is still kept). */
  since(offset: number): string;
}

export function createLiveLog(keepChars = KEEP_CHARS): LiveLog {
  let text = '';
  let dropped = 0;
  return {
    push(chunk) {
      text += chunk.toString('utf8');
      if (text.length > keepChars) {
        const keep = Math.floor(keepChars / 2);
        dropped += text.length - keep;
        text = text.slice(-keep);
      }
    },
    get end() {
      return dropped + text.length;
    },
    since(offset) {
      return text.slice(Math.max(0, offset - dropped));
    },
  };
}
