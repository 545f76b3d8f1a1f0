import { Lexer } from 'yaml';

// Tokens the lexer inserts that are not characters of the source.
const PSEUDO_TOKENS = new Set(['\x02', '\x18', '\x1f']);
const INDICATORS = new Set(['-', '?', ':']);

/**
 * The offset where `text` first nests deeper than `limit`, or `undefined`. Depth is over-estimated
 * as open brackets + indentation + block indicators (`- `, `? `, `: ` outside brackets) on the
 * line, which is plenty for a real configuration. Why: the yaml composer recurses once per level,
 * a few thousand `[` overflow the stack, and a stack overflow inside V8's regexp compiler aborts
 * the process instead of throwing.
 * The lexer is iterative and linear, so it measures safely before anything recurses.
 */
export function findDeepYamlNesting(text: string, limit: number): number | undefined {
  let offset = 0;
  let brackets = 0;
  let indent = 0;
  let indicators = 0;
  let atLineStart = true;
  for (const token of new Lexer().lex(text)) {
    if (PSEUDO_TOKENS.has(token)) continue;
    const start = offset;
    offset += token.length;
    if (token === '\n' || token === '\r\n') {
      atLineStart = true;
      indent = 0;
      indicators = 0;
      continue;
    }
    if (atLineStart && /^[ \t]+$/.test(token)) {
      indent = token.length;
      continue;
    }
    atLineStart = false;
    if (token === '[' || token === '{') brackets++;
    else if (token === ']' || token === '}') brackets = Math.max(0, brackets - 1);
    else if (brackets === 0 && INDICATORS.has(token)) indicators++;
    if (brackets + indent + indicators > limit) return start;
  }
  return undefined;
}
