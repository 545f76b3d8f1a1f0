/** Runs async sections one at a time per key; sections under different keys run concurrently. */
export interface KeyedLock {
  run<T>(key: string, section: () => Promise<T>): Promise<T>;
}

/** An in-process mutex per key (a promise chain), forgotten once its queue drains so keys do not pile up. */
export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, section: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(section, section);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
