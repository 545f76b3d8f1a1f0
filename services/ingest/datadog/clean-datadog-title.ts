/** The prefixes Datadog puts before a monitor's name: `[P1]`, `[Triggered]`, `[Re-Triggered on {host:a}]`, … */
const STATE_PREFIX = /^\s*\[(?:P[1-5]|Re-?Triggered|Triggered|Recovered|Re-?Warn|Warn|Warning|Re-?No Data|No Data|Renotify)\b[^\]]*\]\s*/i;

/**
 * The event title without Datadog's priority and transition prefixes, so that one monitor keeps one
 * title from trigger to recovery. A title that is nothing but prefixes is kept as is.
 */
export function cleanDatadogTitle(title: string): string {
  let rest = title.trim();
  for (let match = STATE_PREFIX.exec(rest); match; match = STATE_PREFIX.exec(rest)) rest = rest.slice(match[0].length);
  return rest || title.trim();
}
