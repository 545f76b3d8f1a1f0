/** Which template an error calls for, read from its type and message. */
export type CrashErrorClass =
  | { kind: 'nullish-read'; property: string; nullish: 'undefined' | 'null' }
  | { kind: 'not-a-function'; callee: string }
  | { kind: 'unhandled-rejection' }
  | { kind: 'invalid-json' }
  | { kind: 'other' };

// Current V8 wording, then the older one (Node ≤ 14).
const NULLISH_READ = /Cannot (?:read|set) propert(?:y|ies) of (undefined|null) \((?:reading|setting) '(.*)'\)/;
const NULLISH_READ_OLD = /Cannot (?:read|set) property '(.*)' of (undefined|null)/;
const NOT_A_FUNCTION = /^(.+?) is not a function$/;
const INVALID_JSON = /in JSON at position|is not valid JSON|Unexpected end of JSON input|Unexpected token .* in JSON|JSON\.parse/;
const UNHANDLED = /^Unhandled(?:Promise)?Rejection$/i;

/** Classifies a crash from its error type and value (the value may repeat the type as a prefix). */
export function classifyCrashError(errorType: string, errorValue = ''): CrashErrorClass {
  const message = errorValue.replace(new RegExp(`^${errorType.replace(/[^\w]/g, '')}:\\s*`), '').trim();
  if (UNHANDLED.test(errorType)) return { kind: 'unhandled-rejection' };
  const current = NULLISH_READ.exec(message);
  if (current) return { kind: 'nullish-read', nullish: current[1] as 'undefined' | 'null', property: current[2] ?? '' };
  const old = NULLISH_READ_OLD.exec(message);
  if (old) return { kind: 'nullish-read', nullish: old[2] as 'undefined' | 'null', property: old[1] ?? '' };
  if (errorType === 'TypeError') {
    const notFunction = NOT_A_FUNCTION.exec(message);
    if (notFunction && notFunction[1] && !notFunction[1].includes('(intermediate value)')) return { kind: 'not-a-function', callee: notFunction[1] };
  }
  if (errorType === 'SyntaxError' && INVALID_JSON.test(message)) return { kind: 'invalid-json' };
  return { kind: 'other' };
}

const UPSTREAM = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE|fetch failed|socket hang up|FetchError|AbortError|TimeoutError|upstream|\b50[234]\b/i;

/** True when the error reads like a failed call to another service, which a handler answers with 502. */
export function looksLikeUpstreamFailure(errorType: string, errorValue = ''): boolean {
  return UPSTREAM.test(`${errorType} ${errorValue}`);
}
