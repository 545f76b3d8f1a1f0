import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { NightshiftError } from '../../shared/errors.js';
import type { NewAlert, Store } from '../../shared/store/store.js';

/** A clock that stands still until the test moves it, so timestamps can be asserted exactly. */
export interface ManualClock {
  (): Date;
  /** The current time as the ISO string the store should record. */
  iso(): string;
  advance(ms: number): string;
}

/** A manual clock starting at `start`. */
export function createManualClock(start = '2025-03-01T09:00:00.000Z'): ManualClock {
  let now = new Date(start).getTime();
  const clock = (() => new Date(now)) as ManualClock;
  clock.iso = () => new Date(now).toISOString();
  clock.advance = (ms) => {
    now += ms;
    return clock.iso();
  };
  return clock;
}

/** Opens a fresh store and clock for the calling test; undefined when the test was skipped. */
export type OpenStore = (t: TestContext) => Promise<{ store: Store; clock: ManualClock } | undefined>;

/** A valid alert with the fields a test does not care about filled in. */
export function alert(overrides: Partial<NewAlert> & Pick<NewAlert, 'id' | 'deliveryId'>): NewAlert {
  return {
    source: 'sentry',
    fingerprint: 'fp-1',
    kind: 'error',
    title: 'TypeError: x is undefined',
    service: 'checkout',
    severity: 'error',
    receivedAt: '2025-03-01T09:00:00.000Z',
    payload: { issue: { id: '42' } },
    ...overrides,
  };
}

/** Asserts the promise rejects with a NightshiftError carrying `code`. */
export async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof NightshiftError, `expected a NightshiftError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

/** A JSON value with every awkward shape: nesting, empty arrays, nulls, unicode, the largest safe integer. */
export const nested = {
  suspects: [{ sha: 'abc123', score: 0.87, files: ['src/a.ts', 'src/b.ts'] }],
  frames: [[1, 2], [], [null]],
  flags: { replayed: true, skipped: false, nothing: null },
  text: 'naïve “quotes” \\ backslash\nnewline 🚀',
  big: 9007199254740991,
  negative: -0.5,
};

