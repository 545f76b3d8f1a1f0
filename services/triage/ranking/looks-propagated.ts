// Failures a service reports about something it called, rather than about its own work.
const propagatedPatterns: readonly RegExp[] = [
  /timeout|\btimed? ?out\b|deadline exceeded|ETIMEDOUT/i,
  /\b50[234]\b|bad gateway|service unavailable|gateway time-?out/i,
  /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN|socket hang ?up|connection (?:refused|reset|closed)/i,
  /\bupstream\b|\bdownstream\b|circuit ?breaker/i,
  /\b(?:call(?:ing)?|request(?:ing)?|connect(?:ing)?|contact(?:ing)?)\b(?: to)? \S+ (?:failed|errored|error)/i,
  /\bfailed to (?:call|reach|contact|connect)\b|\bunreachable\b|no healthy upstream/i,
];

// One alternation scans a message once instead of once per pattern.
const propagated = new RegExp(propagatedPatterns.map((pattern) => `(?:${pattern.source})`).join('|'), 'i');

/**
 * True when a message reads like a failure propagated from a callee (timeouts, 502/503/504, refused or
 * reset connections, "upstream", "calling X failed"). Such lines count against the service that logs them
 * only weakly, and toward the callee they name.
 */
export function looksPropagated(message: string): boolean {
  return propagated.test(message);
}
