/** Things to undo, run newest first (children before the directory they write into), each at most once. */
export interface CleanupStack {
  add(what: string, undo: () => Promise<void> | void): void;
  /** Runs every undo even when some fail; resolves with the failures' descriptions. */
  run(): Promise<string[]>;
}

export function createCleanupStack(): CleanupStack {
  const pending: Array<{ what: string; undo: () => Promise<void> | void }> = [];
  let running: Promise<string[]> | undefined;
  return {
    add(what, undo) {
      pending.push({ what, undo });
    },
    run() {
      running ??= (async () => {
        const failures: string[] = [];
        while (pending.length > 0) {
          const { what, undo } = pending.pop()!;
          try {
            await undo();
          } catch (error) {
            failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
        return failures;
      })();
      return running;
    },
  };
}
