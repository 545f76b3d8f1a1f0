/** Bounds of a plausible alert time, so a stray number is not read as a date in 1970 or 33658. */
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const LATEST_MS = Date.UTC(2200, 0, 1);

/**
 * A Datadog time variable as a Date. `$DATE` is documented as epoch milliseconds ("1406662672000");
 * `$LAST_UPDATED` has no documented format, so it is read the same way, and epoch seconds or
 * ISO-8601 (hand-written templates) are taken too. Undefined when the value is none of these.
 */
export function parseDatadogDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    // Ten digits or fewer is seconds until the year 2286; milliseconds have thirteen.
    ms = n < 1e11 ? n * 1000 : n;
  } else {
    ms = Date.parse(value);
  }
  return Number.isFinite(ms) && ms >= EARLIEST_MS && ms < LATEST_MS ? new Date(ms) : undefined;
}
