import type { Bus } from './bus.js';

/** The bus, with how long each publish took until it was durable passed to `observe` (in seconds). */
export function timePublishes(bus: Bus, observe: (seconds: number) => void): Bus {
  const timed =
    <A extends unknown[]>(publish: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      const started = performance.now();
      await publish(...args);
      // Acknowledgements only: a publish that failed has no time until durable.
      observe((performance.now() - started) / 1000);
    };
  return { ...bus, publish: timed(bus.publish), publishEncoded: timed(bus.publishEncoded) };
}
