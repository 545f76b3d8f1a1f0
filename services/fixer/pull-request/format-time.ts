/** `03:12:04.123Z`: a UTC clock time, the same on every machine. */
export function clockTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(11, 23)}Z`;
}

/** `2025-03-10 03:12:04Z`. */
export function dateTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** `+1.250 s` after a reference time. */
export function offset(epochMs: number, from: number): string {
  return `+${((epochMs - from) / 1000).toFixed(3)} s`;
}

/** `82%`. */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}
