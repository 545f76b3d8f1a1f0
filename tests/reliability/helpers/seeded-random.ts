import { randomInt } from 'node:crypto';

/** A small deterministic PRNG (mulberry32): a run is replayed by passing its printed seed back in. */
export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [min, max]. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  bytes(length: number): Buffer;
}

/** A PRNG seeded from `seed`, else from `NIGHTSHIFT_RELIABILITY_SEED`, else at random. */
export function createSeededRandom(seed = seedFromEnv()): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    seed,
    next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => items[int(0, items.length - 1)]!,
    bytes: (length) => Buffer.from(Array.from({ length }, () => int(0, 255))),
  };
}

function seedFromEnv(): number {
  const raw = process.env.NIGHTSHIFT_RELIABILITY_SEED;
  if (raw && /^[0-9]+$/.test(raw)) return Number(raw) >>> 0;
  return randomInt(0, 2 ** 31);
}
