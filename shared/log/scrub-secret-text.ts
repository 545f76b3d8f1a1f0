/**
 * Value-based secret detection for free text: log messages, error stacks, PR bodies, LLM prompts.
 * Each rule recognises a credential by its shape and replaces only the secret part, keeping enough
 * context (scheme, user, host) for the text to stay useful.
 */

/** What every removed secret is replaced with. */
export const REDACTED = '[REDACTED]';

type Replacer = (match: string, ...groups: string[]) => string;

interface TextRule {
  pattern: RegExp;
  replace: string | Replacer;
}

// A credential after `Bearer`/`Basic`, told apart from prose ("Basic authentication", "Bearer
// token-based") by length and by containing digits, inner capitals or base64 symbols.
function looksLikeCredential(text: string): boolean {
  if (text.length < 8) return false;
  return text.length >= 24 || /[0-9+/=]/.test(text) || /[A-Z]/.test(text.slice(1));
}

// URL userinfo: `user:password@` loses the password; a lone user part that looks like a key (Sentry
// DSN public key, `https://<token>@github.com`) is dropped; a short user name (`git@`) stays.
const replaceUserinfo: Replacer = (match, scheme = '', userinfo = '') => {
  const colon = userinfo.indexOf(':');
  if (colon >= 0) return `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@`;
  if (/^[A-Za-z0-9_-]{16,}$/.test(userinfo)) return `${scheme}${REDACTED}@`;
  return match;
};

const RULES: TextRule[] = [
  // First: a PEM block contains base64 runs that later rules would only partly remove.
  {
    pattern: /-----BEGIN[A-Z ]* PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z ]* PRIVATE KEY-----|$)/g,
    replace: REDACTED,
  },
  {
    pattern: /\b(bearer|basic)(\s+)([A-Za-z0-9\-._~+/]+=*)/gi,
    replace: (match, scheme = '', space = '', credential = '') =>
      looksLikeCredential(credential) ? `${scheme}${space}${REDACTED}` : match,
  },
  // Quotes, backslashes and angle brackets end the userinfo so a match never spans JSON strings.
  // The scheme is bounded so that text like `a.a.a.a…` costs linear, not quadratic, time.
  { pattern: /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s/?#"'\\<>]*)@/gi, replace: replaceUserinfo },
  { pattern: /\b(sentry_(?:key|secret))=([A-Za-z0-9]+)/gi, replace: `$1=${REDACTED}` },
  {
    pattern: /\b(dd[-_](?:api|app|application)[-_]key)(["']?\s*[:=]\s*["']?)([A-Za-z0-9]{8,})/gi,
    replace: `$1$2${REDACTED}`,
  },
  { pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, replace: REDACTED },
  { pattern: /\bsk-[A-Za-z0-9_-]{20,}/g, replace: REDACTED },
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: REDACTED },
  { pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: REDACTED },
  // A JWT. Starts only where a base64url run starts, so that `eyJ…-eyJ…-eyJ…` stays linear too.
  {
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
    replace: REDACTED,
  },
];

// Too short to hold a credential worth finding; ids, enums and hostnames in log context mostly
// are, and skip the scan entirely.
const MIN_SECRET_LENGTH = 8;
// One cheap scan that every rule needs to pass; most text (and most log messages) fails it, so
// the rules above never run on it.
const MAY_CONTAIN_SECRET =
  /PRIVATE KEY|bearer|basic|:\/\/|sentry_|dd[-_]ap|gh[pousr]_|github_pat_|sk-|xox|AKIA|ASIA|eyJ/i;

/** Returns `text` with every recognised credential replaced by `[REDACTED]` (the same string when none). */
export function scrubSecretText(text: string): string {
  if (text.length < MIN_SECRET_LENGTH || !MAY_CONTAIN_SECRET.test(text)) return text;
  let result = text;
  for (const rule of RULES) {
    result =
      typeof rule.replace === 'string'
        ? result.replace(rule.pattern, rule.replace)
        : result.replace(rule.pattern, rule.replace);
  }
  return result;
}
