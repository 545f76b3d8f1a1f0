import type { TimeWindow } from '../../../shared/config/rules-schema.js';

/** "HH:MM" of `at` on the wall clock of `timezone`. */
export function wallClockTime(at: number, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('hour')}:${part('minute')}`;
}

/** Whether `at` falls in the daily window; a window whose `from` is later than its `to` spans midnight. */
export function isWithinTimeWindow(at: number, window: TimeWindow): { inside: boolean; time: string } {
  const time = wallClockTime(at, window.timezone);
  const inside = window.from < window.to ? window.from <= time && time < window.to : time >= window.from || time < window.to;
  return { inside, time };
}
